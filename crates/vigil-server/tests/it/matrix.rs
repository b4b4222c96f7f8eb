//! The authorisation matrix: every registered route × every kind of caller, on every backend.
//! Asserts the status (another agency's objects answer 404, never 403) and that exactly one audit
//! event of the right outcome was written for the caller. A route without a row fails the test.

use crate::support::{backends, Cred, TestApp};
use axum::http::Method;
use serde_json::{json, Value};
use vigil_core::entity::Schema;
use vigil_core::{
    AgencyKind, CaseStatus, Role, Sensitivity, TaskStatus, TokenScope, TraffickingType,
};
use vigil_server::registry::{routes, RouteSpec};
use vigil_store::cases::{self, Case};
use vigil_store::content::{self, Entity, Task};
use vigil_types::{
    AgencyId, AttachmentId, CandidateId, CaseId, CaseNumber, ChargeId, Clock, ConsentId, EntityId,
    IntakeId, OperationId, ProtocolId, ProtocolItemId, ProviderId, ReferralId, TaskId, Timestamp,
    TokenId, UserId, VictimId,
};
// --- ops
use vigil_core::operation::{OperationStatus, ParticipantRole};
use vigil_core::prosecution::Disposition;
use vigil_store::operations::{self, Operation, Participant};
use vigil_store::{prosecution, protocols};
// --- tips
// --- vault
use vigil_core::vault::{DataCategory, Recipient, ReferralStatus, ServiceType};
use vigil_store::services::{self, Provider, Referral};
use vigil_store::vault::{self, Consent, Victim, VictimCase};

/// Callers, in column order.
const PRINCIPALS: [&str; 10] = [
    "anonymous",
    "case lead (investigator, agency A)",
    "team member (prosecutor, agency A)",
    "same-agency investigator not on the team",
    "supervisor of agency A",
    "administrator (agency A)",
    "investigator of agency B",
    "supervisor of agency B",
    "read-only API token of the case lead",
    "victim advocate (NGO agency C)",
];

const READ: [u16; 10] = [401, 200, 200, 404, 200, 404, 404, 404, 200, 404];
const EDIT: [u16; 10] = [401, 200, 403, 404, 200, 404, 404, 404, 403, 404];
const ADD: [u16; 10] = [401, 201, 403, 404, 201, 404, 404, 404, 403, 404];
const LEAD_ONLY_ADD: [u16; 10] = [401, 201, 403, 404, 201, 404, 404, 404, 403, 404];
const ANYONE: [u16; 10] = [401, 200, 200, 200, 200, 200, 200, 200, 200, 200];
const PUBLIC: [u16; 10] = [200; 10];
// --- ops
/// Case work every team member does (notes, protocol checklists).
const TEAM_ADD: [u16; 10] = [401, 201, 201, 404, 201, 404, 404, 404, 403, 404];
const TEAM_EDIT: [u16; 10] = [401, 200, 200, 404, 200, 404, 404, 404, 403, 404];
/// Operations: roster = lead A (commander), investigator B, advocate C; lead agency A.
const OP_READ: [u16; 10] = [401, 200, 404, 404, 200, 404, 200, 404, 200, 200];
const OP_MANAGE: [u16; 10] = [401, 200, 404, 404, 200, 404, 403, 404, 403, 403];
const OP_MANAGE_ADD: [u16; 10] = [401, 201, 404, 404, 201, 404, 403, 404, 403, 403];
// --- tips: the slot's intake item is routed to agency A, unassigned.
const INTAKE_READ: [u16; 10] = [401, 200, 404, 200, 200, 404, 404, 404, 200, 404];
const INTAKE_TRIAGE: [u16; 10] = [401, 403, 404, 403, 200, 404, 404, 404, 403, 404];
const INTAKE_WORK: [u16; 10] = [401, 403, 404, 403, 201, 404, 404, 404, 403, 404];
// --- vault
/// The pseudonym: the case team (via the linked case), the consent's recipients, the advocate.
const V_READ: [u16; 10] = [401, 200, 200, 404, 200, 404, 404, 404, 200, 200];
/// Advocates of the serving agency only; others who see the pseudonym get 403.
const V_ADVOCATE: [u16; 10] = [401, 403, 403, 404, 403, 404, 404, 404, 403, 200];
const V_ADVOCATE_ADD: [u16; 10] = [401, 403, 403, 404, 403, 404, 404, 404, 403, 201];

/// Expected status per route and caller.
const MATRIX: &[(&str, [u16; 10])] = &[
    ("get /api/v1/health", PUBLIC),
    ("get /api/v1/openapi.json", PUBLIC),
    ("get /api/v1/auth/banner", PUBLIC),
    ("post /api/v1/auth/login", [401; 10]),
    ("post /api/v1/auth/totp", [401; 10]),
    (
        "post /api/v1/auth/step-up",
        [401, 400, 400, 400, 400, 400, 400, 400, 403, 400],
    ),
    ("post /api/v1/auth/totp/enrol", [401; 10]),
    ("post /api/v1/auth/totp/confirm", [401; 10]),
    ("get /api/v1/auth/session", ANYONE),
    (
        "post /api/v1/auth/password",
        [401, 400, 400, 400, 400, 400, 400, 400, 403, 400],
    ),
    ("get /api/v1/agencies", ANYONE),
    (
        "post /api/v1/agencies",
        [401, 403, 403, 403, 403, 201, 403, 403, 403, 403],
    ),
    ("get /api/v1/users", ANYONE),
    (
        "post /api/v1/users",
        [401, 403, 403, 403, 403, 201, 403, 403, 403, 403],
    ),
    (
        "post /api/v1/users/{id}/unlock",
        [401, 403, 403, 403, 200, 200, 403, 403, 403, 403],
    ),
    (
        "post /api/v1/users/{id}/enable",
        [401, 403, 403, 403, 403, 200, 403, 403, 403, 403],
    ),
    (
        "post /api/v1/users/{id}/disable",
        [401, 403, 403, 403, 403, 200, 403, 403, 403, 403],
    ),
    ("get /api/v1/tokens", ANYONE),
    (
        "post /api/v1/tokens",
        [401, 201, 201, 201, 201, 201, 201, 201, 403, 201],
    ),
    (
        "delete /api/v1/tokens/{id}",
        [401, 204, 404, 404, 404, 404, 404, 404, 403, 404],
    ),
    ("get /api/v1/cases", ANYONE),
    (
        "post /api/v1/cases",
        [401, 201, 403, 201, 201, 403, 201, 201, 403, 403],
    ),
    ("get /api/v1/cases/{id}", READ),
    ("patch /api/v1/cases/{id}", EDIT),
    ("post /api/v1/cases/{id}/status", EDIT),
    ("get /api/v1/cases/{id}/team", READ),
    ("post /api/v1/cases/{id}/team", LEAD_ONLY_ADD),
    (
        "delete /api/v1/cases/{id}/team/{user_id}",
        [401, 204, 403, 404, 204, 404, 404, 404, 403, 404],
    ),
    ("get /api/v1/cases/{id}/entities", READ),
    ("post /api/v1/cases/{id}/entities", ADD),
    ("get /api/v1/entities/{id}", READ),
    ("patch /api/v1/entities/{id}", EDIT),
    ("get /api/v1/cases/{id}/links", READ),
    ("post /api/v1/cases/{id}/links", ADD),
    ("get /api/v1/cases/{id}/notes", READ),
    (
        "post /api/v1/cases/{id}/notes",
        [401, 201, 201, 404, 201, 404, 404, 404, 403, 404],
    ),
    ("get /api/v1/cases/{id}/tasks", READ),
    ("post /api/v1/cases/{id}/tasks", ADD),
    ("patch /api/v1/cases/{id}/tasks/{task_id}", EDIT),
    ("get /api/v1/cases/{id}/timeline", READ),
    (
        "get /api/v1/audit",
        [401, 403, 403, 403, 200, 403, 403, 200, 403, 403],
    ),
    (
        "get /api/v1/audit/export",
        [401, 403, 403, 403, 200, 403, 403, 200, 403, 403],
    ),
    // --- xref
    ("post /api/v1/cases/{id}/xref", EDIT),
    ("get /api/v1/cases/{id}/xref/candidates", READ),
    ("get /api/v1/xref/candidates/{id}", READ),
    ("post /api/v1/xref/candidates/{id}/judgements", ADD),
    ("post /api/v1/xref/candidates/{id}/judgements/undo", EDIT),
    (
        "post /api/v1/xref/check",
        [401, 200, 200, 200, 200, 403, 200, 200, 200, 200],
    ),
    (
        "get /api/v1/xref/labels",
        // An export (IA-11 step-up): API tokens never qualify.
        [401, 200, 200, 200, 200, 403, 200, 200, 403, 200],
    ),
    ("get /api/v1/entities/{id}/same-as", READ),
    ("get /api/v1/xref/stoplist", ANYONE),
    (
        "post /api/v1/xref/stoplist",
        [401, 403, 403, 403, 201, 403, 403, 201, 403, 403],
    ),
    // --- analytics
    ("get /api/v1/cases/{id}/ads", READ),
    ("get /api/v1/cases/{id}/ads/operations", READ),
    ("get /api/v1/ads", ANYONE),
    ("get /api/v1/ads/operations", ANYONE),
    ("get /api/v1/ads/{id}", READ),
    ("get /api/v1/cases/{id}/graph", READ),
    ("get /api/v1/cases/{id}/graph/path", READ),
    ("get /api/v1/cases/{id}/graph/ego", READ),
    ("get /api/v1/graph", ANYONE),
    // A node of a case the caller does not see is unknown in the caller's graph: 422.
    (
        "get /api/v1/graph/path",
        [401, 200, 200, 422, 200, 422, 422, 422, 200, 422],
    ),
    (
        "get /api/v1/graph/ego",
        [401, 200, 200, 422, 200, 422, 422, 422, 200, 422],
    ),
    // --- ops
    ("get /api/v1/protocols", ANYONE),
    ("get /api/v1/cases/{id}/protocols", READ),
    ("post /api/v1/cases/{id}/protocols", TEAM_ADD),
    (
        "post /api/v1/cases/{id}/protocols/{protocol_id}/items",
        TEAM_ADD,
    ),
    (
        "patch /api/v1/cases/{id}/protocol-items/{item_id}",
        TEAM_EDIT,
    ),
    ("get /api/v1/operations", ANYONE),
    (
        "post /api/v1/operations",
        [401, 201, 403, 201, 201, 403, 201, 201, 403, 403],
    ),
    ("get /api/v1/operations/{id}", OP_READ),
    ("patch /api/v1/operations/{id}", OP_MANAGE),
    ("post /api/v1/operations/{id}/status", OP_MANAGE),
    ("post /api/v1/operations/{id}/roster", OP_MANAGE_ADD),
    ("post /api/v1/operations/{id}/cases", OP_MANAGE_ADD),
    ("put /api/v1/operations/{id}/outcomes", OP_MANAGE),
    ("get /api/v1/cases/{id}/prosecution", READ),
    // Prosecutors on the team write charges (their only case-content write besides notes).
    ("post /api/v1/cases/{id}/charges", TEAM_ADD),
    (
        "post /api/v1/cases/{id}/charges/{charge_id}/disposition",
        TEAM_EDIT,
    ),
    ("post /api/v1/cases/{id}/court-events", TEAM_ADD),
    // --- tips
    ("get /api/v1/tips/challenge", PUBLIC),
    ("post /api/v1/tips", [201; 10]),
    ("post /api/v1/tips/status", PUBLIC),
    ("post /api/v1/tips/messages", [201; 10]),
    ("get /api/v1/intake", ANYONE),
    (
        "post /api/v1/intake",
        [401, 201, 403, 201, 201, 403, 201, 201, 403, 201],
    ),
    ("get /api/v1/intake/{id}", INTAKE_READ),
    ("post /api/v1/intake/{id}/assign", INTAKE_TRIAGE),
    ("post /api/v1/intake/{id}/route", INTAKE_TRIAGE),
    ("post /api/v1/intake/{id}/close", INTAKE_TRIAGE),
    ("post /api/v1/intake/{id}/merge", INTAKE_WORK),
    ("post /api/v1/intake/{id}/replies", INTAKE_WORK),
    (
        "get /api/v1/intake/{id}/attachments/{attachment_id}",
        INTAKE_READ,
    ),
    // --- vault (victim in NGO agency C, linked to the slot case; a consent names agency A's
    // prosecutors for identity and contact, and the slot provider)
    (
        "get /api/v1/victims",
        [401, 200, 200, 200, 200, 403, 200, 200, 200, 200],
    ),
    (
        "post /api/v1/victims",
        [401, 403, 403, 403, 403, 403, 403, 403, 403, 201],
    ),
    ("get /api/v1/victims/{id}", V_READ),
    ("patch /api/v1/victims/{id}", V_ADVOCATE),
    ("post /api/v1/victims/{id}/cases", V_ADVOCATE),
    ("get /api/v1/victims/{id}/consents", V_ADVOCATE),
    ("post /api/v1/victims/{id}/consents", V_ADVOCATE_ADD),
    ("post /api/v1/consents/{id}/revoke", V_ADVOCATE),
    ("get /api/v1/screening/questionnaires", ANYONE),
    ("get /api/v1/victims/{id}/screenings", V_ADVOCATE),
    ("post /api/v1/victims/{id}/screenings", V_ADVOCATE_ADD),
    ("get /api/v1/victims/{id}/safety-plan", V_ADVOCATE),
    ("put /api/v1/victims/{id}/safety-plan", V_ADVOCATE),
    (
        "post /api/v1/entities/{id}/victim-override",
        [401, 403, 403, 404, 201, 404, 404, 404, 403, 404],
    ),
    ("get /api/v1/providers", ANYONE),
    (
        "post /api/v1/providers",
        [401, 403, 403, 403, 201, 403, 403, 201, 403, 201],
    ),
    ("get /api/v1/providers/{id}", ANYONE),
    ("get /api/v1/victims/{id}/referrals", V_ADVOCATE),
    ("post /api/v1/victims/{id}/referrals", V_ADVOCATE_ADD),
    ("post /api/v1/referrals/{id}/status", V_ADVOCATE),
    ("post /api/v1/referrals/{id}/services", V_ADVOCATE_ADD),
    // --- evidence
    ("post /api/v1/cases/{id}/evidence", ADD),
    ("get /api/v1/cases/{id}/evidence", READ),
    (
        "post /api/v1/cases/{id}/evidence/export",
        [401, 200, 200, 404, 200, 404, 404, 404, 403, 404],
    ),
    ("get /api/v1/evidence/{id}", READ),
    ("get /api/v1/evidence/{id}/content", READ),
    ("get /api/v1/evidence/{id}/custody", READ),
    ("post /api/v1/evidence/{id}/transfers", EDIT),
    // Last: it ends the caller's session.
    (
        "post /api/v1/auth/logout",
        [401, 204, 204, 204, 204, 204, 204, 204, 422, 204],
    ),
];

/// Objects one (route, caller) cell acts on, so cells never disturb each other.
struct Slot {
    case: CaseId,
    entity: EntityId,
    entity2: EntityId,
    task: TaskId,
    target_user: UserId,
    extra_user: UserId,
    lead_token: TokenId,
    // --- xref
    /// A match candidate between `entity` and `entity2`, with one `unsure` judgement.
    candidate: CandidateId,
    // --- analytics
    ad: EntityId,
    // --- ops
    person: EntityId,
    protocol: ProtocolId,
    item: ProtocolItemId,
    operation: OperationId,
    charge: ChargeId,
    // --- tips
    intake: IntakeId,
    attachment: AttachmentId,
    lead: UserId,
    tip_submission: Value,
    receipt: String,
    // --- vault
    victim: VictimId,
    consent: ConsentId,
    provider: ProviderId,
    referral: ReferralId,
    // --- evidence
    evidence: vigil_types::EvidenceId,
    /// The prosecutor on the team (receives transfers).
    member: UserId,
}

struct World {
    app: TestApp,
    agency_a: AgencyId,
    /// The victim-services NGO of the advocate principal.
    #[allow(dead_code)]
    agency_c: AgencyId,
    creds: Vec<Cred>,
    users: Vec<Option<UserId>>,
    member: UserId,
    slots: Vec<Slot>,
}

async fn world(app: TestApp, cells: usize) -> World {
    let a = app
        .agency("Phoenix Police Department", AgencyKind::LocalLaw)
        .await;
    let b = app.agency("HSI Phoenix", AgencyKind::FederalLaw).await;
    let lead = app.user(a, "lead.a", Role::Investigator, None).await;
    let member = app.user(a, "prosecutor.a", Role::Prosecutor, None).await;
    let outsider = app.user(a, "outsider.a", Role::Investigator, None).await;
    let sup_a = app.user(a, "supervisor.a", Role::Supervisor, None).await;
    let admin = app.user(a, "admin.a", Role::Administrator, None).await;
    let inv_b = app.user(b, "agent.b", Role::Investigator, None).await;
    let sup_b = app.user(b, "supervisor.b", Role::Supervisor, None).await;
    let c = app
        .agency("Safe Harbor Survivor Services", AgencyKind::VictimServices)
        .await;
    let advocate = app.user(c, "advocate.c", Role::VictimAdvocate, None).await;
    let mut creds = vec![Cred::None];
    let users = vec![
        None,
        Some(lead),
        Some(member),
        Some(outsider),
        Some(sup_a),
        Some(admin),
        Some(inv_b),
        Some(sup_b),
        Some(lead),
        Some(advocate),
    ];
    for u in &users[1..8] {
        creds.push(Cred::Bearer(app.session(u.unwrap()).await));
    }
    creds.push(Cred::Bearer(
        app.api_token(lead, TokenScope::ReadOnly).await.1,
    ));
    creds.push(Cred::Bearer(app.session(advocate).await));

    // --- tips: one tip with a known receipt code for the follow-up rows.
    let receipt = crate::tips::submit_tip(&app, "Matrix tip: workers sleep at the farm.").await;
    let mut slots = Vec::with_capacity(cells);
    for k in 0..cells {
        let target_user = app
            .user(a, &format!("target.{k}"), Role::Analyst, None)
            .await;
        let extra_user = app
            .user(a, &format!("extra.{k}"), Role::Analyst, None)
            .await;
        let (lead_token, _) = app.api_token(lead, TokenScope::Full).await;
        let now = app.clock.now();
        let case = Case {
            id: CaseId::new_random(),
            agency_id: a,
            number: CaseNumber::parse(&format!("A-{k}")).unwrap(),
            title: "Nail salon labour case".into(),
            trafficking_type: TraffickingType::Labour,
            status: CaseStatus::Open,
            sensitivity: Sensitivity::Normal,
            created_by: lead,
            created_at: now,
            updated_at: now,
        };
        let mk = |case_id, n: &str| Entity {
            id: EntityId::new_random(),
            case_id,
            schema: Schema::Phone,
            caption: n.into(),
            properties: [("number".to_owned(), vec![n.to_owned()])]
                .into_iter()
                .collect(),
            created_by: lead,
            created_at: now,
            updated_at: now,
        };
        let (e1, e2) = (mk(case.id, "+14805550142"), mk(case.id, "+14805550143"));
        let (e1_id, e2_id) = (e1.id, e2.id);
        let task = Task {
            id: TaskId::new_random(),
            case_id: case.id,
            title: "Interview".into(),
            status: TaskStatus::Open,
            assignee_id: None,
            due_at: None,
            created_by: lead,
            created_at: now,
            updated_at: now,
        };
        // --- evidence: one item per slot (the same bytes, stored once)
        let stored = app
            .state
            .blobs
            .as_ref()
            .unwrap()
            .ingest_bytes(b"matrix seeded evidence")
            .unwrap();
        let item = vigil_store::evidence::Evidence {
            id: vigil_types::EvidenceId::new_random(),
            case_id: case.id,
            name: "seeded.txt".into(),
            description: None,
            media_type: "text/plain".into(),
            size: stored.size,
            sha256: stored.digest,
            collected_by: lead,
            collected_at: now,
            collected_where: None,
            added_by: lead,
            added_at: now,
        };
        let evidence_id = item.id;
        // --- tips
        let (intake, attachment) = crate::tips::routed_item(&app, Some(a)).await;
        // --- xref
        let candidate = vigil_store::xref::Candidate {
            id: CandidateId::new_random(),
            entity_a: e1.id,
            case_a: case.id,
            entity_b: e2.id,
            case_b: case.id,
            score_ppm: 900_000,
            explanation: "{}".into(),
            generic: false,
            found_by: "run".into(),
            created_at: now,
            updated_at: now,
        };
        // --- analytics
        let ad = sample_ad(case.id, lead, now);
        let ad_id = ad.entity.id;
        let task_id = task.id;
        let candidate_id = candidate.id;
        // --- ops: a defendant, a charge, a started checklist and an operation under way.
        let person = Entity {
            id: EntityId::new_random(),
            case_id: case.id,
            schema: Schema::Person,
            caption: "Defendant".into(),
            properties: [("name".to_owned(), vec!["Defendant Example".to_owned()])]
                .into_iter()
                .collect(),
            created_by: lead,
            created_at: now,
            updated_at: now,
        };
        let charge = prosecution::Charge {
            id: ChargeId::new_random(),
            case_id: case.id,
            defendant_id: person.id,
            statute: "18 U.S.C. § 1589".into(),
            description: "Forced labour".into(),
            trafficking: true,
            counts: 2,
            disposition: Disposition::Pending,
            disposed_on: None,
            sentence: None,
            created_by: lead,
            created_at: now,
            updated_at: now,
        };
        let op = Operation {
            id: OperationId::new_random(),
            lead_agency_id: a,
            name: format!("Operation Lantern {k}"),
            location: "Staging at district 4 station".into(),
            planned_start: now,
            planned_end: None,
            status: OperationStatus::UnderWay,
            outcomes: None,
            outcome_notes: None,
            outcomes_by: None,
            outcomes_at: None,
            created_by: lead,
            created_at: now,
            updated_at: now,
        };
        let parts = vec![
            Participant {
                agency_id: a,
                role: ParticipantRole::Lead,
            },
            Participant {
                agency_id: b,
                role: ParticipantRole::Tactical,
            },
            Participant {
                agency_id: c,
                role: ParticipantRole::VictimServices,
            },
        ];
        let template = vigil_core::protocol::builtin()
            .unwrap()
            .get("victim-identification", None)
            .unwrap()
            .clone();
        let (charge_id, op_id, person_id) = (charge.id, op.id, person.id);
        let case_id = case.id;
        let protocol = app
            .store
            .write(move |mut ctx| async move {
                let r = async {
                    cases::insert(&mut ctx, &case).await?;
                    cases::add_member(&mut ctx, case.id, member, false).await?;
                    content::insert_entity(&mut ctx, &e1).await?;
                    content::insert_entity(&mut ctx, &e2).await?;
                    content::insert_task(&mut ctx, &task).await?;
                    // --- evidence
                    vigil_store::evidence::insert_evidence(&mut ctx, &item, a, None).await?;
                    // --- xref
                    vigil_store::xref::upsert_candidate(&mut ctx, &candidate).await?;
                    vigil_store::xref::insert_judgement(&mut ctx, candidate.id, "unsure", lead)
                        .await?;
                    // --- ops
                    content::insert_entity(&mut ctx, &person).await?;
                    prosecution::insert_charge(&mut ctx, &charge).await?;
                    operations::insert(&mut ctx, &op, &parts, &[], a).await?;
                    operations::add_to_roster(&mut ctx, op.id, inv_b, b, false).await?;
                    operations::add_to_roster(&mut ctx, op.id, advocate, c, false).await?;
                    protocols::start(&mut ctx, case.id, &template, now, &[], lead, None).await
                }
                .await;
                (ctx, r)
            })
            .await
            .unwrap();
        // --- analytics
        app.store
            .write(move |mut ctx| async move {
                let r = vigil_store::ads::insert_batch(&mut ctx, case_id, lead, vec![ad]).await;
                (ctx, r)
            })
            .await
            .unwrap();
        let item = app
            .store
            .protocols(case_id)
            .await
            .unwrap()
            .remove(0)
            .1
            .into_iter()
            .find(|i| i.status == vigil_core::protocol::ItemStatus::Open)
            .unwrap()
            .id;
        let slot = Slot {
            case: case_id,
            entity: e1_id,
            entity2: e2_id,
            task: task_id,
            target_user,
            extra_user,
            lead_token,
            candidate: candidate_id,
            ad: ad_id,
            person: person_id,
            protocol,
            item,
            operation: op_id,
            charge: charge_id,
            intake,
            attachment,
            lead,
            tip_submission: crate::tips::solved_submission(
                &app,
                "Matrix tip: a van collects workers at 5am.",
            ),
            receipt: receipt.clone(),
            // --- vault
            victim: VictimId::new_random(),
            consent: ConsentId::new_random(),
            provider: ProviderId::new_random(),
            referral: ReferralId::new_random(),
            // --- evidence
            evidence: evidence_id,
            member,
        };
        // --- vault
        seed_vault(&app, &slot, a, c, advocate, now).await;
        slots.push(slot);
    }
    World {
        app,
        agency_a: a,
        agency_c: c,
        creds,
        users,
        member,
        slots,
    }
}

// --- analytics
/// One stored online ad in `case`, as `vigil ads import` stores it.
fn sample_ad(case: CaseId, by: UserId, now: vigil_types::Timestamp) -> vigil_store::ads::NewAd {
    let entity = Entity {
        id: EntityId::new_random(),
        case_id: case,
        schema: Schema::OnlineAd,
        caption: "New in town".into(),
        properties: [("title".to_owned(), vec!["New in town".to_owned()])]
            .into_iter()
            .collect(),
        created_by: by,
        created_at: now,
        updated_at: now,
    };
    vigil_store::ads::NewAd {
        // Unique per slot: each slot has its own ad.
        content_sha256: entity.id.to_string(),
        entity,
        feed_id: "feed-1".into(),
        source: Some("synthboard".into()),
        url: None,
        posted_at: Some(1_700_000_000),
        location: Some("Phoenix".into()),
        title: "New in town".into(),
        body: "Call 480 555 0142".into(),
        score_milli: 1_500,
        urgent_review: false,
        weight_set: "test v1".into(),
        features: r#"{"id":"feed-1","title":"","text":"","posted_at":1700000000,"city":"Phoenix","selectors":[{"kind":"phone","value":"+14805550142","span":null,"obfuscated":false}],"obfuscated_phone":false,"stated_ages":[]}"#.into(),
        explanation: r#"{"score":1.5,"contributions":[]}"#.into(),
        selectors: vec![vigil_store::ads::AdSelector {
            kind: "phone".into(),
            value: "+14805550142".into(),
            obfuscated: false,
        }],
    }
}

fn path_for(spec: &RouteSpec, s: &Slot, member: UserId) -> String {
    // --- xref
    if spec.path.starts_with("/api/v1/xref/candidates/") {
        return spec.path.replace("{id}", &s.candidate.to_string());
    }
    // --- analytics
    if spec.path == "/api/v1/ads/{id}" {
        return format!("/api/v1/ads/{}", s.ad);
    }
    if spec.path.ends_with("/graph/path") {
        let base = spec.path.replace("{id}", &s.case.to_string());
        return format!("{base}?from={}&to={}", s.entity, s.entity2);
    }
    if spec.path.ends_with("/graph/ego") {
        let base = spec.path.replace("{id}", &s.case.to_string());
        return format!("{base}?node={}&hops=2", s.entity);
    }
    let id = if spec.path.starts_with("/api/v1/entities/") {
        s.entity.to_string()
    } else if spec.path.starts_with("/api/v1/users/") {
        s.target_user.to_string()
    } else if spec.path.starts_with("/api/v1/tokens/") {
        s.lead_token.to_string()
    } else if spec.path.starts_with("/api/v1/operations/") {
        // --- ops
        s.operation.to_string()
    } else if spec.path.starts_with("/api/v1/intake/") {
        // --- tips
        s.intake.to_string()
    // --- vault
    } else if spec.path.starts_with("/api/v1/victims/") {
        s.victim.to_string()
    } else if spec.path.starts_with("/api/v1/consents/") {
        s.consent.to_string()
    } else if spec.path.starts_with("/api/v1/providers/") {
        s.provider.to_string()
    } else if spec.path.starts_with("/api/v1/referrals/") {
        s.referral.to_string()
    // --- evidence
    } else if spec.path.starts_with("/api/v1/evidence/") {
        s.evidence.to_string()
    } else {
        s.case.to_string()
    };
    // --- evidence: an upload names its file in the query string
    if spec.body == Some("EvidenceFile") {
        return format!("{}?name=matrix.json", spec.path.replace("{id}", &id));
    }
    spec.path
        .replace("{id}", &id)
        .replace("{user_id}", &member.to_string())
        .replace("{task_id}", &s.task.to_string())
        // --- ops
        .replace("{protocol_id}", &s.protocol.to_string())
        .replace("{item_id}", &s.item.to_string())
        .replace("{charge_id}", &s.charge.to_string())
        .replace("{attachment_id}", &s.attachment.to_string())
}

fn body_for(spec: &RouteSpec, s: &Slot, k: usize, agency: AgencyId) -> Option<Value> {
    Some(match spec.body? {
        "LoginRequest" => {
            json!({"username": "nobody", "password": "not the password at all", "acknowledge_banner": true})
        }
        "TotpRequest" => json!({"code": "123456"}),
        "StepUpRequest" => json!({"password": "not the password at all", "code": "123456"}),
        "PasswordChange" => {
            json!({"current_password": "this is not my password", "new_password": "a brand new long passphrase"})
        }
        "CreateAgency" => {
            json!({"name": format!("Agency {k}"), "short_code": format!("AG{k}"), "kind": "other"})
        }
        "CreateUser" => {
            json!({"username": format!("new.user.{k}"), "display_name": "New User", "role": "analyst", "agency_id": agency.to_string()})
        }
        "CreateToken" => json!({"name": "ci", "scope": "read", "days": 30}),
        "CreateCase" => {
            json!({"number": format!("M-{k}"), "title": "Matrix case", "trafficking_type": "labour"})
        }
        "UpdateCase" => json!({"title": "Renamed case"}),
        "SetStatus" => json!({"status": "active"}),
        "AddMember" => json!({"user_id": s.extra_user.to_string()}),
        "CreateEntity" => json!({"schema": "Phone", "properties": {"number": ["+12125550199"]}}),
        "UpdateEntity" => json!({"properties": {"number": ["+12015550123"]}}),
        "CreateLink" => {
            json!({"source_id": s.entity.to_string(), "target_id": s.entity2.to_string(), "link_type": "associate"})
        }
        "CreateNote" => json!({"body": "Interview scheduled with the referring agency."}),
        "CreateTask" => json!({"title": "Request bank records"}),
        "UpdateTask" => json!({"status": "done"}),
        // --- xref
        "JudgeCandidate" => json!({"decision": "same"}),
        "XrefCheck" => {
            json!({"name": "intake.csv", "csv": "id,given_name,surname,date_of_birth,phone\n1,Jon,Smyth,1988-04-03,480-555-0142\n"})
        }
        "AddStop" => {
            json!({"kind": "phone", "value": format!("602-555-01{:02}", k % 100), "reason": "hotel switchboard"})
        }
        // --- ops
        "StartProtocol" => json!({"template": "victim-interview", "conditions": ["minor"]}),
        "AddProtocolItem" => {
            json!({"text": "Follow-up call with the shelter", "due_at": "2026-03-10T09:00:00Z"})
        }
        "UpdateProtocolItem" => json!({"status": "done", "note": "Advocate on scene"}),
        "CreateOperation" => json!({
            "name": format!("Operation Harbor {k}"),
            "location": "Staging: county fairgrounds lot B",
            "planned_start": "2026-03-05T05:00:00Z",
            "planned_end": "2026-03-05T13:00:00Z",
            "victim_services": [{"provider": "Safe Harbor Survivor Services", "advocates": 2}]
        }),
        "UpdateOperation" => json!({"location": "Staging moved to lot C"}),
        "OperationStatusChange" => json!({"status": "completed"}),
        "AddRosterMember" => json!({"user_id": s.extra_user.to_string()}),
        "LinkOperationCase" => json!({"case_id": s.case.to_string()}),
        "OperationOutcomes" => {
            json!({"people_recovered": 3, "minors_recovered": 1, "arrests": 2, "referrals_made": 3})
        }
        "CreateCharge" => json!({
            "defendant_id": s.person.to_string(),
            "statute": "18 USC 1591(a)(1)",
            "description": "Sex trafficking by force, fraud or coercion",
            "trafficking": true
        }),
        "SetDisposition" => {
            json!({"disposition": "plea", "date": "2026-03-01", "sentence": "60 months"})
        }
        "CreateCourtEvent" => {
            json!({"kind": "arraignment", "date": "2026-03-20", "court": "U.S. District Court, D. Ariz."})
        }
        // --- tips
        "TipSubmission" => s.tip_submission.clone(),
        "TipCodeRequest" => json!({"receipt_code": s.receipt}),
        "TipFollowUp" => {
            json!({"receipt_code": s.receipt, "text": "The van comes every Monday."})
        }
        "CreateIntakeReferral" => {
            json!({"what": "Hotline referral: farm workers say their passports were taken."})
        }
        "AssignIntake" => json!({"assignee_id": s.lead.to_string()}),
        "RouteIntake" => json!({"agency_id": agency.to_string()}),
        "CloseIntake" => json!({"reason": "duplicate"}),
        "MergeIntake" => {
            json!({"new_case": {"number": format!("T-{k}"), "title": "Tip case", "trafficking_type": "labour"}})
        }
        // --- evidence (the upload's body is the file; the matrix sends a small JSON file)
        "EvidenceFile" => json!({"matrix": "uploaded evidence"}),
        "TransferEvidence" => {
            json!({"to_user_id": s.member.to_string(), "purpose": "charging review"})
        }
        "ExportEvidence" => json!({"purpose": "discovery", "recipient": "County Attorney"}),
        "IntakeReply" => json!({"body": "Thank you, we are looking into it."}),
        // --- vault
        "CreateVictim" => {
            json!({"full_name": format!("Synthetic Survivor {k}"), "languages": ["es"]})
        }
        "UpdateVictim" => json!({"preferred_name": "Sam"}),
        "LinkVictimCase" => json!({"case_id": s.case.to_string()}),
        "CreateConsent" => {
            json!({"purpose": "Support during prosecution", "recipients": ["role:prosecutor"], "categories": ["identity"], "language": "es"})
        }
        "CreateScreening" => {
            json!({"questionnaire": "vigil-default", "language": "es", "answers": {"documents_held": "yes"}})
        }
        "PutSafetyPlan" => {
            json!({"sections": {"safe_people": "Advocate on call"}, "review_on": "2026-04-01"})
        }
        "CreateProvider" => {
            json!({"name": format!("Provider {k}"), "service_types": ["shelter"], "languages": ["en", "es"], "eligibility": "Adults", "capacity": 4, "contact": "Intake line 602-555-0100"})
        }
        "CreateReferral" => {
            json!({"provider_id": s.provider.to_string(), "service_type": "shelter"})
        }
        "SetReferralStatus" => json!({"status": "closed"}),
        "RecordService" => json!({"service_type": "shelter", "delivered_on": "2026-03-02"}),
        "VictimGuardOverride" => {
            json!({"reason": "Evidence shows a recruiting role; reviewed with the prosecutor."})
        }
        other => panic!("no sample body for {other}: add one here"),
    })
}

fn method(m: &str) -> Method {
    Method::from_bytes(m.to_uppercase().as_bytes()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_has_exactly_one_matrix_row() {
    let keys: Vec<String> = routes()
        .specs
        .iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    for k in &keys {
        assert!(
            MATRIX.iter().any(|(m, _)| m == k),
            "route `{k}` has no row in the authorisation matrix"
        );
    }
    for (m, _) in MATRIX {
        assert!(
            keys.iter().any(|k| k == m),
            "matrix row `{m}` names no route"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorisation_matrix() {
    for db in backends() {
        let specs = routes().specs;
        let cells = MATRIX.len() * PRINCIPALS.len();
        let w = world(TestApp::spawn(db).await, cells).await;
        let mut failures = Vec::new();
        for (r, (key, expected)) in MATRIX.iter().enumerate() {
            let spec = specs
                .iter()
                .find(|s| format!("{} {}", s.method, s.path) == *key)
                .unwrap();
            for (p, cred) in w.creds.iter().enumerate() {
                let k = r * PRINCIPALS.len() + p;
                let slot = &w.slots[k];
                let before = w.app.audit_len().await;
                let path = path_for(spec, slot, w.member);
                let (status, body) = w
                    .app
                    .call(
                        method(spec.method),
                        &path,
                        cred,
                        body_for(spec, slot, k, w.agency_a),
                    )
                    .await;
                let want = expected[p];
                if status.as_u16() != want {
                    failures.push(format!(
                        "[{db:?}] {key} as {}: expected {want}, got {status} {body}",
                        PRINCIPALS[p]
                    ));
                    continue;
                }
                if status.is_server_error() {
                    failures.push(format!("[{db:?}] {key} as {}: 5xx", PRINCIPALS[p]));
                }
                // Exactly one audit event per authenticated call (none for 401s and public reads).
                let added = w.app.audit_len().await - before;
                // Failed logons are audited (AU-2); other 401s never reach a handler.
                let is_login = spec.path == "/api/v1/auth/login";
                let quiet = (status.as_u16() == 401 && !is_login)
                    || (spec.method == "get"
                        && matches!(spec.caller, vigil_server::registry::Caller::Public));
                let want_events = u64::from(!quiet);
                if added != want_events {
                    failures.push(format!(
                        "[{db:?}] {key} as {}: {added} audit events, expected {want_events}",
                        PRINCIPALS[p]
                    ));
                    continue;
                }
                if want_events == 1 && w.users[p].is_some() {
                    let e = w.app.last_event().await;
                    // A login is on behalf of the username in the body, not of the caller.
                    // Public tip routes record no actor, whoever calls (--- tips).
                    let actor = if is_login
                        || matches!(spec.caller, vigil_server::registry::Caller::Public)
                    {
                        None
                    } else {
                        w.users[p]
                    };
                    let outcome = e.outcome.as_str();
                    let ok_outcome = match status.as_u16() {
                        200..=299 => outcome == "success",
                        403 | 404 => outcome == "denied" || outcome == "failed",
                        _ => outcome == "failed",
                    };
                    if e.actor_user != actor || !ok_outcome {
                        failures.push(format!(
                            "[{db:?}] {key} as {}: audit event {:?}/{outcome} does not match",
                            PRINCIPALS[p], e.action
                        ));
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} matrix failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
        // IDOR probe: ids that do not exist behave exactly like ids of invisible records.
        let lead = &Cred::Bearer(w.app.session(w.users[1].unwrap()).await);
        for path in [
            format!("/api/v1/cases/{}", CaseId::new_random()),
            format!("/api/v1/entities/{}", EntityId::new_random()),
            "/api/v1/cases/not-a-uuid".into(),
            // --- ops
            format!("/api/v1/operations/{}", OperationId::new_random()),
        ] {
            let (status, body) = w.app.call(Method::GET, &path, lead, None).await;
            assert_eq!(status.as_u16(), 404, "{path}: {body}");
            assert_eq!(body["error"]["code"], "NOT_FOUND");
        }
        let report = w.app.store.audit_verify(None, |_| {}).await.unwrap();
        assert!(report.events > cells as u64 / 2);
        w.app.store.close().await;
    }
}

// --- vault
/// The slot's vault objects: a victim served by agency C and linked to the slot case, a consent
/// naming agency A's prosecutors (identity, contact) and the slot provider, and an accepted
/// referral to that provider.
async fn seed_vault(
    app: &TestApp,
    slot: &Slot,
    a: AgencyId,
    c: AgencyId,
    advocate: UserId,
    now: Timestamp,
) {
    let victim = Victim {
        id: slot.victim,
        serving_agency: c,
        pseudonym: format!("Survivor {}", &slot.victim.to_string()[..8]),
        full_name: "Synthetic Survivor".into(),
        preferred_name: None,
        birth_date: Some("1999-05".into()),
        nationality: None,
        languages: vec!["es".into()],
        phone: Some("602-555-0177".into()),
        email: None,
        contact_notes: None,
        created_by: advocate,
        created_at: now,
        updated_at: now,
    };
    let link = VictimCase {
        victim_id: slot.victim,
        case_id: slot.case,
        entity_id: None,
        linked_by: advocate,
        linked_at: now,
    };
    let provider = Provider {
        id: slot.provider,
        name: format!("Shelter {}", slot.provider),
        service_types: vec![ServiceType::Shelter],
        languages: vec!["es".into()],
        eligibility: "Adults".into(),
        capacity: Some(3),
        contact: "Intake 602-555-0101".into(),
        created_by: advocate,
        created_at: now,
        updated_at: now,
    };
    let consent = Consent {
        id: slot.consent,
        victim_id: slot.victim,
        purpose: "Prosecution support and shelter referral".into(),
        recipients: vec![
            Recipient::AgencyRole(a, Role::Prosecutor),
            Recipient::Provider(slot.provider),
        ],
        categories: vec![DataCategory::Identity, DataCategory::Contact],
        given_at: now,
        expires_at: None,
        language: "es".into(),
        recorded_by: advocate,
        recorded_at: now,
        revoked_at: None,
        revoked_by: None,
    };
    let referral = Referral {
        id: slot.referral,
        victim_id: slot.victim,
        provider_id: slot.provider,
        service_type: ServiceType::Shelter,
        status: ReferralStatus::Accepted,
        created_by: advocate,
        created_at: now,
        updated_at: now,
    };
    app.store
        .write(move |mut ctx| async move {
            let r = async {
                vault::insert_victim(&mut ctx, &victim, String::new).await?;
                vault::link_case(&mut ctx, &link).await?;
                services::insert_provider(&mut ctx, &provider).await?;
                vault::insert_consent(&mut ctx, &consent).await?;
                services::insert_referral(&mut ctx, &referral).await
            }
            .await;
            (ctx, r)
        })
        .await
        .unwrap();
}
