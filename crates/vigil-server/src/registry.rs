//! The route registry: every route is declared once, with its method, path, who may call it and
//! the policy action it is decided by. The router and the OpenAPI document are built from it, and
//! the authorisation-matrix test fails for any route it has no row for.

use crate::routes::{
    admin, ads, audit, auth, cases, content, graph, intake, meta, operations, prosecution,
    protocols, services, tips, tokens, vault, xref,
};
// --- analytics
// --- tips
// --- vault
// --- evidence
use crate::routes::evidence;
use crate::AppState;
use axum::routing::{delete, get, patch, post, put, MethodRouter};
use axum::Router;
// --- ops

/// Who may call a route before the policy is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    /// Anyone (health, OpenAPI, banner, login).
    Public,
    /// A login whose password was accepted and whose second factor is due.
    PendingLogin,
    /// A complete login or an API token; then the policy decides.
    Authenticated,
}

/// One declared route.
#[derive(Clone, Debug)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub caller: Caller,
    /// The policy action that decides access (`None` for public and login routes, and for
    /// routes that act only on the caller's own session).
    pub policy: Option<&'static str>,
    /// Request body wire type, if any.
    pub body: Option<&'static str>,
}

/// The registry under construction.
pub struct Registry {
    pub specs: Vec<RouteSpec>,
    router: Router<AppState>,
}

impl Registry {
    fn add(mut self, spec: RouteSpec, handler: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(spec.path, handler);
        self.specs.push(spec);
        self
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

macro_rules! routes {
    ($( $method:ident $path:literal => $handler:path, $caller:ident, $policy:expr, $body:expr, $summary:literal; )*) => {
        /// Every route of the API.
        #[must_use]
        pub fn routes() -> Registry {
            let r = Registry { specs: Vec::new(), router: Router::new() };
            $( let r = r.add(
                RouteSpec {
                    method: stringify!($method),
                    path: $path,
                    summary: $summary,
                    caller: Caller::$caller,
                    policy: $policy,
                    body: $body,
                },
                $method($handler),
            ); )*
            r
        }
    };
}

routes! {
    get "/api/v1/health" => meta::health, Public, None, None, "Liveness check";
    get "/api/v1/openapi.json" => meta::openapi, Public, None, None, "This API's OpenAPI 3.1 document";
    get "/api/v1/auth/banner" => auth::banner, Public, None, None, "The system-use notice to acknowledge at login";
    post "/api/v1/auth/login" => auth::login, Public, None, Some("LoginRequest"), "Check username and password; starts a login";
    post "/api/v1/auth/totp" => auth::totp, PendingLogin, None, Some("TotpRequest"), "Finish a login with a TOTP code";
    post "/api/v1/auth/step-up" => auth::step_up, Authenticated, None, Some("StepUpRequest"), "Enter the password and a TOTP code again to open privileged functions for 15 minutes (IA-11)";
    post "/api/v1/auth/totp/enrol" => auth::enrol, PendingLogin, None, None, "Start TOTP enrolment (first login)";
    post "/api/v1/auth/totp/confirm" => auth::confirm, PendingLogin, None, Some("TotpRequest"), "Confirm TOTP enrolment with a code; finishes the login";
    post "/api/v1/auth/logout" => auth::logout, Authenticated, None, None, "End this session";
    get "/api/v1/auth/session" => auth::session, Authenticated, None, None, "Who am I, and when does my session end";
    post "/api/v1/auth/password" => auth::change_password, Authenticated, None, Some("PasswordChange"), "Change my password";
    get "/api/v1/agencies" => admin::list_agencies, Authenticated, Some("agency.list"), None, "List the task force's agencies";
    post "/api/v1/agencies" => admin::create_agency, Authenticated, Some("agency.create"), Some("CreateAgency"), "Add an agency";
    get "/api/v1/users" => admin::list_users, Authenticated, Some("user.list"), None, "The task-force directory";
    post "/api/v1/users" => admin::create_user, Authenticated, Some("user.create"), Some("CreateUser"), "Create an account; returns a one-time initial password";
    post "/api/v1/users/{id}/unlock" => admin::unlock_user, Authenticated, Some("user.unlock"), None, "Unlock an account after a lockout";
    post "/api/v1/users/{id}/enable" => admin::enable_user, Authenticated, Some("user.enable"), None, "Re-enable a disabled account (e.g. after 90 days without sign-in)";
    post "/api/v1/users/{id}/disable" => admin::disable_user, Authenticated, Some("user.disable"), None, "Disable an account and end its sessions and tokens";
    get "/api/v1/tokens" => tokens::list, Authenticated, Some("token.list"), None, "My API tokens";
    post "/api/v1/tokens" => tokens::create, Authenticated, Some("token.manage"), Some("CreateToken"), "Create an API token (secret shown once)";
    delete "/api/v1/tokens/{id}" => tokens::revoke, Authenticated, Some("token.manage"), None, "Revoke one of my API tokens";
    get "/api/v1/cases" => cases::list, Authenticated, Some("case.list"), None, "Cases I may see (?status=, ?q=)";
    post "/api/v1/cases" => cases::create, Authenticated, Some("case.create"), Some("CreateCase"), "Open a case in my agency, with me as lead";
    get "/api/v1/cases/{id}" => cases::show, Authenticated, Some("case.read"), None, "A case with its team and counts";
    patch "/api/v1/cases/{id}" => cases::update, Authenticated, Some("case.update"), Some("UpdateCase"), "Change a case's title, type or sensitivity";
    post "/api/v1/cases/{id}/status" => cases::set_status, Authenticated, Some("case.status"), Some("SetStatus"), "Move a case along its workflow";
    get "/api/v1/cases/{id}/team" => cases::team, Authenticated, Some("case.read"), None, "The case team";
    post "/api/v1/cases/{id}/team" => cases::add_member, Authenticated, Some("case.team"), Some("AddMember"), "Add a team member (cross-agency adds are explicit grants)";
    delete "/api/v1/cases/{id}/team/{user_id}" => cases::remove_member, Authenticated, Some("case.team"), None, "Remove a team member";
    get "/api/v1/cases/{id}/entities" => content::list_entities, Authenticated, Some("case.read"), None, "A case's entities";
    post "/api/v1/cases/{id}/entities" => content::create_entity, Authenticated, Some("case.write"), Some("CreateEntity"), "Add an entity (FollowTheMoney schema + properties)";
    get "/api/v1/entities/{id}" => content::show_entity, Authenticated, Some("case.read"), None, "One entity";
    patch "/api/v1/entities/{id}" => content::update_entity, Authenticated, Some("case.write"), Some("UpdateEntity"), "Replace an entity's properties";
    get "/api/v1/cases/{id}/links" => content::list_links, Authenticated, Some("case.read"), None, "A case's links";
    post "/api/v1/cases/{id}/links" => content::create_link, Authenticated, Some("case.write"), Some("CreateLink"), "Link two entities of the case";
    get "/api/v1/cases/{id}/notes" => content::list_notes, Authenticated, Some("case.read"), None, "A case's notes";
    post "/api/v1/cases/{id}/notes" => content::create_note, Authenticated, Some("case.note"), Some("CreateNote"), "Add a note";
    get "/api/v1/cases/{id}/tasks" => content::list_tasks, Authenticated, Some("case.read"), None, "A case's tasks, with overdue flags";
    post "/api/v1/cases/{id}/tasks" => content::create_task, Authenticated, Some("case.write"), Some("CreateTask"), "Add a task";
    patch "/api/v1/cases/{id}/tasks/{task_id}" => content::update_task, Authenticated, Some("case.write"), Some("UpdateTask"), "Change a task's status or assignee";
    get "/api/v1/cases/{id}/timeline" => content::timeline, Authenticated, Some("case.read"), None, "What happened in a case, in order";
    get "/api/v1/audit" => audit::search, Authenticated, Some("audit.read"), None, "Search my agency's audit trail";
    get "/api/v1/audit/export" => audit::export, Authenticated, Some("audit.export"), None, "Export my agency's audit trail as JSON Lines";
    // --- xref
    post "/api/v1/cases/{id}/xref" => xref::run, Authenticated, Some("xref.run"), None, "Cross-reference a case's people against every record; returns what you may see";
    get "/api/v1/cases/{id}/xref/candidates" => xref::list, Authenticated, Some("xref.read"), None, "The case's match candidates you may see, with deconfliction notices (?status=open|same|different|unsure|all)";
    get "/api/v1/xref/candidates/{id}" => xref::show, Authenticated, Some("xref.read"), None, "One candidate: score, per-field explanation, judgement history";
    post "/api/v1/xref/candidates/{id}/judgements" => xref::judge, Authenticated, Some("xref.judge"), Some("JudgeCandidate"), "Judge a candidate same, different or unsure (supersedes the last judgement)";
    post "/api/v1/xref/candidates/{id}/judgements/undo" => xref::undo, Authenticated, Some("xref.judge"), None, "Withdraw the judgement in force (history kept)";
    post "/api/v1/xref/check" => xref::check, Authenticated, Some("xref.check"), Some("XrefCheck"), "Check CSV records against the people you may see (nothing is stored)";
    get "/api/v1/xref/labels" => xref::labels, Authenticated, Some("xref.labels"), None, "Judgements in force as training labels (pairs you may see)";
    get "/api/v1/entities/{id}/same-as" => xref::same_as, Authenticated, Some("xref.read"), None, "Entities judged the same as this one (a cluster over ids; every record kept)";
    get "/api/v1/xref/stoplist" => xref::list_stoplist, Authenticated, Some("xref.stoplist.read"), None, "Generic values whose agreement is ignored";
    post "/api/v1/xref/stoplist" => xref::add_stop, Authenticated, Some("xref.stoplist.manage"), Some("AddStop"), "Add a generic value (hotline, switchboard) to the stoplist";
    // --- analytics
    get "/api/v1/cases/{id}/ads" => ads::list_case_ads, Authenticated, Some("case.read"), None, "A case's online ads, highest score first (?selector=, ?q=, ?min_score=, ?urgent=true, ?limit= up to 1000, ?offset=)";
    get "/api/v1/cases/{id}/ads/operations" => ads::case_operations, Authenticated, Some("case.read"), None, "Cluster a case's ads into operations (?threshold=0.7, ?generic_max=, ?generic_max_cities=, ?generic_max_co_values=, ?include_singletons=)";
    get "/api/v1/ads" => ads::search, Authenticated, Some("case.list"), None, "Search the ads of every case I may see (same filters as a case's ads)";
    get "/api/v1/ads/operations" => ads::operations, Authenticated, Some("case.list"), None, "Cluster the ads of every case I may see into operations (at most 200,000 ads)";
    get "/api/v1/ads/{id}" => ads::show, Authenticated, Some("case.read"), None, "One ad with its text, selectors and the explanation of its score";
    get "/api/v1/cases/{id}/graph" => graph::case_graph, Authenticated, Some("case.read"), None, "A case's link chart: nodes with metrics, edges with their records, communities (?metrics=false)";
    get "/api/v1/cases/{id}/graph/path" => graph::case_path, Authenticated, Some("case.read"), None, "Shortest paths between two nodes of a case's chart (?from=, ?to=, ?k=3 up to 10, ?cost=hops|weight)";
    get "/api/v1/cases/{id}/graph/ego" => graph::case_ego, Authenticated, Some("case.read"), None, "The n-hop neighbourhood of a node of a case's chart (?node=, ?hops=2 up to 4)";
    get "/api/v1/graph" => graph::visible_graph, Authenticated, Some("case.list"), None, "The link chart of every case I may see (at most 20,000 nodes, 100,000 edges)";
    get "/api/v1/graph/path" => graph::visible_path, Authenticated, Some("case.list"), None, "Shortest paths between two nodes across every case I may see (?from=, ?to=, ?k=, ?cost=)";
    get "/api/v1/graph/ego" => graph::visible_ego, Authenticated, Some("case.list"), None, "The n-hop neighbourhood of a node across every case I may see (?node=, ?hops=)";
    // --- ops
    get "/api/v1/protocols" => protocols::templates, Authenticated, Some("protocol.templates"), None, "Protocol checklist templates, every version";
    get "/api/v1/cases/{id}/protocols" => protocols::list, Authenticated, Some("case.read"), None, "A case's protocol checklists, with overdue flags";
    post "/api/v1/cases/{id}/protocols" => protocols::start, Authenticated, Some("case.protocol"), Some("StartProtocol"), "Start a protocol checklist on a case";
    post "/api/v1/cases/{id}/protocols/{protocol_id}/items" => protocols::add_item, Authenticated, Some("case.protocol"), Some("AddProtocolItem"), "Add an item to a checklist";
    patch "/api/v1/cases/{id}/protocol-items/{item_id}" => protocols::update_item, Authenticated, Some("case.protocol"), Some("UpdateProtocolItem"), "Mark a checklist item done or not applicable, or re-open it";
    get "/api/v1/operations" => operations::list, Authenticated, Some("operation.list"), None, "Joint operations I may see";
    post "/api/v1/operations" => operations::create, Authenticated, Some("operation.create"), Some("CreateOperation"), "Plan a joint operation led by my agency (I am its commander)";
    get "/api/v1/operations/{id}" => operations::show, Authenticated, Some("operation.read"), None, "An operation: plan, participants, roster, services on site, linked cases, outcomes";
    patch "/api/v1/operations/{id}" => operations::update, Authenticated, Some("operation.manage"), Some("UpdateOperation"), "Change an operation's plan";
    post "/api/v1/operations/{id}/status" => operations::set_status, Authenticated, Some("operation.manage"), Some("OperationStatusChange"), "Move an operation along planned → under_way → completed (or cancelled)";
    post "/api/v1/operations/{id}/roster" => operations::add_roster, Authenticated, Some("operation.manage"), Some("AddRosterMember"), "Put a member of a participating agency on the roster";
    post "/api/v1/operations/{id}/cases" => operations::link_case, Authenticated, Some("operation.manage"), Some("LinkOperationCase"), "Link a case I may read to the operation";
    put "/api/v1/operations/{id}/outcomes" => operations::set_outcomes, Authenticated, Some("operation.manage"), Some("OperationOutcomes"), "Record an operation's outcomes";
    get "/api/v1/cases/{id}/prosecution" => prosecution::show, Authenticated, Some("case.read"), None, "A case's charges, dispositions and court events";
    post "/api/v1/cases/{id}/charges" => prosecution::add_charge, Authenticated, Some("case.prosecution"), Some("CreateCharge"), "Charge a defendant (a Person of the case) under a statute";
    post "/api/v1/cases/{id}/charges/{charge_id}/disposition" => prosecution::set_disposition, Authenticated, Some("case.prosecution"), Some("SetDisposition"), "Record how a charge was decided";
    post "/api/v1/cases/{id}/court-events" => prosecution::add_court_event, Authenticated, Some("case.prosecution"), Some("CreateCourtEvent"), "Add a court event (hearing, trial, sentencing…)";
    // --- tips
    get "/api/v1/tips/challenge" => tips::challenge, Public, None, None, "A proof-of-work challenge for an anonymous tip (rate-limited)";
    post "/api/v1/tips" => tips::submit, Public, None, Some("TipSubmission"), "Submit an anonymous tip; returns a receipt code once (Idempotency-Key honoured)";
    post "/api/v1/tips/status" => tips::status, Public, None, Some("TipCodeRequest"), "Tipster: read replies with the receipt code (sent in the body)";
    post "/api/v1/tips/messages" => tips::add_message, Public, None, Some("TipFollowUp"), "Tipster: add information with the receipt code";
    get "/api/v1/intake" => intake::list, Authenticated, Some("intake.list"), None, "The triage queue items I may see, most urgent first (?state=open|merged|closed)";
    post "/api/v1/intake" => intake::create, Authenticated, Some("intake.create"), Some("CreateIntakeReferral"), "Enter a referral into the triage queue (Idempotency-Key honoured)";
    get "/api/v1/intake/{id}" => intake::show, Authenticated, Some("intake.read"), None, "An intake item with its messages, attachments, explained priority and extracted selectors";
    post "/api/v1/intake/{id}/assign" => intake::assign, Authenticated, Some("intake.triage"), Some("AssignIntake"), "Assign an intake item (routes an unrouted item to my agency)";
    post "/api/v1/intake/{id}/route" => intake::route, Authenticated, Some("intake.triage"), Some("RouteIntake"), "Route an intake item to an agency";
    post "/api/v1/intake/{id}/close" => intake::close, Authenticated, Some("intake.triage"), Some("CloseIntake"), "Close an intake item with a reason";
    post "/api/v1/intake/{id}/merge" => intake::merge, Authenticated, Some("intake.work"), Some("MergeIntake"), "Merge an intake item into a case (new or existing): a note plus entities for its selectors";
    post "/api/v1/intake/{id}/replies" => intake::reply, Authenticated, Some("intake.work"), Some("IntakeReply"), "Reply to the tipster (shown with the receipt code)";
    get "/api/v1/intake/{id}/attachments/{attachment_id}" => intake::attachment, Authenticated, Some("intake.read"), None, "Download a tip attachment (octet-stream, as stored after metadata removal)";
    // --- vault
    get "/api/v1/victims" => vault::list, Authenticated, Some("victim.list"), None, "Victim records I may see, by pseudonym";
    post "/api/v1/victims" => vault::create, Authenticated, Some("victim.create"), Some("CreateVictim"), "Open a victim record served by my agency (advocates)";
    get "/api/v1/victims/{id}" => vault::show, Authenticated, Some("victim.read"), None, "A victim record: the pseudonym, plus each category of data the policy allows";
    patch "/api/v1/victims/{id}" => vault::update, Authenticated, Some("victim.write"), Some("UpdateVictim"), "Change a victim record's details (advocates of the serving agency)";
    post "/api/v1/victims/{id}/cases" => vault::link_case, Authenticated, Some("victim.write"), Some("LinkVictimCase"), "Link a victim record to a case (and its Person entity)";
    get "/api/v1/victims/{id}/consents" => vault::list_consents, Authenticated, Some("victim.consent_read"), None, "A victim record's consents";
    post "/api/v1/victims/{id}/consents" => vault::create_consent, Authenticated, Some("victim.consent"), Some("CreateConsent"), "Record a consent (purpose, recipients, categories, expiry, language)";
    post "/api/v1/consents/{id}/revoke" => vault::revoke_consent, Authenticated, Some("victim.consent"), None, "Revoke a consent; access it allowed stops at once";
    get "/api/v1/screening/questionnaires" => vault::list_questionnaires, Authenticated, Some("screening.tool"), None, "The screening questionnaires and their versions";
    get "/api/v1/victims/{id}/screenings" => vault::list_screenings, Authenticated, Some("victim.read_screening"), None, "A victim's screenings and their recommendations";
    post "/api/v1/victims/{id}/screenings" => vault::create_screening, Authenticated, Some("victim.screen"), Some("CreateScreening"), "Record a screening; returns a recommendation, never a verdict";
    get "/api/v1/victims/{id}/safety-plan" => vault::show_safety_plan, Authenticated, Some("victim.safety_plan_read"), None, "The safety plan (advocates of the serving agency only)";
    put "/api/v1/victims/{id}/safety-plan" => vault::put_safety_plan, Authenticated, Some("victim.safety_plan_write"), Some("PutSafetyPlan"), "Write the safety plan";
    post "/api/v1/entities/{id}/victim-override" => vault::override_guard, Authenticated, Some("victim.guard_override"), Some("VictimGuardOverride"), "Supervisor override: let an identified victim be recorded as a suspect, with a reason";
    get "/api/v1/providers" => services::list_providers, Authenticated, Some("provider.list"), None, "The service-provider directory (?service_type=, ?language=)";
    post "/api/v1/providers" => services::create_provider, Authenticated, Some("provider.manage"), Some("CreateProvider"), "Add a provider to the directory";
    get "/api/v1/providers/{id}" => services::show_provider, Authenticated, Some("provider.list"), None, "One provider";
    get "/api/v1/victims/{id}/referrals" => services::list_referrals, Authenticated, Some("victim.read_services"), None, "A victim's referrals and services delivered";
    post "/api/v1/victims/{id}/referrals" => services::create_referral, Authenticated, Some("victim.refer"), Some("CreateReferral"), "Refer to a provider (needs a consent naming the provider)";
    post "/api/v1/referrals/{id}/status" => services::set_referral_status, Authenticated, Some("victim.write"), Some("SetReferralStatus"), "Move a referral along sent → accepted/declined → service_delivered → closed";
    post "/api/v1/referrals/{id}/services" => services::record_service, Authenticated, Some("victim.write"), Some("RecordService"), "Record a service delivered under an accepted referral";
    // --- evidence
    post "/api/v1/cases/{id}/evidence" => evidence::upload, Authenticated, Some("evidence.add"), Some("EvidenceFile"), "Add evidence: the raw body is the file (streamed, SHA-256 on ingest, stored once); 201, or 200 with the existing item for the same bytes";
    get "/api/v1/cases/{id}/evidence" => evidence::list, Authenticated, Some("evidence.read"), None, "A case's evidence items";
    post "/api/v1/cases/{id}/evidence/export" => evidence::export, Authenticated, Some("evidence.export"), Some("ExportEvidence"), "Court package as a tar stream: files, SHA256SUMS, HTML custody report; an exported custody event per item";
    get "/api/v1/evidence/{id}" => evidence::show, Authenticated, Some("evidence.read"), None, "One evidence item";
    get "/api/v1/evidence/{id}/content" => evidence::download, Authenticated, Some("evidence.read"), None, "Download the original, streamed and re-hashed (an accessed custody event; ?purpose=)";
    get "/api/v1/evidence/{id}/custody" => evidence::custody, Authenticated, Some("evidence.read"), None, "An item's chain of custody, in order";
    post "/api/v1/evidence/{id}/transfers" => evidence::transfer, Authenticated, Some("evidence.transfer"), Some("TransferEvidence"), "Hand custody to a task-force member who can see the case";
}
