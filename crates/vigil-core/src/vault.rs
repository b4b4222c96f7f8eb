//! The victim vault's vocabulary and pure rules: data categories, consent recipients, the facts
//! the policy needs about a victim record, pseudonyms, the referral lifecycle and the
//! "victim, not suspect" guard (V1–V6). The decisions themselves live in `authz.rs`.

use crate::authz::{Actor, CaseFacts};
use crate::entity::Properties;
use crate::model::Role;
use vigil_types::{AgencyId, ConsentId, ProviderId, Timestamp, VictimId};

string_enum!(
    /// A category of victim data that a consent can cover (V3, V4). Safety plans are not a
    /// category: they are never shared beyond the serving agency's advocates.
    DataCategory, "data category" {
        /// Name, preferred name, date of birth, nationality, languages.
        Identity = "identity",
        /// Phone, e-mail and how to make contact safely.
        Contact = "contact",
        /// Screening answers and their results.
        Screening = "screening",
        /// Referrals and services delivered.
        Services = "services",
    }
);

/// Who a consent lets see victim data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Recipient {
    /// Everyone (except administrators) in one agency.
    Agency(AgencyId),
    /// Everyone in the task force with this role.
    Role(Role),
    /// Users with this role in this agency.
    AgencyRole(AgencyId, Role),
    /// A service provider from the directory (for referrals; never a reader inside Vigil).
    Provider(ProviderId),
}

/// A recipient string that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected `agency:<id>`, `role:<role>`, `agency:<id>:role:<role>` or `provider:<id>`")]
pub struct RecipientError;

impl Recipient {
    /// Parses the wire/storage form.
    pub fn parse(s: &str) -> Result<Self, RecipientError> {
        let parts: Vec<&str> = s.split(':').collect();
        match parts.as_slice() {
            ["agency", a] => AgencyId::parse(a)
                .map(Self::Agency)
                .map_err(|_| RecipientError),
            ["role", r] => Role::parse(r).map(Self::Role).map_err(|_| RecipientError),
            ["agency", a, "role", r] => Ok(Self::AgencyRole(
                AgencyId::parse(a).map_err(|_| RecipientError)?,
                Role::parse(r).map_err(|_| RecipientError)?,
            )),
            ["provider", p] => ProviderId::parse(p)
                .map(Self::Provider)
                .map_err(|_| RecipientError),
            _ => Err(RecipientError),
        }
    }

    /// Whether this recipient names `actor` (a user inside Vigil). Administrators are never
    /// recipients: they manage accounts, not victim data.
    #[must_use]
    pub fn names(self, actor: &Actor) -> bool {
        if actor.role == Role::Administrator {
            return false;
        }
        match self {
            Self::Agency(a) => actor.agency == a,
            Self::Role(r) => actor.role == r,
            Self::AgencyRole(a, r) => actor.agency == a && actor.role == r,
            Self::Provider(_) => false,
        }
    }
}

impl std::fmt::Display for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Agency(a) => write!(f, "agency:{a}"),
            Self::Role(r) => write!(f, "role:{r}"),
            Self::AgencyRole(a, r) => write!(f, "agency:{a}:role:{r}"),
            Self::Provider(p) => write!(f, "provider:{p}"),
        }
    }
}

/// What the policy needs to know about one consent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentFacts {
    pub id: ConsentId,
    pub recipients: Vec<Recipient>,
    pub categories: Vec<DataCategory>,
    /// When the consent was given; it has no effect before.
    pub given_at: Timestamp,
    /// It has no effect from this instant on.
    pub expires_at: Option<Timestamp>,
    /// Set when revoked; a revoked consent has no effect, whatever the date.
    pub revoked_at: Option<Timestamp>,
}

impl ConsentFacts {
    /// In force at `at`: given, not expired, not revoked.
    #[must_use]
    pub fn active_at(&self, at: Timestamp) -> bool {
        self.revoked_at.is_none() && self.given_at <= at && self.expires_at.is_none_or(|e| at < e)
    }

    #[must_use]
    pub fn covers(&self, category: DataCategory) -> bool {
        self.categories.contains(&category)
    }
}

/// What the policy needs to know about a victim record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VictimFacts {
    pub id: VictimId,
    /// The agency serving the survivor (usually a victim-services NGO).
    pub serving_agency: AgencyId,
    /// Every consent of the record, active or not; the policy decides which count.
    pub consents: Vec<ConsentFacts>,
    /// Cases the record is linked to: their teams may see the pseudonym.
    pub linked_cases: Vec<CaseFacts>,
    /// The time of the decision (consents expire).
    pub at: Timestamp,
}

impl VictimFacts {
    /// Active consents that name `actor`: what a non-advocate's access relies on.
    #[must_use]
    pub fn consents_naming(&self, actor: &Actor) -> Vec<ConsentId> {
        self.consents
            .iter()
            .filter(|c| c.active_at(self.at) && c.recipients.iter().any(|r| r.names(actor)))
            .map(|c| c.id)
            .collect()
    }

    /// Whether an active consent names `actor` and covers `category`.
    #[must_use]
    pub fn consented(&self, actor: &Actor, category: DataCategory) -> bool {
        self.consents.iter().any(|c| {
            c.active_at(self.at)
                && c.covers(category)
                && c.recipients.iter().any(|r| r.names(actor))
        })
    }

    /// Whether an active consent names `to` and covers every category in `categories`.
    #[must_use]
    pub fn consented_share(&self, to: Recipient, categories: &[DataCategory]) -> bool {
        self.consents.iter().any(|c| {
            c.active_at(self.at)
                && c.recipients.contains(&to)
                && categories.iter().all(|k| c.covers(*k))
        })
    }
}

/// Letters and digits without look-alikes (no I, O, 0, 1): 32 symbols.
const PSEUDONYM_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A random pseudonym such as `Survivor K7QF` (about a million possibilities; the store keeps
/// them unique and draws again on a collision).
pub fn pseudonym(rng: &mut impl rand::RngCore) -> String {
    let mut s = String::from("Survivor ");
    for _ in 0..4 {
        let i = (rng.next_u32() % 32) as usize;
        s.push(char::from(PSEUDONYM_ALPHABET[i]));
    }
    s
}

string_enum!(
    /// Where a referral stands: sent → accepted/declined → service_delivered → closed.
    ReferralStatus, "referral status" {
        Sent = "sent",
        Accepted = "accepted",
        Declined = "declined",
        ServiceDelivered = "service_delivered",
        Closed = "closed",
    }
);

impl ReferralStatus {
    /// Whether the lifecycle allows moving from `self` to `next`.
    #[must_use]
    pub fn may_become(self, next: ReferralStatus) -> bool {
        use ReferralStatus::{Accepted, Closed, Declined, Sent, ServiceDelivered};
        matches!(
            (self, next),
            (Sent, Accepted | Declined)
                | (Accepted, ServiceDelivered | Closed)
                | (Declined | ServiceDelivered, Closed)
        )
    }
}

string_enum!(
    /// Kinds of service in the directory (V2).
    ServiceType, "service type" {
        Shelter = "shelter",
        Medical = "medical",
        Counselling = "counselling",
        Legal = "legal",
        Immigration = "immigration",
        Education = "education",
        JobTraining = "job_training",
        CaseManagement = "case_management",
        Interpretation = "interpretation",
        Other = "other",
    }
);

/// HTCDS role value for a victim.
pub const HTCDS_VICTIM: &str = "victim";
/// HTCDS role value for a suspected perpetrator.
pub const HTCDS_SUSPECT: &str = "suspected_perpetrator";

fn has_role(props: &Properties, value: &str) -> bool {
    props
        .get("htcdsRole")
        .is_some_and(|v| v.iter().any(|x| x == value))
}

/// Whether an entity's properties mark the person as a victim.
#[must_use]
pub fn marks_victim(props: &Properties) -> bool {
    has_role(props, HTCDS_VICTIM)
}

/// Whether an entity's properties mark the person as a suspected perpetrator.
#[must_use]
pub fn marks_suspect(props: &Properties) -> bool {
    has_role(props, HTCDS_SUSPECT)
}

/// The "victim, not suspect" guard (V5): a change that would make an identified victim a
/// suspect is allowed only when a supervisor's override (with a reason) is on record.
#[must_use]
pub fn suspect_change_allowed(
    identified_victim: bool,
    becomes_suspect: bool,
    override_on_record: bool,
) -> bool {
    !(identified_victim && becomes_suspect) || override_on_record
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::TokenScope;
    use vigil_types::UserId;

    fn actor(role: Role, agency: AgencyId) -> Actor {
        Actor {
            user: UserId::new_random(),
            agency,
            role,
            scope: TokenScope::Full,
        }
    }

    #[test]
    fn recipients_round_trip_and_name_actors() {
        let a = AgencyId::new_random();
        let p = ProviderId::new_random();
        for r in [
            Recipient::Agency(a),
            Recipient::Role(Role::Prosecutor),
            Recipient::AgencyRole(a, Role::Investigator),
            Recipient::Provider(p),
        ] {
            assert_eq!(Recipient::parse(&r.to_string()), Ok(r));
        }
        assert!(Recipient::parse("agency:nope").is_err());
        assert!(Recipient::parse("role:boss").is_err());
        assert!(Recipient::parse("").is_err());
        let pros = actor(Role::Prosecutor, a);
        assert!(Recipient::Role(Role::Prosecutor).names(&pros));
        assert!(Recipient::AgencyRole(a, Role::Prosecutor).names(&pros));
        assert!(!Recipient::AgencyRole(a, Role::Investigator).names(&pros));
        assert!(!Recipient::Provider(p).names(&pros));
        assert!(!Recipient::Agency(a).names(&actor(Role::Administrator, a)));
    }

    #[test]
    fn consent_activity() {
        let t = |s: &str| Timestamp::parse_rfc3339(s).unwrap();
        let mut c = ConsentFacts {
            id: ConsentId::new_random(),
            recipients: vec![],
            categories: vec![DataCategory::Identity],
            given_at: t("2026-03-01T00:00:00Z"),
            expires_at: Some(t("2026-04-01T00:00:00Z")),
            revoked_at: None,
        };
        assert!(!c.active_at(t("2026-02-28T23:59:59Z")));
        assert!(c.active_at(t("2026-03-15T00:00:00Z")));
        assert!(!c.active_at(t("2026-04-01T00:00:00Z")));
        c.revoked_at = Some(t("2026-03-10T00:00:00Z"));
        assert!(
            !c.active_at(t("2026-03-05T00:00:00Z")),
            "revoked is revoked"
        );
    }

    #[test]
    fn pseudonyms_look_right() {
        let mut rng = rand::thread_rng();
        for _ in 0..100 {
            let p = pseudonym(&mut rng);
            assert_eq!(p.len(), "Survivor K7QF".len());
            assert!(p[9..].bytes().all(|b| PSEUDONYM_ALPHABET.contains(&b)));
        }
    }

    #[test]
    fn referral_lifecycle() {
        use ReferralStatus::*;
        assert!(Sent.may_become(Accepted));
        assert!(Sent.may_become(Declined));
        assert!(Accepted.may_become(ServiceDelivered));
        assert!(ServiceDelivered.may_become(Closed));
        assert!(Declined.may_become(Closed));
        assert!(!Sent.may_become(ServiceDelivered));
        assert!(!Declined.may_become(Accepted));
        assert!(!Closed.may_become(Sent));
        for s in ReferralStatus::ALL {
            assert!(!s.may_become(*s), "{s} to itself");
            assert!(!Closed.may_become(*s));
        }
    }

    #[test]
    fn guard() {
        assert!(suspect_change_allowed(false, true, false));
        assert!(suspect_change_allowed(true, false, false));
        assert!(!suspect_change_allowed(true, true, false));
        assert!(suspect_change_allowed(true, true, true));
        let mut p = Properties::new();
        p.insert("htcdsRole".into(), vec!["victim".into()]);
        assert!(marks_victim(&p) && !marks_suspect(&p));
    }
}
