//! The one authorisation policy. Every API route asks `authorize` before it touches data; the
//! function is pure (facts in, decision out) so it is tested without HTTP or a database.
//!
//! Need-to-know: a case is visible to its team and to its owning agency's supervisors (unless the
//! case is restricted), never to every user. Administrators manage accounts but never read case
//! content or the audit trail (CJIS AC-5 separation of duties). Denials on case-scoped objects are
//! reported as "not visible" so the HTTP edge answers 404 and existence does not leak.

use crate::model::{Role, Sensitivity};
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
    // --- evidence (case scope)
    /// List, show and download evidence and read its custody log.
    ReadEvidence,
    /// Add evidence to a case (upload).
    AddEvidence,
    /// Record a custody transfer to another task-force member.
    TransferEvidence,
    /// Take a court package (files, hash manifest, custody report) off the system.
    ExportEvidence,
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
                // --- evidence
                | Self::ReadEvidence
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
            // --- evidence
            Self::ReadEvidence => "evidence.read",
            Self::AddEvidence => "evidence.add",
            Self::TransferEvidence => "evidence.transfer",
            Self::ExportEvidence => "evidence.export",
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
        // --- evidence: everyone who sees the case sees its evidence (each download is a custody
        // event); those who add case content add evidence; the lead and the owning supervisor
        // answer for custody, so they record transfers; prosecutors on the team also export
        // (court packages), but never through a read-only token (export is a write).
        A::ReadEvidence => true,
        A::AddEvidence => {
            owning_supervisor
                || lead
                || matches!(
                    actor.role,
                    Role::Investigator | Role::Analyst | Role::Supervisor
                )
        }
        A::TransferEvidence => owning_supervisor || lead,
        A::ExportEvidence => owning_supervisor || lead || actor.role == Role::Prosecutor,
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

    // --- evidence
    #[test]
    fn evidence_roles() {
        let a = AgencyId::new_random();
        let lead = actor(Role::Investigator, a);
        let pros = actor(Role::Prosecutor, a);
        let analyst = actor(Role::Analyst, a);
        let sup = actor(Role::Supervisor, a);
        let c = case(
            a,
            &[(lead.user, true), (pros.user, false), (analyst.user, false)],
            Sensitivity::Normal,
        );
        let may = |who: &Actor, act| authorize(who, act, Target::Case(&c)).is_allowed();
        for who in [&lead, &pros, &analyst, &sup] {
            assert!(may(who, Action::ReadEvidence));
        }
        assert!(may(&lead, Action::AddEvidence) && may(&analyst, Action::AddEvidence));
        assert!(!may(&pros, Action::AddEvidence));
        assert!(may(&lead, Action::TransferEvidence) && may(&sup, Action::TransferEvidence));
        assert!(!may(&pros, Action::TransferEvidence) && !may(&analyst, Action::TransferEvidence));
        assert!(may(&pros, Action::ExportEvidence) && may(&lead, Action::ExportEvidence));
        assert!(!may(&analyst, Action::ExportEvidence));
        // A read-only token reads and downloads but never exports or adds.
        let mut ro = lead.clone();
        ro.scope = TokenScope::ReadOnly;
        assert!(authorize(&ro, Action::ReadEvidence, Target::Case(&c)).is_allowed());
        for act in [
            Action::AddEvidence,
            Action::TransferEvidence,
            Action::ExportEvidence,
        ] {
            assert_eq!(
                authorize(&ro, act, Target::Case(&c)),
                Decision::Deny(Deny::ReadOnlyToken)
            );
        }
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

        // --- evidence
        /// Evidence is never visible outside the team and the owning agency's supervisors, and a
        /// restricted case's evidence is hidden even from them unless they are on the team.
        #[test]
        fn evidence_never_leaves_the_need_to_know(role_ix in 0usize..6, action_ix in 0usize..4, same_agency: bool, restricted: bool) {
            let actions = [Action::ReadEvidence, Action::AddEvidence, Action::TransferEvidence, Action::ExportEvidence];
            let owner = AgencyId::new_random();
            let who = actor(Role::ALL[role_ix], if same_agency { owner } else { AgencyId::new_random() });
            let sensitivity = if restricted { Sensitivity::Restricted } else { Sensitivity::Normal };
            let c = case(owner, &[(UserId::new_random(), true)], sensitivity);
            let d = authorize(&who, actions[action_ix], Target::Case(&c));
            let owning_supervisor = who.role == Role::Supervisor && same_agency && !restricted;
            proptest::prop_assert_eq!(d.is_allowed(), owning_supervisor);
            if !owning_supervisor {
                proptest::prop_assert_eq!(d, Decision::Deny(Deny::NotVisible));
            }
        }
    }
}
