//! The one authorisation policy. Every API route asks `authorize` before it touches data; the
//! function is pure (facts in, decision out) so it is tested without HTTP or a database.
//!
//! Need-to-know: a case is visible to its team and to its owning agency's supervisors (unless the
//! case is restricted), never to every user. Administrators manage accounts but never read case
//! content or the audit trail (CJIS AC-5 separation of duties). Denials on case-scoped objects are
//! reported as "not visible" so the HTTP edge answers 404 and existence does not leak.

use crate::model::{Role, Sensitivity};
use crate::vault::{DataCategory, Recipient, VictimFacts};
use vigil_types::{AgencyId, CaseId, UserId};

/// Whether the credential may change data. Interactive sessions are `Full`; API tokens may be
/// narrowed to `ReadOnly`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenScope {
    Full,
    ReadOnly,
}

/// The authenticated caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub agency: AgencyId,
    pub role: Role,
    pub scope: TokenScope,
}

/// A member of a case team.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TeamMember {
    pub user: UserId,
    /// The case lead may manage the team and the status.
    pub lead: bool,
}

/// What the policy needs to know about a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFacts {
    pub id: CaseId,
    pub owner: AgencyId,
    pub sensitivity: Sensitivity,
    pub team: Vec<TeamMember>,
}

/// What the caller wants to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    // Task-force scope.
    ListAgencies,
    CreateAgency,
    ListUsers,
    CreateUser,
    UnlockUser,
    DisableUser,
    ReadAudit,
    ExportAudit,
    CreateCase,
    ListCases,
    ListOwnTokens,
    ManageOwnTokens,
    // Case scope.
    ReadCase,
    UpdateCase,
    ChangeCaseStatus,
    ManageCaseTeam,
    WriteCaseContent,
    WriteNote,
    // --- vault
    /// Open a victim record (advocates; their agency serves the survivor).
    CreateVictim,
    /// List the victim records the caller may see (pseudonyms).
    ListVictims,
    /// See that a record exists, by its pseudonym.
    ReadVictimPseudonym,
    /// Read the identity fields (advocates of the serving agency, or a consent).
    ReadVictimIdentity,
    /// Read the contact fields (advocates of the serving agency, or a consent).
    ReadVictimContact,
    /// Read screening answers and results (advocates of the serving agency, or a consent).
    ReadVictimScreening,
    /// Read referrals and services delivered (advocates of the serving agency, or a consent).
    ReadVictimServices,
    /// Change a victim record or its case links (advocates of the serving agency).
    WriteVictim,
    /// List a record's consents (advocates of the serving agency).
    ReadConsents,
    /// Record or revoke a consent (advocates of the serving agency).
    RecordConsent,
    /// Administer a screening (advocates of the serving agency).
    ScreenVictim,
    /// Refer to a provider: a share, allowed only under a consent naming the provider.
    ReferVictim,
    /// Read the safety plan (advocates of the serving agency only; no consent opens it).
    ReadSafetyPlan,
    /// Write the safety plan (advocates of the serving agency only).
    WriteSafetyPlan,
    /// The provider directory.
    ListProviders,
    /// Add providers to the directory (advocates and supervisors).
    ManageProviders,
    /// Read the screening questionnaires.
    ReadScreeningTool,
    /// Override the "victim, not suspect" guard for an entity (supervisors who see the case).
    OverrideVictimGuard,
}

impl Action {
    /// Whether the action changes data (refused to read-only tokens).
    #[must_use]
    pub const fn is_write(self) -> bool {
        !matches!(
            self,
            Self::ListAgencies
                | Self::ListUsers
                | Self::ReadAudit
                | Self::ListCases
                | Self::ListOwnTokens
                | Self::ReadCase
                // --- vault
                | Self::ListVictims
                | Self::ReadVictimPseudonym
                | Self::ReadVictimIdentity
                | Self::ReadVictimContact
                | Self::ReadVictimScreening
                | Self::ReadVictimServices
                | Self::ReadConsents
                | Self::ReadSafetyPlan
                | Self::ListProviders
                | Self::ReadScreeningTool
        )
    }

    /// Stable name used in audit events.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ListAgencies => "agency.list",
            Self::CreateAgency => "agency.create",
            Self::ListUsers => "user.list",
            Self::CreateUser => "user.create",
            Self::UnlockUser => "user.unlock",
            Self::DisableUser => "user.disable",
            Self::ReadAudit => "audit.read",
            Self::ExportAudit => "audit.export",
            Self::CreateCase => "case.create",
            Self::ListCases => "case.list",
            Self::ListOwnTokens => "token.list",
            Self::ManageOwnTokens => "token.manage",
            Self::ReadCase => "case.read",
            Self::UpdateCase => "case.update",
            Self::ChangeCaseStatus => "case.status",
            Self::ManageCaseTeam => "case.team",
            Self::WriteCaseContent => "case.write",
            Self::WriteNote => "case.note",
            // --- vault
            Self::CreateVictim => "victim.create",
            Self::ListVictims => "victim.list",
            Self::ReadVictimPseudonym => "victim.read",
            Self::ReadVictimIdentity => "victim.read_identity",
            Self::ReadVictimContact => "victim.read_contact",
            Self::ReadVictimScreening => "victim.read_screening",
            Self::ReadVictimServices => "victim.read_services",
            Self::WriteVictim => "victim.write",
            Self::ReadConsents => "victim.consent_read",
            Self::RecordConsent => "victim.consent",
            Self::ScreenVictim => "victim.screen",
            Self::ReferVictim => "victim.refer",
            Self::ReadSafetyPlan => "victim.safety_plan_read",
            Self::WriteSafetyPlan => "victim.safety_plan_write",
            Self::ListProviders => "provider.list",
            Self::ManageProviders => "provider.manage",
            Self::ReadScreeningTool => "screening.tool",
            Self::OverrideVictimGuard => "victim.guard_override",
        }
    }
}

/// What the action is applied to.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    /// The task force as a whole (lists, creation of top-level records, the audit trail).
    TaskForce,
    /// A user account belonging to `agency`.
    UserIn { agency: AgencyId },
    /// A case (and everything inside it).
    Case(&'a CaseFacts),
    // --- vault
    /// A victim record in the vault.
    Victim(&'a VictimFacts),
    /// Sharing a victim record outside Vigil (a referral to a provider).
    VictimShare {
        victim: &'a VictimFacts,
        to: Recipient,
    },
}

/// Why access was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deny {
    /// The object exists but the caller may not know that (answer 404).
    NotVisible,
    /// The caller may see the object but not do this to it (answer 403).
    RoleForbids,
    /// The credential is read-only.
    ReadOnlyToken,
}

impl Deny {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NotVisible => "not_visible",
            Self::RoleForbids => "role_forbids",
            Self::ReadOnlyToken => "read_only_token",
        }
    }
}

/// The policy's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(Deny),
}

impl Decision {
    #[must_use]
    pub const fn is_allowed(self) -> bool {
        matches!(self, Self::Allow)
    }
}

/// Roles that work cases (may be on a team, may create cases).
const fn works_cases(role: Role) -> bool {
    !matches!(role, Role::Administrator)
}

/// Decides every access. Read the match arms as the policy table.
#[must_use]
pub fn authorize(actor: &Actor, action: Action, target: Target<'_>) -> Decision {
    let decision = decide(actor, action, target);
    // A read-only token can never change anything, whatever the role allows; but an object it
    // may not see stays invisible (404) rather than revealing itself through a 403.
    match decision {
        Decision::Allow if action.is_write() && actor.scope == TokenScope::ReadOnly => {
            Decision::Deny(Deny::ReadOnlyToken)
        }
        d => d,
    }
}

fn decide(actor: &Actor, action: Action, target: Target<'_>) -> Decision {
    use Action as A;
    let allow_if = |ok: bool| {
        if ok {
            Decision::Allow
        } else {
            Decision::Deny(Deny::RoleForbids)
        }
    };
    match (action, target) {
        (
            A::ListAgencies | A::ListUsers | A::ListOwnTokens | A::ManageOwnTokens | A::ListCases,
            Target::TaskForce,
        ) => Decision::Allow,
        (A::CreateAgency | A::CreateUser | A::DisableUser, Target::TaskForce) => {
            allow_if(actor.role == Role::Administrator)
        }
        (A::DisableUser, Target::UserIn { .. }) => allow_if(actor.role == Role::Administrator),
        (A::UnlockUser, Target::UserIn { agency }) => allow_if(
            actor.role == Role::Administrator
                || (actor.role == Role::Supervisor && agency == actor.agency),
        ),
        (A::ReadAudit | A::ExportAudit, Target::TaskForce) => {
            allow_if(actor.role == Role::Supervisor)
        }
        (A::CreateCase, Target::TaskForce) => allow_if(matches!(
            actor.role,
            Role::Investigator | Role::Analyst | Role::Supervisor
        )),
        (_, Target::Case(case)) => decide_case(actor, action, case),
        // --- vault
        (A::ListVictims, Target::TaskForce) => allow_if(actor.role != Role::Administrator),
        (A::CreateVictim | A::ManageProviders, Target::TaskForce)
            if actor.role == Role::VictimAdvocate =>
        {
            Decision::Allow
        }
        (A::ManageProviders, Target::TaskForce) => allow_if(actor.role == Role::Supervisor),
        (A::ListProviders | A::ReadScreeningTool, Target::TaskForce) => Decision::Allow,
        (_, Target::Victim(v)) => decide_victim(actor, action, v),
        (A::ReferVictim, Target::VictimShare { victim, to }) => {
            match decide_victim(actor, A::WriteVictim, victim) {
                // A referral shares who the survivor is and how to reach them.
                Decision::Allow => allow_if(
                    victim.consented_share(to, &[DataCategory::Identity, DataCategory::Contact]),
                ),
                d => d,
            }
        }
        _ => Decision::Deny(Deny::RoleForbids),
    }
}

fn decide_case(actor: &Actor, action: Action, case: &CaseFacts) -> Decision {
    use Action as A;
    let member = case.team.iter().find(|m| m.user == actor.user);
    let owning_supervisor = actor.role == Role::Supervisor
        && actor.agency == case.owner
        && case.sensitivity == Sensitivity::Normal;
    let visible = works_cases(actor.role) && (member.is_some() || owning_supervisor);
    if !visible {
        return Decision::Deny(Deny::NotVisible);
    }
    let lead = member.is_some_and(|m| m.lead);
    let ok = match action {
        A::ReadCase | A::WriteNote => true,
        A::WriteCaseContent => {
            owning_supervisor
                || lead
                || matches!(
                    actor.role,
                    Role::Investigator | Role::Analyst | Role::Supervisor
                )
        }
        A::UpdateCase | A::ChangeCaseStatus | A::ManageCaseTeam => owning_supervisor || lead,
        // --- vault
        A::OverrideVictimGuard => actor.role == Role::Supervisor,
        _ => false,
    };
    if ok {
        Decision::Allow
    } else {
        Decision::Deny(Deny::RoleForbids)
    }
}

// --- vault
/// The vault policy (V1, V3, V4). Advocates of the serving agency see and manage everything;
/// anyone else needs an active consent naming them for each category of data, and sees at most
/// the pseudonym otherwise. The pseudonym itself is visible to the serving agency, to the teams
/// of linked cases and to consent recipients; to nobody else (404). Administrators never see it.
fn decide_victim(actor: &Actor, action: Action, v: &VictimFacts) -> Decision {
    use Action as A;
    if actor.role == Role::Administrator {
        return Decision::Deny(Deny::NotVisible);
    }
    let advocate = actor.role == Role::VictimAdvocate && actor.agency == v.serving_agency;
    let visible = actor.agency == v.serving_agency
        || !v.consents_naming(actor).is_empty()
        || v.linked_cases
            .iter()
            .any(|c| decide_case(actor, A::ReadCase, c).is_allowed());
    if !visible {
        return Decision::Deny(Deny::NotVisible);
    }
    let category = |k: DataCategory| advocate || v.consented(actor, k);
    let ok = match action {
        A::ReadVictimPseudonym => true,
        A::ReadVictimIdentity => category(DataCategory::Identity),
        A::ReadVictimContact => category(DataCategory::Contact),
        A::ReadVictimScreening => category(DataCategory::Screening),
        A::ReadVictimServices => category(DataCategory::Services),
        A::WriteVictim
        | A::ReadConsents
        | A::RecordConsent
        | A::ScreenVictim
        | A::ReadSafetyPlan
        | A::WriteSafetyPlan => advocate,
        _ => false,
    };
    if ok {
        Decision::Allow
    } else {
        Decision::Deny(Deny::RoleForbids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, agency: AgencyId) -> Actor {
        Actor {
            user: UserId::new_random(),
            agency,
            role,
            scope: TokenScope::Full,
        }
    }

    fn case(owner: AgencyId, team: &[(UserId, bool)], sensitivity: Sensitivity) -> CaseFacts {
        CaseFacts {
            id: CaseId::new_random(),
            owner,
            sensitivity,
            team: team
                .iter()
                .map(|&(user, lead)| TeamMember { user, lead })
                .collect(),
        }
    }

    #[test]
    fn case_visible_to_team_and_owning_supervisors_only() {
        let (a, b) = (AgencyId::new_random(), AgencyId::new_random());
        let inv = actor(Role::Investigator, a);
        let colleague = actor(Role::Investigator, a);
        let sup = actor(Role::Supervisor, a);
        let other_sup = actor(Role::Supervisor, b);
        let admin = actor(Role::Administrator, a);
        let c = case(a, &[(inv.user, true)], Sensitivity::Normal);
        let read = |who: &Actor| authorize(who, Action::ReadCase, Target::Case(&c));
        assert_eq!(read(&inv), Decision::Allow);
        assert_eq!(read(&colleague), Decision::Deny(Deny::NotVisible));
        assert_eq!(read(&sup), Decision::Allow);
        assert_eq!(read(&other_sup), Decision::Deny(Deny::NotVisible));
        assert_eq!(read(&admin), Decision::Deny(Deny::NotVisible));
    }

    #[test]
    fn restricted_case_hides_from_supervisor_not_on_team() {
        let a = AgencyId::new_random();
        let sup = actor(Role::Supervisor, a);
        let c = case(a, &[], Sensitivity::Restricted);
        assert_eq!(
            authorize(&sup, Action::ReadCase, Target::Case(&c)),
            Decision::Deny(Deny::NotVisible)
        );
    }

    #[test]
    fn prosecutor_on_team_reads_and_notes_but_does_not_edit() {
        let a = AgencyId::new_random();
        let p = actor(Role::Prosecutor, a);
        let c = case(a, &[(p.user, false)], Sensitivity::Normal);
        assert!(authorize(&p, Action::ReadCase, Target::Case(&c)).is_allowed());
        assert!(authorize(&p, Action::WriteNote, Target::Case(&c)).is_allowed());
        assert_eq!(
            authorize(&p, Action::WriteCaseContent, Target::Case(&c)),
            Decision::Deny(Deny::RoleForbids)
        );
        assert_eq!(
            authorize(&p, Action::ManageCaseTeam, Target::Case(&c)),
            Decision::Deny(Deny::RoleForbids)
        );
    }

    #[test]
    fn read_only_token_cannot_write_but_invisible_stays_invisible() {
        let a = AgencyId::new_random();
        let mut inv = actor(Role::Investigator, a);
        inv.scope = TokenScope::ReadOnly;
        let c = case(a, &[(inv.user, true)], Sensitivity::Normal);
        assert!(authorize(&inv, Action::ReadCase, Target::Case(&c)).is_allowed());
        assert_eq!(
            authorize(&inv, Action::WriteNote, Target::Case(&c)),
            Decision::Deny(Deny::ReadOnlyToken)
        );
        let hidden = case(a, &[], Sensitivity::Normal);
        assert_eq!(
            authorize(&inv, Action::WriteNote, Target::Case(&hidden)),
            Decision::Deny(Deny::NotVisible)
        );
    }

    #[test]
    fn separation_of_duties() {
        let a = AgencyId::new_random();
        let admin = actor(Role::Administrator, a);
        let sup = actor(Role::Supervisor, a);
        assert!(!authorize(&admin, Action::ReadAudit, Target::TaskForce).is_allowed());
        assert!(authorize(&sup, Action::ReadAudit, Target::TaskForce).is_allowed());
        assert!(authorize(&admin, Action::CreateUser, Target::TaskForce).is_allowed());
        assert!(!authorize(&sup, Action::CreateUser, Target::TaskForce).is_allowed());
        // Supervisors unlock their own agency's users only.
        assert!(authorize(&sup, Action::UnlockUser, Target::UserIn { agency: a }).is_allowed());
        let b = AgencyId::new_random();
        assert!(!authorize(&sup, Action::UnlockUser, Target::UserIn { agency: b }).is_allowed());
    }

    proptest::proptest! {
        /// Nobody outside the team and the owning agency ever sees a case, whatever the role.
        #[test]
        fn outsiders_never_see_a_case(role_ix in 0usize..6, action_ix in 0usize..6) {
            let roles = Role::ALL;
            let actions = [Action::ReadCase, Action::UpdateCase, Action::ChangeCaseStatus, Action::ManageCaseTeam, Action::WriteCaseContent, Action::WriteNote];
            let outsider = actor(roles[role_ix], AgencyId::new_random());
            let c = case(AgencyId::new_random(), &[(UserId::new_random(), true)], Sensitivity::Normal);
            proptest::prop_assert_eq!(authorize(&outsider, actions[action_ix], Target::Case(&c)), Decision::Deny(Deny::NotVisible));
        }
    }
}

// --- vault
#[cfg(test)]
mod vault_tests {
    use super::*;
    use crate::vault::{ConsentFacts, DataCategory, Recipient, VictimFacts};
    use vigil_types::{ConsentId, ProviderId, Timestamp, VictimId};

    fn actor(role: Role, agency: AgencyId) -> Actor {
        Actor {
            user: UserId::new_random(),
            agency,
            role,
            scope: TokenScope::Full,
        }
    }

    fn t(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).unwrap()
    }

    fn consent(recipients: Vec<Recipient>, categories: Vec<DataCategory>) -> ConsentFacts {
        ConsentFacts {
            id: ConsentId::new_random(),
            recipients,
            categories,
            given_at: t("2026-03-01T00:00:00Z"),
            expires_at: Some(t("2026-06-01T00:00:00Z")),
            revoked_at: None,
        }
    }

    fn victim(serving: AgencyId, consents: Vec<ConsentFacts>) -> VictimFacts {
        VictimFacts {
            id: VictimId::new_random(),
            serving_agency: serving,
            consents,
            linked_cases: vec![],
            at: t("2026-03-15T12:00:00Z"),
        }
    }

    const READS: [Action; 4] = [
        Action::ReadVictimIdentity,
        Action::ReadVictimContact,
        Action::ReadVictimScreening,
        Action::ReadVictimServices,
    ];

    #[test]
    fn advocates_of_the_serving_agency_see_everything_others_nothing() {
        let (ngo, pd) = (AgencyId::new_random(), AgencyId::new_random());
        let adv = actor(Role::VictimAdvocate, ngo);
        let v = victim(ngo, vec![]);
        for a in READS.iter().chain(&[
            Action::WriteVictim,
            Action::RecordConsent,
            Action::ReadSafetyPlan,
            Action::WriteSafetyPlan,
        ]) {
            assert!(
                authorize(&adv, *a, Target::Victim(&v)).is_allowed(),
                "{a:?}"
            );
        }
        // A colleague in the same NGO who is not an advocate sees the pseudonym only.
        let sup = actor(Role::Supervisor, ngo);
        assert!(authorize(&sup, Action::ReadVictimPseudonym, Target::Victim(&v)).is_allowed());
        assert_eq!(
            authorize(&sup, Action::ReadVictimIdentity, Target::Victim(&v)),
            Decision::Deny(Deny::RoleForbids)
        );
        // Another agency's advocate does not even see it exists.
        let other = actor(Role::VictimAdvocate, pd);
        assert_eq!(
            authorize(&other, Action::ReadVictimPseudonym, Target::Victim(&v)),
            Decision::Deny(Deny::NotVisible)
        );
        // Administrators never.
        let admin = actor(Role::Administrator, ngo);
        assert_eq!(
            authorize(&admin, Action::ReadVictimPseudonym, Target::Victim(&v)),
            Decision::Deny(Deny::NotVisible)
        );
    }

    #[test]
    fn consent_opens_its_categories_for_its_recipients_until_revoked_or_expired() {
        let (ngo, da) = (AgencyId::new_random(), AgencyId::new_random());
        let pros = actor(Role::Prosecutor, da);
        let mut v = victim(
            ngo,
            vec![consent(
                vec![Recipient::AgencyRole(da, Role::Prosecutor)],
                vec![DataCategory::Identity],
            )],
        );
        let read = |v: &VictimFacts, a| authorize(&pros, a, Target::Victim(v));
        assert!(read(&v, Action::ReadVictimIdentity).is_allowed());
        assert_eq!(
            read(&v, Action::ReadVictimContact),
            Decision::Deny(Deny::RoleForbids)
        );
        assert_eq!(
            read(&v, Action::ReadSafetyPlan),
            Decision::Deny(Deny::RoleForbids),
            "no consent opens a safety plan"
        );
        // An investigator of the same agency is not named.
        let inv = actor(Role::Investigator, da);
        assert_eq!(
            authorize(&inv, Action::ReadVictimIdentity, Target::Victim(&v)),
            Decision::Deny(Deny::NotVisible)
        );
        v.at = t("2026-06-01T00:00:00Z");
        assert_eq!(
            read(&v, Action::ReadVictimIdentity),
            Decision::Deny(Deny::NotVisible)
        );
        v.at = t("2026-03-15T12:00:00Z");
        v.consents[0].revoked_at = Some(v.at);
        assert_eq!(
            read(&v, Action::ReadVictimIdentity),
            Decision::Deny(Deny::NotVisible)
        );
    }

    #[test]
    fn case_team_sees_the_pseudonym_only() {
        let (ngo, pd) = (AgencyId::new_random(), AgencyId::new_random());
        let lead = actor(Role::Investigator, pd);
        let mut v = victim(ngo, vec![]);
        v.linked_cases.push(CaseFacts {
            id: CaseId::new_random(),
            owner: pd,
            sensitivity: Sensitivity::Normal,
            team: vec![TeamMember {
                user: lead.user,
                lead: true,
            }],
        });
        assert!(authorize(&lead, Action::ReadVictimPseudonym, Target::Victim(&v)).is_allowed());
        for a in READS {
            assert_eq!(
                authorize(&lead, a, Target::Victim(&v)),
                Decision::Deny(Deny::RoleForbids)
            );
        }
    }

    #[test]
    fn referral_needs_a_consent_naming_the_provider() {
        let ngo = AgencyId::new_random();
        let adv = actor(Role::VictimAdvocate, ngo);
        let (p, q) = (ProviderId::new_random(), ProviderId::new_random());
        let v = victim(
            ngo,
            vec![consent(
                vec![Recipient::Provider(p)],
                vec![DataCategory::Identity, DataCategory::Contact],
            )],
        );
        let share = |to| {
            authorize(
                &adv,
                Action::ReferVictim,
                Target::VictimShare { victim: &v, to },
            )
        };
        assert!(share(Recipient::Provider(p)).is_allowed());
        assert_eq!(
            share(Recipient::Provider(q)),
            Decision::Deny(Deny::RoleForbids)
        );
        // Only advocates refer.
        let sup = actor(Role::Supervisor, ngo);
        assert!(!authorize(
            &sup,
            Action::ReferVictim,
            Target::VictimShare {
                victim: &v,
                to: Recipient::Provider(p)
            }
        )
        .is_allowed());
    }

    #[test]
    fn read_only_token_reads_but_never_writes_victim_data() {
        let ngo = AgencyId::new_random();
        let mut adv = actor(Role::VictimAdvocate, ngo);
        adv.scope = TokenScope::ReadOnly;
        let v = victim(ngo, vec![]);
        assert!(authorize(&adv, Action::ReadVictimIdentity, Target::Victim(&v)).is_allowed());
        assert_eq!(
            authorize(&adv, Action::RecordConsent, Target::Victim(&v)),
            Decision::Deny(Deny::ReadOnlyToken)
        );
    }

    #[test]
    fn guard_override_is_for_supervisors_who_see_the_case() {
        let a = AgencyId::new_random();
        let lead = actor(Role::Investigator, a);
        let sup = actor(Role::Supervisor, a);
        let c = CaseFacts {
            id: CaseId::new_random(),
            owner: a,
            sensitivity: Sensitivity::Normal,
            team: vec![TeamMember {
                user: lead.user,
                lead: true,
            }],
        };
        assert!(authorize(&sup, Action::OverrideVictimGuard, Target::Case(&c)).is_allowed());
        assert_eq!(
            authorize(&lead, Action::OverrideVictimGuard, Target::Case(&c)),
            Decision::Deny(Deny::RoleForbids)
        );
    }

    proptest::proptest! {
        /// V3: nobody outside the serving agency's advocates ever reads a category of victim
        /// data without an unexpired, unrevoked consent that names them and covers it.
        #[test]
        fn no_full_data_without_consent_naming_the_reader(
            role_ix in 0usize..6,
            agency_ix in 0usize..3,
            action_ix in 0usize..4,
            at_day in 0i64..120,
            consents in proptest::collection::vec(
                (0usize..4, 0usize..3, 0usize..6, 0u8..16, 0i64..120, proptest::option::of(0i64..120), proptest::bool::ANY),
                0..4,
            ),
        ) {
            let agencies = [AgencyId::from_u128(1), AgencyId::from_u128(2), AgencyId::from_u128(3)];
            let day = |d: i64| Timestamp::from_unix_micros(1_772_000_000_000_000 + d * 86_400_000_000);
            let roles = Role::ALL;
            let who = actor(roles[role_ix], agencies[agency_ix]);
            let facts: Vec<ConsentFacts> = consents.iter().map(|&(kind, ag, ro, cats, given, expires, revoked)| {
                let recipient = match kind {
                    0 => Recipient::Agency(agencies[ag]),
                    1 => Recipient::Role(roles[ro]),
                    2 => Recipient::AgencyRole(agencies[ag], roles[ro]),
                    _ => Recipient::Provider(ProviderId::from_u128(ag as u128)),
                };
                ConsentFacts {
                    id: ConsentId::new_random(),
                    recipients: vec![recipient],
                    categories: DataCategory::ALL.iter().enumerate().filter(|(i, _)| cats & (1 << i) != 0).map(|(_, c)| *c).collect(),
                    given_at: day(given),
                    expires_at: expires.map(day),
                    revoked_at: revoked.then(|| day(given)),
                }
            }).collect();
            let v = VictimFacts { id: VictimId::new_random(), serving_agency: agencies[0], consents: facts.clone(), linked_cases: vec![], at: day(at_day) };
            let action = READS[action_ix];
            let category = DataCategory::ALL[action_ix];
            if authorize(&who, action, Target::Victim(&v)).is_allowed() {
                let advocate = who.role == Role::VictimAdvocate && who.agency == agencies[0];
                let named = facts.iter().any(|c| {
                    c.revoked_at.is_none()
                        && c.given_at <= v.at
                        && c.expires_at.is_none_or(|e| v.at < e)
                        && c.categories.contains(&category)
                        && c.recipients.iter().any(|r| match *r {
                            Recipient::Agency(a) => a == who.agency,
                            Recipient::Role(r) => r == who.role,
                            Recipient::AgencyRole(a, r) => a == who.agency && r == who.role,
                            Recipient::Provider(_) => false,
                        })
                });
                proptest::prop_assert!(advocate || named, "{:?} read {:?} without consent", who.role, action);
                proptest::prop_assert!(who.role != Role::Administrator);
            }
            // Safety plans: advocates of the serving agency only, whatever the consents.
            if authorize(&who, Action::ReadSafetyPlan, Target::Victim(&v)).is_allowed() {
                proptest::prop_assert!(who.role == Role::VictimAdvocate && who.agency == agencies[0]);
            }
        }
    }
}
