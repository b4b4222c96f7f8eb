//! The one authorisation policy. Every API route asks `authorize` before it touches data; the
//! function is pure (facts in, decision out) so it is tested without HTTP or a database.
//!
//! Need-to-know: a case is visible to its team and to its owning agency's supervisors (unless the
//! case is restricted), never to every user. Administrators manage accounts but never read case
//! content or the audit trail (CJIS AC-5 separation of duties). Denials on case-scoped objects are
//! reported as "not visible" so the HTTP edge answers 404 and existence does not leak.

use crate::model::{AgencyKind, Role, Sensitivity};
use vigil_types::{AgencyId, CaseId, OperationId, UserId};

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

// --- ops
/// A member of a joint operation's roster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RosterMember {
    pub user: UserId,
    /// The member's agency (it must be a participating agency to count).
    pub agency: AgencyId,
    /// Commanders run the operation: plan, roster, status, linked cases and outcomes.
    pub commander: bool,
}

/// What the policy needs to know about a joint operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationFacts {
    pub id: OperationId,
    pub lead_agency: AgencyId,
    /// Participating agencies (the lead agency included).
    pub participants: Vec<AgencyId>,
    pub roster: Vec<RosterMember>,
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
    // --- analytics
    /// See a victim-role person's identity (name and properties) rather than a pseudonym, in
    /// link charts and other analytic views of a case.
    ReadVictimIdentity,
    // --- ops
    /// List the protocol checklist templates (task-force scope).
    ListProtocolTemplates,
    /// Start a protocol checklist on a case, add items, mark items done (case scope).
    WriteProtocol,
    /// Record charges, dispositions and court events (case scope).
    WriteProsecution,
    /// List the joint operations the caller may see (task-force scope; filtered per operation).
    ListOperations,
    /// Plan a joint operation (task-force scope).
    CreateOperation,
    /// Read an operation (operation scope).
    ReadOperation,
    /// Change an operation's plan, roster, status, linked cases or outcomes (operation scope).
    ManageOperation,
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
                // --- analytics
                | Self::ReadVictimIdentity
                // --- ops
                | Self::ListProtocolTemplates
                | Self::ListOperations
                | Self::ReadOperation
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
            // --- analytics
            Self::ReadVictimIdentity => "case.victim_identity",
            // --- ops
            Self::ListProtocolTemplates => "protocol.templates",
            Self::WriteProtocol => "case.protocol",
            Self::WriteProsecution => "case.prosecution",
            Self::ListOperations => "operation.list",
            Self::CreateOperation => "operation.create",
            Self::ReadOperation => "operation.read",
            Self::ManageOperation => "operation.manage",
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
    // --- ops
    /// A joint operation.
    Operation(&'a OperationFacts),
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
        // --- ops
        (A::ListProtocolTemplates | A::ListOperations, Target::TaskForce) => Decision::Allow,
        // Operations are planned by law-enforcement roles that run field work.
        (A::CreateOperation, Target::TaskForce) => {
            allow_if(matches!(actor.role, Role::Investigator | Role::Supervisor))
        }
        (_, Target::Operation(op)) => decide_operation(actor, action, op),
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
        // --- analytics
        // Victim identity: victim advocates on the case only. This is where consent plugs in:
        // when the victim vault records consent, `CaseFacts` (or a victim-scoped target) carries
        // it and this arm also allows those the victim consented to share with.
        A::ReadVictimIdentity => actor.role == Role::VictimAdvocate,
        // --- ops
        // Protocol checklists record what each team member did (advocate notified, interpreter
        // offered…), so every team member, prosecutors and advocates included, keeps them.
        A::WriteProtocol => true,
        // Charges, court events and dispositions: the prosecutors on the team, the case lead and
        // the owning agency's supervisors. Other investigators, analysts and advocates read them.
        A::WriteProsecution => {
            owning_supervisor || lead || (member.is_some() && actor.role == Role::Prosecutor)
        }
        _ => false,
    };
    if ok {
        Decision::Allow
    } else {
        Decision::Deny(Deny::RoleForbids)
    }
}

// --- ops
/// Need-to-know for joint operations: an operation is visible to the people on its roster who
/// belong to a participating agency, and to the lead agency's supervisors. Participation of an
/// agency alone shows nothing to its other members (a planned raid is need-to-know). Commanders
/// on the roster and the lead agency's supervisors run it; other roster members read it.
fn decide_operation(actor: &Actor, action: Action, op: &OperationFacts) -> Decision {
    use Action as A;
    let on_roster = op.roster.iter().find(|m| {
        m.user == actor.user && m.agency == actor.agency && op.participants.contains(&m.agency)
    });
    let lead_supervisor = actor.role == Role::Supervisor && actor.agency == op.lead_agency;
    let visible = works_cases(actor.role) && (on_roster.is_some() || lead_supervisor);
    if !visible {
        return Decision::Deny(Deny::NotVisible);
    }
    let ok = match action {
        A::ReadOperation => true,
        A::ManageOperation => lead_supervisor || on_roster.is_some_and(|m| m.commander),
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

    // --- analytics
    #[test]
    fn victim_identity_only_for_advocates_who_see_the_case() {
        let a = AgencyId::new_random();
        let ngo = AgencyId::new_random();
        let lead = actor(Role::Investigator, a);
        let sup = actor(Role::Supervisor, a);
        let advocate = actor(Role::VictimAdvocate, ngo);
        let outside_advocate = actor(Role::VictimAdvocate, ngo);
        let c = case(
            a,
            &[(lead.user, true), (advocate.user, false)],
            Sensitivity::Normal,
        );
        let ask = |who: &Actor| authorize(who, Action::ReadVictimIdentity, Target::Case(&c));
        assert_eq!(ask(&advocate), Decision::Allow);
        assert_eq!(ask(&lead), Decision::Deny(Deny::RoleForbids));
        assert_eq!(ask(&sup), Decision::Deny(Deny::RoleForbids));
        assert_eq!(ask(&outside_advocate), Decision::Deny(Deny::NotVisible));
        let mut ro = advocate.clone();
        ro.scope = TokenScope::ReadOnly;
        assert_eq!(ask(&ro), Decision::Allow, "reading is not a write");
    }

    proptest::proptest! {
        /// Victim identity is never shown to anyone but a victim advocate who sees the case.
        #[test]
        fn victim_identity_needs_advocate_and_visibility(role_ix in 0usize..6, on_team: bool, same_agency: bool) {
            let a = AgencyId::new_random();
            let who = actor(Role::ALL[role_ix], if same_agency { a } else { AgencyId::new_random() });
            let team: Vec<(UserId, bool)> = if on_team { vec![(who.user, false)] } else { vec![] };
            let c = case(a, &team, Sensitivity::Normal);
            let allowed = authorize(&who, Action::ReadVictimIdentity, Target::Case(&c)).is_allowed();
            let visible = authorize(&who, Action::ReadCase, Target::Case(&c)).is_allowed();
            proptest::prop_assert_eq!(allowed, visible && who.role == Role::VictimAdvocate);
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
    }

    // --- xref
    fn side(case: &CaseFacts, kind: AgencyKind, victim: bool) -> XrefSide<'_> {
        XrefSide {
            case,
            agency_kind: kind,
            victim,
        }
    }
    // --- ops
    fn operation(
        lead: AgencyId,
        participants: &[AgencyId],
        roster: &[(&Actor, bool)],
    ) -> OperationFacts {
        OperationFacts {
            id: OperationId::new_random(),
            lead_agency: lead,
            participants: participants.to_vec(),
            roster: roster
                .iter()
                .map(|(a, commander)| RosterMember {
                    user: a.user,
                    agency: a.agency,
                    commander: *commander,
                })
                .collect(),
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

    #[test]
    fn prosecution_is_written_by_team_prosecutors_the_lead_and_owning_supervisors() {
        let a = AgencyId::new_random();
        let lead = actor(Role::Investigator, a);
        let pros = actor(Role::Prosecutor, a);
        let inv = actor(Role::Investigator, a);
        let adv = actor(Role::VictimAdvocate, AgencyId::new_random());
        let sup = actor(Role::Supervisor, a);
        let outside_pros = actor(Role::Prosecutor, a);
        let c = case(
            a,
            &[
                (lead.user, true),
                (pros.user, false),
                (inv.user, false),
                (adv.user, false),
            ],
            Sensitivity::Normal,
        );
        let w = |who: &Actor| authorize(who, Action::WriteProsecution, Target::Case(&c));
        assert_eq!(w(&lead), Decision::Allow);
        assert_eq!(w(&pros), Decision::Allow);
        assert_eq!(w(&sup), Decision::Allow);
        assert_eq!(w(&inv), Decision::Deny(Deny::RoleForbids));
        assert_eq!(w(&adv), Decision::Deny(Deny::RoleForbids));
        assert_eq!(w(&outside_pros), Decision::Deny(Deny::NotVisible));
        // The prosecutor's other rights are unchanged: still no general case editing.
        assert_eq!(
            authorize(&pros, Action::WriteCaseContent, Target::Case(&c)),
            Decision::Deny(Deny::RoleForbids)
        );
        let mut ro = pros.clone();
        ro.scope = TokenScope::ReadOnly;
        assert_eq!(w(&ro), Decision::Deny(Deny::ReadOnlyToken));
    }

    #[test]
    fn every_team_member_keeps_the_protocol_checklist() {
        let a = AgencyId::new_random();
        let team: Vec<Actor> = Role::ALL
            .iter()
            .filter(|r| **r != Role::Administrator)
            .map(|r| actor(*r, a))
            .collect();
        let members: Vec<(UserId, bool)> = team.iter().map(|m| (m.user, false)).collect();
        let c = case(a, &members, Sensitivity::Normal);
        for m in &team {
            assert!(
                authorize(m, Action::WriteProtocol, Target::Case(&c)).is_allowed(),
                "{:?}",
                m.role
            );
        }
        let off_team = actor(Role::Investigator, a);
        assert_eq!(
            authorize(&off_team, Action::WriteProtocol, Target::Case(&c)),
            Decision::Deny(Deny::NotVisible)
        );
    }

    #[test]
    fn operation_visible_to_roster_of_participants_and_lead_supervisors_only() {
        let (a, b, c) = (
            AgencyId::new_random(),
            AgencyId::new_random(),
            AgencyId::new_random(),
        );
        let commander = actor(Role::Investigator, a);
        let agent_b = actor(Role::Investigator, b);
        let advocate = actor(Role::VictimAdvocate, c);
        let colleague_a = actor(Role::Investigator, a);
        let sup_a = actor(Role::Supervisor, a);
        let sup_b = actor(Role::Supervisor, b);
        let admin_a = actor(Role::Administrator, a);
        let op = operation(
            a,
            &[a, b, c],
            &[
                (&commander, true),
                (&agent_b, false),
                (&advocate, false),
                (&admin_a, true),
            ],
        );
        let read = |who: &Actor| authorize(who, Action::ReadOperation, Target::Operation(&op));
        let manage = |who: &Actor| authorize(who, Action::ManageOperation, Target::Operation(&op));
        assert_eq!(read(&commander), Decision::Allow);
        assert_eq!(manage(&commander), Decision::Allow);
        assert_eq!(read(&agent_b), Decision::Allow);
        assert_eq!(manage(&agent_b), Decision::Deny(Deny::RoleForbids));
        assert_eq!(read(&advocate), Decision::Allow);
        assert_eq!(read(&sup_a), Decision::Allow);
        assert_eq!(manage(&sup_a), Decision::Allow);
        // Participation alone shows nothing: not to colleagues, not to a participant's supervisor.
        assert_eq!(read(&colleague_a), Decision::Deny(Deny::NotVisible));
        assert_eq!(read(&sup_b), Decision::Deny(Deny::NotVisible));
        // Administrators never read operational content, even if listed.
        assert_eq!(read(&admin_a), Decision::Deny(Deny::NotVisible));
        // A roster entry counts only while the member's agency participates.
        let withdrawn = operation(a, &[a], &[(&agent_b, false)]);
        assert_eq!(
            authorize(
                &agent_b,
                Action::ReadOperation,
                Target::Operation(&withdrawn)
            ),
            Decision::Deny(Deny::NotVisible)
        );
        // Case actions never apply to an operation.
        assert_eq!(
            authorize(&commander, Action::WriteCaseContent, Target::Operation(&op)),
            Decision::Deny(Deny::RoleForbids)
        );
    }

    #[test]
    fn operations_are_planned_by_investigators_and_supervisors() {
        let a = AgencyId::new_random();
        for role in Role::ALL {
            let ok = authorize(&actor(*role, a), Action::CreateOperation, Target::TaskForce)
                .is_allowed();
            assert_eq!(
                ok,
                matches!(role, Role::Investigator | Role::Supervisor),
                "{role:?}"
            );
            assert!(
                authorize(&actor(*role, a), Action::ListOperations, Target::TaskForce).is_allowed()
            );
        }
    }

    proptest::proptest! {
        /// Nobody off the roster sees an operation unless they supervise the lead agency; a
        /// read-only token never changes one.
        #[test]
        fn operation_need_to_know(role_ix in 0usize..6, same_agency in proptest::bool::ANY, on_roster in proptest::bool::ANY, commander in proptest::bool::ANY, read_only in proptest::bool::ANY) {
            let lead = AgencyId::new_random();
            let agency = if same_agency { lead } else { AgencyId::new_random() };
            let mut who = actor(Role::ALL[role_ix], agency);
            if read_only { who.scope = TokenScope::ReadOnly; }
            let roster: Vec<(&Actor, bool)> = if on_roster { vec![(&who, commander)] } else { vec![] };
            let op = operation(lead, &[lead, agency], &roster);
            let read = authorize(&who, Action::ReadOperation, Target::Operation(&op));
            let manage = authorize(&who, Action::ManageOperation, Target::Operation(&op));
            let lead_sup = who.role == Role::Supervisor && same_agency;
            let sees = who.role != Role::Administrator && (on_roster || lead_sup);
            proptest::prop_assert_eq!(read.is_allowed(), sees);
            if !sees {
                proptest::prop_assert_eq!(manage, Decision::Deny(Deny::NotVisible));
            } else {
                let runs_it = lead_sup || (on_roster && commander);
                let want = match (runs_it, read_only) {
                    (true, false) => Decision::Allow,
                    (true, true) => Decision::Deny(Deny::ReadOnlyToken),
                    (false, _) => Decision::Deny(Deny::RoleForbids),
                };
                proptest::prop_assert_eq!(manage, want);
            }
        }
    }
}
