//! The task force's vocabulary: agency kinds, roles, case types and the case status workflow.

/// A string that names none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind}; expected one of: {expected}")]
pub struct EnumError {
    pub kind: &'static str,
    pub expected: &'static str,
}

string_enum!(
    /// What kind of organisation an agency is.
    AgencyKind, "agency kind" {
        FederalLaw = "federal_law_enforcement",
        StateLaw = "state_law_enforcement",
        LocalLaw = "local_law_enforcement",
        Prosecutor = "prosecutor",
        VictimServices = "victim_services_ngo",
        SocialServices = "social_services",
        Other = "other",
    }
);

impl AgencyKind {
    /// Law-enforcement agencies (28 CFR Part 23 dissemination and deconfliction care about this).
    #[must_use]
    pub const fn is_law_enforcement(self) -> bool {
        matches!(self, Self::FederalLaw | Self::StateLaw | Self::LocalLaw)
    }
}

string_enum!(
    /// A user's role; one per user.
    Role, "role" {
        Investigator = "investigator",
        Analyst = "analyst",
        Prosecutor = "prosecutor",
        VictimAdvocate = "victim_advocate",
        Supervisor = "supervisor",
        Administrator = "administrator",
    }
);

string_enum!(
    /// The form of trafficking a case concerns.
    TraffickingType, "trafficking type" {
        Sex = "sex",
        Labour = "labour",
        Both = "both",
        Unknown = "unknown",
    }
);

string_enum!(
    /// Case status. The workflow is open → active → referred_for_prosecution → closed, with
    /// re-opening allowed from closed back to active.
    CaseStatus, "case status" {
        Open = "open",
        Active = "active",
        ReferredForProsecution = "referred_for_prosecution",
        Closed = "closed",
    }
);

impl CaseStatus {
    /// Whether the workflow allows moving from `self` to `next`.
    #[must_use]
    pub fn may_become(self, next: CaseStatus) -> bool {
        use CaseStatus::{Active, Closed, Open, ReferredForProsecution};
        matches!(
            (self, next),
            (Open, Active)
                | (Open | Active, Closed)
                | (Active, ReferredForProsecution)
                | (ReferredForProsecution, Active | Closed)
                | (Closed, Active)
        )
    }
}

string_enum!(
    /// How sensitive a case is. Restricted cases are visible to their team only, not to the
    /// owning agency's supervisors.
    Sensitivity, "sensitivity" {
        Normal = "normal",
        Restricted = "restricted",
    }
);

string_enum!(
    /// A task's state.
    TaskStatus, "task status" {
        Open = "open",
        Done = "done",
        Cancelled = "cancelled",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(*r));
        }
        for k in AgencyKind::ALL {
            assert_eq!(AgencyKind::parse(k.as_str()), Ok(*k));
        }
        let err = Role::parse("boss").unwrap_err();
        assert!(err.to_string().contains("investigator analyst"));
    }

    #[test]
    fn status_workflow() {
        use CaseStatus::*;
        assert!(Open.may_become(Active));
        assert!(Active.may_become(ReferredForProsecution));
        assert!(ReferredForProsecution.may_become(Closed));
        assert!(Closed.may_become(Active));
        assert!(!Open.may_become(ReferredForProsecution));
        assert!(!Closed.may_become(Open));
        assert!(!Active.may_become(Active));
    }
}
