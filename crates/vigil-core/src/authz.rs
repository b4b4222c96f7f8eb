//! The one authorisation policy. Every API route asks `authorize` before it touches data; the
//! function is pure (facts in, decision out) so it is tested without HTTP or a database.
//!
//! Need-to-know: a case is visible to its team and to its owning agency's supervisors (unless the
//! case is restricted), never to every user. Administrators manage accounts but never read case
//! content or the audit trail (CJIS AC-5 separation of duties). Denials on case-scoped objects are
//! reported as "not visible" so the HTTP edge answers 404 and existence does not leak.

use crate::model::{AgencyKind, Role, Sensitivity};
use crate::vault::{DataCategory, Recipient, VictimFacts};
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
    /// Re-enable a disabled account (administrators; e.g. after the inactivity sweep).
    EnableUser,
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
    SeeVictimInChart,
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
    /// Privileged functions (CJIS IA-11, MP-2/4): account and role grants, sharing grants (case
    /// team), credentials for automation, and every export that takes data off the system. The
    /// caller needs a session whose password and second factor were entered within
    /// [`crate::auth::session::STEP_UP_WINDOW`]; API tokens never qualify.
    #[must_use]
    pub const fn needs_step_up(self) -> bool {
        matches!(
            self,
            Self::CreateAgency
                | Self::CreateUser
                | Self::UnlockUser
                | Self::DisableUser
                | Self::EnableUser
                | Self::ManageOwnTokens
                | Self::ExportAudit
                | Self::ManageCaseTeam
                | Self::ExportXrefLabels
                | Self::ExportEvidence
        )
    }

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
                | Self::SeeVictimInChart
                // --- ops
                | Self::ListProtocolTemplates
                | Self::ListOperations
                | Self::ReadOperation
                | Self::ListIntake
                | Self::ReadIntake
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
            Self::EnableUser => "user.enable",
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
            Self::SeeVictimInChart => "case.victim_identity",
            // --- ops
            Self::ListProtocolTemplates => "protocol.templates",
            Self::WriteProtocol => "case.protocol",
            Self::WriteProsecution => "case.prosecution",
            Self::ListOperations => "operation.list",
            Self::CreateOperation => "operation.create",
            Self::ReadOperation => "operation.read",
            Self::ManageOperation => "operation.manage",
            // --- tips
            Self::ListIntake => "intake.list",
            Self::CreateIntake => "intake.create",
            Self::ReadIntake => "intake.read",
            Self::TriageIntake => "intake.triage",
            Self::WorkIntake => "intake.work",
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
    // --- ops
    /// A joint operation.
    Operation(&'a OperationFacts),
    // --- tips
    /// An item of the triage queue (an anonymous tip or a referral).
    Intake(&'a IntakeFacts),
    // --- vault
    /// A victim record in the vault.
    Victim(&'a VictimFacts),
    /// Sharing a victim record outside Vigil (a referral to a provider).
    VictimShare {
        victim: &'a VictimFacts,
        to: Recipient,
    },
    /// A person of `case` linked to the vault record `victim` (for `SeeVictimInChart`).
    CaseVictim {
        case: &'a CaseFacts,
        victim: &'a VictimFacts,
    },
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
    /// A privileged function needs a recent password and second factor (IA-11): answer 403 with
    /// a step-up challenge.
    StepUpRequired,
}

impl Deny {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NotVisible => "not_visible",
            Self::RoleForbids => "role_forbids",
            Self::ReadOnlyToken => "read_only_token",
            Self::StepUpRequired => "step_up_required",
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
        (A::DisableUser | A::EnableUser, Target::UserIn { .. }) => {
            allow_if(actor.role == Role::Administrator)
        }
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
        // --- tips
        (A::ListIntake, Target::TaskForce) => Decision::Allow,
        (A::CreateIntake, Target::TaskForce) => allow_if(matches!(
            actor.role,
            Role::Investigator | Role::Analyst | Role::Supervisor | Role::VictimAdvocate
        )),
        (_, Target::Intake(item)) => decide_intake(actor, action, item),
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
        // A linked victim's name in case content: whoever sees it in charts, plus those a consent
        // lets read the record's identity (V3: the consent plugs into the case views here).
        (A::SeeVictimInChart, Target::CaseVictim { case, victim }) => {
            match decide_case(actor, action, case) {
                Decision::Deny(Deny::RoleForbids)
                    if decide_victim(actor, A::ReadVictimIdentity, victim).is_allowed() =>
                {
                    Decision::Allow
                }
                d => d,
            }
        }
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
        // --- vault
        A::OverrideVictimGuard => actor.role == Role::Supervisor,
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
        // --- analytics
        // Victim identity: victim advocates on the case. For a person linked to a vault record,
        // `Target::CaseVictim` also allows those a consent lets read the record's identity.
        A::SeeVictimInChart => actor.role == Role::VictimAdvocate,
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
        let ask = |who: &Actor| authorize(who, Action::SeeVictimInChart, Target::Case(&c));
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
            let allowed = authorize(&who, Action::SeeVictimInChart, Target::Case(&c)).is_allowed();
            let visible = authorize(&who, Action::ReadCase, Target::Case(&c)).is_allowed();
            proptest::prop_assert_eq!(allowed, visible && who.role == Role::VictimAdvocate);
        }
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

    /// A linked victim's name in case views: advocates on the case as before, plus exactly those
    /// a consent in force lets read the identity category; never anyone who cannot read the case.
    #[test]
    fn case_victim_identity_follows_consent() {
        let (le, ngo) = (AgencyId::new_random(), AgencyId::new_random());
        let inv = actor(Role::Investigator, le);
        let analyst = actor(Role::Analyst, le);
        let outsider = actor(Role::Investigator, le);
        let adv = actor(Role::VictimAdvocate, ngo);
        let case = CaseFacts {
            id: vigil_types::CaseId::new_random(),
            owner: le,
            sensitivity: crate::Sensitivity::Normal,
            team: [&inv, &analyst, &adv]
                .iter()
                .map(|a| TeamMember {
                    user: a.user,
                    lead: false,
                })
                .collect(),
        };
        let ask = |who: &Actor, v: &VictimFacts| {
            authorize(
                who,
                Action::SeeVictimInChart,
                Target::CaseVictim {
                    case: &case,
                    victim: v,
                },
            )
        };
        let none = victim(ngo, vec![]);
        assert_eq!(ask(&adv, &none), Decision::Allow);
        assert_eq!(ask(&inv, &none), Decision::Deny(Deny::RoleForbids));
        let named = victim(
            ngo,
            vec![consent(
                vec![Recipient::AgencyRole(le, Role::Investigator)],
                vec![DataCategory::Identity],
            )],
        );
        assert_eq!(ask(&inv, &named), Decision::Allow);
        assert_eq!(ask(&analyst, &named), Decision::Deny(Deny::RoleForbids));
        assert_eq!(ask(&outsider, &named), Decision::Deny(Deny::NotVisible));
        let contact_only = victim(
            ngo,
            vec![consent(
                vec![Recipient::Agency(le)],
                vec![DataCategory::Contact],
            )],
        );
        assert_eq!(ask(&inv, &contact_only), Decision::Deny(Deny::RoleForbids));
        let mut revoked = named.clone();
        revoked.consents[0].revoked_at = Some(t("2026-03-10T00:00:00Z"));
        assert_eq!(ask(&inv, &revoked), Decision::Deny(Deny::RoleForbids));
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
