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
    // --- tips
    /// List the triage queue (filtered per item by `ReadIntake`).
    ListIntake,
    /// Enter a referral into the triage queue.
    CreateIntake,
    /// Read one intake item (tip or referral) with its messages and selectors.
    ReadIntake,
    /// Assign, route to an agency, or close an intake item.
    TriageIntake,
    /// Merge an item into a case, or reply to the tipster.
    WorkIntake,
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
                | Self::ListIntake
                | Self::ReadIntake
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
            // --- tips
            Self::ListIntake => "intake.list",
            Self::CreateIntake => "intake.create",
            Self::ReadIntake => "intake.read",
            Self::TriageIntake => "intake.triage",
            Self::WorkIntake => "intake.work",
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
    // --- tips
    /// An item of the triage queue (an anonymous tip or a referral).
    Intake(&'a IntakeFacts),
}

// --- tips
/// What the policy needs to know about an intake item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntakeFacts {
    /// The agency the item was routed to, if any.
    pub routed_to: Option<AgencyId>,
    pub assignee: Option<UserId>,
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
        // --- tips
        (A::ListIntake, Target::TaskForce) => Decision::Allow,
        (A::CreateIntake, Target::TaskForce) => allow_if(matches!(
            actor.role,
            Role::Investigator | Role::Analyst | Role::Supervisor | Role::VictimAdvocate
        )),
        (_, Target::Intake(item)) => decide_intake(actor, action, item),
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
        _ => false,
    };
    if ok {
        Decision::Allow
    } else {
        Decision::Deny(Deny::RoleForbids)
    }
}

// --- tips
/// The triage queue (T4). An unrouted item is visible to supervisors (the triage role) of any
/// agency; once routed, to the routed agency's supervisors, investigators and analysts; and
/// always to its assignee. Supervisors who see an item assign, route and close it (a routed item
/// only by the routed agency's supervisors); supervisors and the assignee merge it into a case or
/// reply to the tipster (merging into an existing case also needs `WriteCaseContent` on that
/// case, asked separately). Prosecutors, advocates and administrators see no tips unless
/// assigned. Anyone who works cases (and advocates) may enter a referral; it lands unrouted.
fn decide_intake(actor: &Actor, action: Action, item: &IntakeFacts) -> Decision {
    use Action as A;
    let assignee = item.assignee == Some(actor.user);
    let supervisor = actor.role == Role::Supervisor;
    let in_routed_agency = item.routed_to == Some(actor.agency);
    let visible = assignee
        || match item.routed_to {
            None => supervisor,
            Some(_) => {
                in_routed_agency
                    && matches!(
                        actor.role,
                        Role::Supervisor | Role::Investigator | Role::Analyst
                    )
            }
        };
    if !visible {
        return Decision::Deny(Deny::NotVisible);
    }
    let triager = supervisor && (item.routed_to.is_none() || in_routed_agency);
    let ok = match action {
        A::ReadIntake => true,
        A::TriageIntake => triager,
        A::WorkIntake => triager || assignee,
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

    // --- tips
    #[test]
    fn intake_queue_visibility_and_triage() {
        let (a, b) = (AgencyId::new_random(), AgencyId::new_random());
        let sup_a = actor(Role::Supervisor, a);
        let sup_b = actor(Role::Supervisor, b);
        let inv_a = actor(Role::Investigator, a);
        let inv_b = actor(Role::Investigator, b);
        let pros_a = actor(Role::Prosecutor, a);
        let admin = actor(Role::Administrator, a);
        let unrouted = IntakeFacts {
            routed_to: None,
            assignee: None,
        };
        let d =
            |who: &Actor, action, item: &IntakeFacts| authorize(who, action, Target::Intake(item));
        // Unrouted: supervisors only.
        assert!(d(&sup_a, Action::ReadIntake, &unrouted).is_allowed());
        assert!(d(&sup_b, Action::TriageIntake, &unrouted).is_allowed());
        for who in [&inv_a, &pros_a, &admin] {
            assert_eq!(
                d(who, Action::ReadIntake, &unrouted),
                Decision::Deny(Deny::NotVisible)
            );
        }
        // Routed to A: A's supervisors, investigators and analysts; not B's supervisor.
        let routed = IntakeFacts {
            routed_to: Some(a),
            assignee: None,
        };
        assert!(d(&sup_a, Action::TriageIntake, &routed).is_allowed());
        assert!(d(&inv_a, Action::ReadIntake, &routed).is_allowed());
        assert_eq!(
            d(&inv_a, Action::TriageIntake, &routed),
            Decision::Deny(Deny::RoleForbids)
        );
        assert_eq!(
            d(&inv_a, Action::WorkIntake, &routed),
            Decision::Deny(Deny::RoleForbids)
        );
        assert_eq!(
            d(&sup_b, Action::ReadIntake, &routed),
            Decision::Deny(Deny::NotVisible)
        );
        assert_eq!(
            d(&pros_a, Action::ReadIntake, &routed),
            Decision::Deny(Deny::NotVisible)
        );
        // The assignee reads and works it, but does not re-route it.
        let assigned = IntakeFacts {
            routed_to: Some(a),
            assignee: Some(inv_a.user),
        };
        assert!(d(&inv_a, Action::WorkIntake, &assigned).is_allowed());
        assert_eq!(
            d(&inv_a, Action::TriageIntake, &assigned),
            Decision::Deny(Deny::RoleForbids)
        );
        assert_eq!(
            d(&inv_b, Action::ReadIntake, &assigned),
            Decision::Deny(Deny::NotVisible)
        );
        // Referrals: case workers and advocates enter them; administrators and prosecutors do not.
        assert!(authorize(
            &actor(Role::VictimAdvocate, a),
            Action::CreateIntake,
            Target::TaskForce
        )
        .is_allowed());
        assert!(!authorize(&admin, Action::CreateIntake, Target::TaskForce).is_allowed());
        assert!(!authorize(&pros_a, Action::CreateIntake, Target::TaskForce).is_allowed());
        // A read-only token reads but never triages.
        let mut ro = sup_a.clone();
        ro.scope = TokenScope::ReadOnly;
        assert!(d(&ro, Action::ReadIntake, &routed).is_allowed());
        assert_eq!(
            d(&ro, Action::TriageIntake, &routed),
            Decision::Deny(Deny::ReadOnlyToken)
        );
    }

    proptest::proptest! {
        /// A routed item is never visible to anyone outside the routed agency but its assignee.
        #[test]
        fn routed_items_stay_in_their_agency(role_ix in 0usize..6, action_ix in 0usize..3) {
            let actions = [Action::ReadIntake, Action::TriageIntake, Action::WorkIntake];
            let outsider = actor(Role::ALL[role_ix], AgencyId::new_random());
            let item = IntakeFacts { routed_to: Some(AgencyId::new_random()), assignee: Some(UserId::new_random()) };
            proptest::prop_assert_eq!(authorize(&outsider, actions[action_ix], Target::Intake(&item)), Decision::Deny(Deny::NotVisible));
        }
    }
}
