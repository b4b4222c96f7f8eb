//! Joint operations (O1, O2): the status workflow, participant roles and the outcome counts.
//! Who may see or run an operation is decided in `authz.rs`.

use std::time::Duration;
use vigil_types::Timestamp;

string_enum!(
    /// An operation's status: planned → under_way → completed, or cancelled before completion.
    OperationStatus, "operation status" {
        Planned = "planned",
        UnderWay = "under_way",
        Completed = "completed",
        Cancelled = "cancelled",
    }
);

impl OperationStatus {
    /// Whether the workflow allows moving from `self` to `next`. Completed and cancelled are
    /// final.
    #[must_use]
    pub fn may_become(self, next: OperationStatus) -> bool {
        use OperationStatus::{Cancelled, Completed, Planned, UnderWay};
        matches!(
            (self, next),
            (Planned, UnderWay | Cancelled) | (UnderWay, Completed | Cancelled)
        )
    }

    /// Outcomes are recorded once an operation is under way, and until it is completed.
    #[must_use]
    pub const fn takes_outcomes(self) -> bool {
        matches!(self, Self::UnderWay | Self::Completed)
    }

    /// The plan (time, place, participants, services on site) may change before completion.
    #[must_use]
    pub const fn plan_editable(self) -> bool {
        matches!(self, Self::Planned | Self::UnderWay)
    }
}

string_enum!(
    /// What a participating agency does in an operation.
    ParticipantRole, "participant role" {
        Lead = "lead",
        Tactical = "tactical",
        Investigative = "investigative",
        Surveillance = "surveillance",
        VictimServices = "victim_services",
        Prosecution = "prosecution",
        Support = "support",
    }
);

/// The largest count an outcome field accepts: beyond it the number is a typo, not an outcome.
pub const MAX_OUTCOME_COUNT: i64 = 10_000;
/// The most advocates one provider can be recorded as sending.
pub const MAX_ADVOCATES: i64 = 500;
/// The longest an operation may be planned to last.
pub const MAX_OPERATION_LENGTH: Duration = Duration::from_secs(14 * 86_400);
/// How far in the past a new plan's start may lie (clock skew and late entry on the day).
pub const PLAN_START_GRACE: Duration = Duration::from_secs(3600);

/// What an operation achieved (O2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcomes {
    /// Potential victims recovered (removed from the situation and offered services).
    pub people_recovered: i64,
    /// Of those, minors.
    pub minors_recovered: i64,
    pub arrests: i64,
    /// Referrals to victim services made during or right after the operation.
    pub referrals_made: i64,
}

/// A count that is out of range; names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct OutcomeError {
    pub field: &'static str,
    pub reason: String,
}

impl Outcomes {
    /// Checks every count is 0..=`MAX_OUTCOME_COUNT` and that minors do not exceed people.
    pub fn validate(self) -> Result<Self, OutcomeError> {
        for (field, v) in [
            ("people_recovered", self.people_recovered),
            ("minors_recovered", self.minors_recovered),
            ("arrests", self.arrests),
            ("referrals_made", self.referrals_made),
        ] {
            if !(0..=MAX_OUTCOME_COUNT).contains(&v) {
                return Err(OutcomeError {
                    field,
                    reason: format!("must be between 0 and {MAX_OUTCOME_COUNT}"),
                });
            }
        }
        if self.minors_recovered > self.people_recovered {
            return Err(OutcomeError {
                field: "minors_recovered",
                reason: "cannot exceed people_recovered".into(),
            });
        }
        Ok(self)
    }
}

/// Checks a planned window: the end (if any) after the start and within the maximum length;
/// a new plan does not start in the past (beyond the grace period).
pub fn check_window(
    start: Timestamp,
    end: Option<Timestamp>,
    now: Timestamp,
    new_plan: bool,
) -> Result<(), (&'static str, &'static str)> {
    if new_plan && start.plus(PLAN_START_GRACE) < now {
        return Err(("planned_start", "is in the past; plan operations ahead"));
    }
    if let Some(end) = end {
        if end <= start {
            return Err(("planned_end", "must be after planned_start"));
        }
        if end.since(start) > MAX_OPERATION_LENGTH {
            return Err(("planned_end", "an operation may last at most 14 days"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_workflow() {
        use OperationStatus::*;
        assert!(Planned.may_become(UnderWay));
        assert!(Planned.may_become(Cancelled));
        assert!(UnderWay.may_become(Completed));
        assert!(UnderWay.may_become(Cancelled));
        assert!(!Planned.may_become(Completed));
        assert!(!Completed.may_become(UnderWay));
        assert!(!Cancelled.may_become(Planned));
        assert!(!Planned.may_become(Planned));
        assert!(!Planned.takes_outcomes());
        assert!(Completed.takes_outcomes());
        assert!(!Cancelled.takes_outcomes());
    }

    #[test]
    fn outcomes_refuse_negative_absurd_and_inconsistent_counts() {
        let ok = Outcomes {
            people_recovered: 3,
            minors_recovered: 1,
            arrests: 2,
            referrals_made: 3,
        };
        assert_eq!(ok.validate(), Ok(ok));
        let e = Outcomes { arrests: -1, ..ok }.validate().unwrap_err();
        assert_eq!(e.field, "arrests");
        let e = Outcomes {
            referrals_made: 1_000_000,
            ..ok
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.field, "referrals_made");
        let e = Outcomes {
            minors_recovered: 4,
            ..ok
        }
        .validate()
        .unwrap_err();
        assert!(e.to_string().contains("cannot exceed"));
    }

    #[test]
    fn planned_window() {
        let now = Timestamp::parse_rfc3339("2026-03-02T09:00:00Z").unwrap();
        let t = |s| Timestamp::parse_rfc3339(s).unwrap();
        assert!(check_window(t("2026-03-05T05:00:00Z"), None, now, true).is_ok());
        assert!(check_window(t("2026-03-02T08:30:00Z"), None, now, true).is_ok());
        assert_eq!(
            check_window(t("2026-03-01T09:00:00Z"), None, now, true)
                .unwrap_err()
                .0,
            "planned_start"
        );
        // An existing plan may be edited after its start (the operation is under way).
        assert!(check_window(t("2026-03-01T09:00:00Z"), None, now, false).is_ok());
        let e = check_window(
            t("2026-03-05T05:00:00Z"),
            Some(t("2026-03-05T04:00:00Z")),
            now,
            true,
        );
        assert_eq!(e.unwrap_err().0, "planned_end");
        let e = check_window(
            t("2026-03-05T05:00:00Z"),
            Some(t("2026-04-05T05:00:00Z")),
            now,
            true,
        );
        assert_eq!(e.unwrap_err().0, "planned_end");
    }

    proptest::proptest! {
        /// Valid outcomes are exactly the in-range, consistent ones.
        #[test]
        fn outcome_validation_is_exact(p in -5i64..20_000, m in -5i64..20_000, a in -5i64..20_000, r in -5i64..20_000) {
            let o = Outcomes { people_recovered: p, minors_recovered: m, arrests: a, referrals_made: r };
            let in_range = |v: i64| (0..=MAX_OUTCOME_COUNT).contains(&v);
            let want = in_range(p) && in_range(m) && in_range(a) && in_range(r) && m <= p;
            proptest::prop_assert_eq!(o.validate().is_ok(), want);
        }
    }
}
