//! The one authorisation policy. Every API route asks `authorize` before it touches data; the
//! function is pure (facts in, decision out) so it is tested without HTTP or a database.
//!
//! Need-to-know: a case is visible to its team and to its owning agency's supervisors (unless the
//! case is restricted), never to every user. Administrators manage accounts but never read case
//! content or the audit trail (CJIS AC-5 separation of duties). Denials on case-scoped objects are
//! reported as "not visible" so the HTTP edge answers 404 and existence does not leak.

use crate::model::{AgencyKind, Role, Sensitivity};
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
    // --- xref
    /// Run cross-referencing for a case (case scope; writes candidates).
    RunXref,
    /// Read a case's match candidates (case scope).
    ReadXref,
    /// Record or undo a same/different/unsure judgement (case scope, asked for both cases).
    JudgeXref,
    /// Check an imported CSV against what the caller may see (task-force scope; stores nothing).
    CheckXref,
    /// Export judgements as training labels (task-force scope; filtered to visible pairs).
    ExportXrefLabels,
    /// Read the stoplist of generic values (task-force scope).
    ReadXrefStoplist,
    /// Add to the stoplist of generic values (task-force scope).
    ManageXrefStoplist,
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
                // --- xref
                | Self::ReadXref
                | Self::CheckXref
                | Self::ExportXrefLabels
                | Self::ReadXrefStoplist
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
            // --- xref
            Self::RunXref => "xref.run",
            Self::ReadXref => "xref.read",
            Self::JudgeXref => "xref.judge",
            Self::CheckXref => "xref.check",
            Self::ExportXrefLabels => "xref.labels",
            Self::ReadXrefStoplist => "xref.stoplist.read",
            Self::ManageXrefStoplist => "xref.stoplist.manage",
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
        // --- xref
        (A::CheckXref | A::ExportXrefLabels, Target::TaskForce) => {
            allow_if(works_cases(actor.role))
        }
        (A::ReadXrefStoplist, Target::TaskForce) => Decision::Allow,
        (A::ManageXrefStoplist, Target::TaskForce) => allow_if(actor.role == Role::Supervisor),
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
        // --- xref: reading candidates is reading the case; running and judging is case work.
        A::ReadXref => true,
        A::WriteCaseContent | A::RunXref | A::JudgeXref => {
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

// --- xref: what a caller may learn about a match candidate between two records.

/// One side of a match candidate, as the policy needs it.
#[derive(Clone, Copy, Debug)]
pub struct XrefSide<'a> {
    pub case: &'a CaseFacts,
    /// Kind of the agency that owns `case`.
    pub agency_kind: AgencyKind,
    /// The record describes a victim: never announced to anyone who may not see it.
    pub victim: bool,
}

/// What a caller may learn about a candidate between a record of `mine` and one of `other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XrefView {
    /// The caller may see both records: the candidate, its score and its explanation.
    Both,
    /// Only a deconfliction notice: "another agency has a possible match; contact its
    /// supervisor", naming the owning agency. No id, score or value of the other record.
    Deconfliction,
    /// Nothing at all.
    Hidden,
}

/// Agencies that take part in deconfliction (law enforcement and prosecutors). Victim-service
/// and social-service agencies neither receive nor trigger notices: their records are
/// confidential to them (VAWA/FVPSA-style confidentiality).
const fn deconflicts(kind: AgencyKind) -> bool {
    kind.is_law_enforcement() || matches!(kind, AgencyKind::Prosecutor)
}

/// Decides what `actor` (of an agency of `actor_kind`) may learn about a candidate linking a
/// record in `mine` to one in `other`. Both records visible: `Both`. Otherwise a notice only
/// when both agencies deconflict, the other case is not restricted and the other record is not
/// a victim; else `Hidden`.
#[must_use]
pub fn xref_view(
    actor: &Actor,
    actor_kind: AgencyKind,
    mine: XrefSide<'_>,
    other: XrefSide<'_>,
) -> XrefView {
    let sees = |side: XrefSide<'_>| {
        authorize(actor, Action::ReadXref, Target::Case(side.case)).is_allowed()
    };
    if !sees(mine) {
        return XrefView::Hidden;
    }
    if sees(other) {
        return XrefView::Both;
    }
    if deconflicts(actor_kind)
        && deconflicts(other.agency_kind)
        && other.case.sensitivity == Sensitivity::Normal
        && !other.victim
    {
        XrefView::Deconfliction
    } else {
        XrefView::Hidden
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

    // --- xref
    fn side(case: &CaseFacts, kind: AgencyKind, victim: bool) -> XrefSide<'_> {
        XrefSide {
            case,
            agency_kind: kind,
            victim,
        }
    }

    #[test]
    fn xref_both_only_when_both_records_are_visible() {
        let (a, b) = (AgencyId::new_random(), AgencyId::new_random());
        let inv = actor(Role::Investigator, a);
        let mine = case(a, &[(inv.user, true)], Sensitivity::Normal);
        let also_mine = case(b, &[(inv.user, false)], Sensitivity::Normal);
        let theirs = case(b, &[], Sensitivity::Normal);
        let law = AgencyKind::LocalLaw;
        assert_eq!(
            xref_view(
                &inv,
                law,
                side(&mine, law, false),
                side(&also_mine, law, false)
            ),
            XrefView::Both
        );
        assert_eq!(
            xref_view(
                &inv,
                law,
                side(&mine, law, false),
                side(&theirs, AgencyKind::FederalLaw, false)
            ),
            XrefView::Deconfliction
        );
        // A record the caller cannot see is never the starting point.
        assert_eq!(
            xref_view(
                &inv,
                law,
                side(&theirs, law, false),
                side(&mine, law, false)
            ),
            XrefView::Hidden
        );
    }

    #[test]
    fn xref_no_notice_for_victims_restricted_cases_or_ngos() {
        let (a, b) = (AgencyId::new_random(), AgencyId::new_random());
        let inv = actor(Role::Investigator, a);
        let mine = case(a, &[(inv.user, true)], Sensitivity::Normal);
        let theirs = case(b, &[], Sensitivity::Normal);
        let restricted = case(b, &[], Sensitivity::Restricted);
        let law = AgencyKind::StateLaw;
        let view =
            |other: XrefSide<'_>, kind| xref_view(&inv, kind, side(&mine, law, false), other);
        assert_eq!(view(side(&theirs, law, true), law), XrefView::Hidden);
        assert_eq!(view(side(&restricted, law, false), law), XrefView::Hidden);
        assert_eq!(
            view(side(&theirs, AgencyKind::VictimServices, false), law),
            XrefView::Hidden
        );
        assert_eq!(
            view(side(&theirs, law, false), AgencyKind::VictimServices),
            XrefView::Hidden
        );
        assert_eq!(
            view(side(&theirs, AgencyKind::Prosecutor, false), law),
            XrefView::Deconfliction
        );
    }

    #[test]
    fn xref_actions_follow_case_work() {
        let a = AgencyId::new_random();
        let lead = actor(Role::Investigator, a);
        let pros = actor(Role::Prosecutor, a);
        let admin = actor(Role::Administrator, a);
        let c = case(
            a,
            &[(lead.user, true), (pros.user, false)],
            Sensitivity::Normal,
        );
        assert!(authorize(&lead, Action::JudgeXref, Target::Case(&c)).is_allowed());
        assert!(authorize(&pros, Action::ReadXref, Target::Case(&c)).is_allowed());
        assert_eq!(
            authorize(&pros, Action::JudgeXref, Target::Case(&c)),
            Decision::Deny(Deny::RoleForbids)
        );
        let mut ro = lead.clone();
        ro.scope = TokenScope::ReadOnly;
        assert_eq!(
            authorize(&ro, Action::RunXref, Target::Case(&c)),
            Decision::Deny(Deny::ReadOnlyToken)
        );
        assert!(authorize(&ro, Action::CheckXref, Target::TaskForce).is_allowed());
        assert!(!authorize(&admin, Action::CheckXref, Target::TaskForce).is_allowed());
        assert!(!authorize(&lead, Action::ManageXrefStoplist, Target::TaskForce).is_allowed());
    }

    proptest::proptest! {
        /// A notice or a candidate never reaches anyone for a victim or a restricted case they
        /// cannot see, and `Both` always means the policy lets them read both cases.
        #[test]
        fn xref_view_never_leaks(role_ix in 0usize..6, kind_ix in 0usize..7, other_kind_ix in 0usize..7,
                                 restricted: bool, victim: bool, on_other_team: bool, same_agency: bool) {
            let a = AgencyId::new_random();
            let who = actor(Role::ALL[role_ix], a);
            let mine = case(a, &[(who.user, true)], Sensitivity::Normal);
            let owner = if same_agency { a } else { AgencyId::new_random() };
            let team: Vec<(UserId, bool)> = if on_other_team { vec![(who.user, false)] } else { vec![] };
            let sens = if restricted { Sensitivity::Restricted } else { Sensitivity::Normal };
            let other = case(owner, &team, sens);
            let kinds = AgencyKind::ALL;
            let v = xref_view(&who, kinds[kind_ix], side(&mine, kinds[kind_ix], false), side(&other, kinds[other_kind_ix], victim));
            let reads_other = authorize(&who, Action::ReadCase, Target::Case(&other)).is_allowed();
            let reads_mine = authorize(&who, Action::ReadCase, Target::Case(&mine)).is_allowed();
            proptest::prop_assert_eq!(v == XrefView::Both, reads_mine && reads_other);
            if v == XrefView::Deconfliction {
                proptest::prop_assert!(!victim && !restricted && !reads_other);
                proptest::prop_assert!(deconflicts(kinds[other_kind_ix]) && deconflicts(kinds[kind_ix]));
            }
        }
    }
}
