//! Versioned wire types for `/api/v1`. Only these derive serde; domain types stay unserialisable
//! so renaming a field in the domain can never silently change the API. Request types refuse
//! unknown fields (mass-assignment protection, ASVS 15.3.3).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `{"items": [...]}`.
#[derive(Serialize, Deserialize, Debug)]
pub struct List<T> {
    pub items: Vec<T>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// The system-use banner (GET /auth/banner) must be acknowledged (CJIS AC-8).
    pub acknowledge_banner: bool,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct TotpRequest {
    pub code: String,
}

/// Step-up re-authentication: the password and a current TOTP code.
#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct StepUpRequest {
    pub password: String,
    pub code: String,
}

/// Until when privileged functions are open to this session.
#[derive(Deserialize, Serialize, Debug)]
pub struct StepUpDone {
    pub step_up_expires_at: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Returned by login and second-factor steps.
#[derive(Serialize, Deserialize, Debug)]
pub struct LoginStep {
    /// `second_factor` (send a TOTP code), `enrol` (set up TOTP first) or `complete`.
    pub stage: String,
    /// The session token, for API clients (`Authorization: Bearer …`). Browsers use the cookie.
    pub token: String,
    /// Send as `X-CSRF-Token` on state-changing requests made with the cookie.
    pub csrf_token: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct TotpEnrolment {
    pub secret_base32: String,
    pub otpauth_uri: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct Banner {
    pub banner: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct Me {
    pub user: UserOut,
    pub agency: AgencyOut,
    pub idle_timeout_seconds: u64,
    pub session_expires_at: Option<String>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateAgency {
    pub name: String,
    pub short_code: String,
    pub kind: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct AgencyOut {
    pub id: String,
    pub name: String,
    pub short_code: String,
    pub kind: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub agency_id: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct UserOut {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub agency_id: String,
    pub mfa_enrolled: bool,
    pub locked: bool,
    pub disabled: bool,
}

/// A new account and its one-time initial password (shown once, never stored in clear).
#[derive(Serialize, Deserialize, Debug)]
pub struct CreatedUser {
    pub user: UserOut,
    pub initial_password: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    pub name: String,
    /// `read` or `full`.
    pub scope: String,
    /// Lifetime in days, 1–365.
    pub days: u32,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct TokenOut {
    pub id: String,
    pub name: String,
    pub scope: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked: bool,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct CreatedToken {
    pub token: TokenOut,
    /// The secret, shown once.
    pub secret: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateCase {
    pub number: String,
    pub title: String,
    pub trafficking_type: String,
    #[serde(default)]
    pub sensitivity: Option<String>,
}

#[derive(Deserialize, Serialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct UpdateCase {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub trafficking_type: Option<String>,
    #[serde(default)]
    pub sensitivity: Option<String>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct SetStatus {
    pub status: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct CaseOut {
    pub id: String,
    pub agency_id: String,
    pub number: String,
    pub title: String,
    pub trafficking_type: String,
    pub status: String,
    pub sensitivity: String,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct CaseDetail {
    pub case: CaseOut,
    pub team: Vec<TeamMemberOut>,
    pub counts: CaseCounts,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct CaseCounts {
    pub entities: usize,
    pub links: usize,
    pub notes: usize,
    pub open_tasks: usize,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct TeamMemberOut {
    pub user_id: String,
    pub display_name: String,
    pub agency_id: String,
    pub role: String,
    pub lead: bool,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct AddMember {
    pub user_id: String,
    #[serde(default)]
    pub lead: bool,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateEntity {
    /// A FollowTheMoney schema name, e.g. `Person`, `Phone`.
    pub schema: String,
    pub properties: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct UpdateEntity {
    pub properties: BTreeMap<String, Vec<String>>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct EntityOut {
    pub id: String,
    pub case_id: String,
    pub schema: String,
    pub caption: String,
    pub properties: BTreeMap<String, Vec<String>>,
    pub created_at: String,
    pub updated_at: String,
    /// A victim the caller may not see: `caption` is a pseudonym and `properties` is empty.
    #[serde(default)]
    pub pseudonymised: bool,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateLink {
    pub source_id: String,
    pub target_id: String,
    pub link_type: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct LinkOut {
    pub id: String,
    pub source_id: String,
    pub target_id: String,
    pub link_type: String,
    pub description: Option<String>,
    pub created_at: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateNote {
    pub body: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct NoteOut {
    pub id: String,
    pub author_id: String,
    pub body: String,
    pub created_at: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateTask {
    pub title: String,
    #[serde(default)]
    pub assignee_id: Option<String>,
    /// RFC 3339 or `YYYY-MM-DD`.
    #[serde(default)]
    pub due_at: Option<String>,
}

#[derive(Deserialize, Serialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct UpdateTask {
    #[serde(default)]
    pub status: Option<String>,
    /// `null` unassigns; absent leaves it.
    #[serde(default, with = "double_option")]
    pub assignee_id: Option<Option<String>>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct TaskOut {
    pub id: String,
    pub title: String,
    pub status: String,
    pub assignee_id: Option<String>,
    pub due_at: Option<String>,
    pub overdue: bool,
    pub created_at: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct TimelineEntry {
    pub at: String,
    pub actor_id: Option<String>,
    pub kind: String,
    pub summary: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct AuditEventOut {
    pub seq: u64,
    pub at: String,
    pub actor_user: Option<String>,
    pub actor_agency: Option<String>,
    pub action: String,
    pub object_kind: String,
    pub object_id: Option<String>,
    pub object_agency: Option<String>,
    pub outcome: String,
    pub detail: String,
    pub leaf_hash: String,
    pub chain_hash: String,
}

impl From<&vigil_store::audit::StoredEvent> for AuditEventOut {
    fn from(s: &vigil_store::audit::StoredEvent) -> Self {
        let e = &s.event;
        Self {
            seq: e.seq,
            at: e.at.to_rfc3339(),
            actor_user: e.actor_user.map(|u| u.to_string()),
            actor_agency: e.actor_agency.map(|a| a.to_string()),
            action: e.action.clone(),
            object_kind: e.object_kind.clone(),
            object_id: e.object_id.clone(),
            object_agency: e.object_agency.map(|a| a.to_string()),
            outcome: e.outcome.as_str().into(),
            detail: e.detail.clone(),
            leaf_hash: hex::encode(s.leaf_hash),
            chain_hash: hex::encode(s.chain_hash),
        }
    }
}

#[derive(Serialize, Deserialize, Debug)]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// Distinguishes an absent field from an explicit `null`.
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(d).map(Some)
    }

    #[allow(clippy::ref_option)]
    pub fn serialize<S: Serializer>(v: &Option<Option<String>>, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }
}

// --- xref
/// One line of a match explanation: the concept compared, the comparison level (or an
/// adjustment such as a generic value), both sides' normalised values, and the weight in bits.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct XrefEvidence {
    pub field: String,
    pub level: String,
    pub left: String,
    pub right: String,
    pub bits: f64,
}

/// A value whose agreement was ignored because it is generic (stoplist, or shared by unrelated
/// records).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct XrefGeneric {
    pub field: String,
    pub reason: String,
}

/// Why two records were matched. `total_bits` is the sum of the evidence bits.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct XrefExplanation {
    pub probability: f64,
    pub total_bits: f64,
    pub evidence: Vec<XrefEvidence>,
    pub generic: Vec<XrefGeneric>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct XrefSideOut {
    pub entity_id: String,
    pub case_id: String,
    pub caption: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct XrefJudgementOut {
    pub decision: String,
    pub judged_by: String,
    pub judged_at: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct XrefCandidateOut {
    pub id: String,
    pub probability: f64,
    /// `open` (in the review queue), `same`, `different` or `unsure`.
    pub status: String,
    pub generic: bool,
    pub a: XrefSideOut,
    pub b: XrefSideOut,
    pub explanation: XrefExplanation,
    pub found_by: String,
    pub updated_at: String,
    pub history: Vec<XrefJudgementOut>,
}

/// A deconfliction notice: another agency holds a possible match the caller may not see.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct XrefNotice {
    /// The caller's own record.
    pub entity_id: String,
    pub agency_id: String,
    pub agency_name: String,
    pub message: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct XrefList {
    pub items: Vec<XrefCandidateOut>,
    pub notices: Vec<XrefNotice>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct JudgeCandidate {
    /// `same`, `different` or `unsure`.
    pub decision: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct XrefCheck {
    /// The file name used in error messages (`name:line:field`).
    #[serde(default)]
    pub name: Option<String>,
    /// CSV text with a header row; columns are mapped by name (given/first, surname/last,
    /// name, birth/dob, phone, email, address/street, city, postcode/zip, state, id).
    pub csv: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct XrefCheckCandidate {
    pub entity_id: String,
    pub case_id: String,
    pub caption: String,
    pub probability: f64,
    pub explanation: XrefExplanation,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct XrefRowMatches {
    pub line: u64,
    pub row_id: String,
    pub candidates: Vec<XrefCheckCandidate>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct XrefCheckOut {
    pub rows: u64,
    pub checked: u64,
    /// `name:line:field: what is wrong` (values are never echoed); at most 100.
    pub errors: Vec<String>,
    pub error_count: u64,
    pub columns: Vec<String>,
    pub matches: Vec<XrefRowMatches>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct XrefLabel {
    pub candidate_id: String,
    pub entity_a: String,
    pub entity_b: String,
    /// `match` or `non_match` (judgements in force; `unsure` is not a label).
    pub label: String,
    pub probability: f64,
    pub decided_at: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct XrefSameAs {
    pub entity_id: String,
    /// Entities judged the same as this one (directly or through others), that you may see.
    pub members: Vec<XrefSideOut>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct AddStop {
    /// `phone` or `email`.
    pub kind: String,
    pub value: String,
    /// Why it is generic, e.g. `hotline`, `hotel switchboard` (no personal data).
    pub reason: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct StopOut {
    pub id: String,
    pub kind: String,
    pub value: String,
    pub reason: String,
    pub added_at: String,
}

// --- analytics

/// One extracted hard selector of an ad (or a link written in it: kind `url`).
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct AdSelectorOut {
    /// `phone`, `email`, `handle`, `payment`, `wallet` or `url`.
    pub kind: String,
    /// Normalised: E.164, lower-cased e-mail, `platform:handle`, address, URL.
    pub value: String,
    pub obfuscated: bool,
}

/// An online ad as lists and searches show it.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct AdOut {
    /// The ad's id, which is also its `OnlineAd` entity's id.
    pub id: String,
    pub case_id: String,
    /// The id the feed gave it.
    pub feed_id: String,
    /// SHA-256 of the captured content.
    pub content_sha256: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub posted_at: Option<String>,
    pub location: Option<String>,
    pub title: String,
    /// Sum of the weights of the indicators that hit (see the explanation).
    pub score: f64,
    /// Possible minor: route to priority human review whatever the score.
    pub urgent_review: bool,
    pub weight_set: String,
    pub selectors: Vec<AdSelectorOut>,
}

/// A page of ads.
#[derive(Serialize, Deserialize, Debug)]
pub struct AdPage {
    pub items: Vec<AdOut>,
    pub limit: i64,
    pub offset: i64,
    /// Always: an ad is a lead, not evidence.
    pub statement: String,
}

/// One ad with its text and the full explanation of its score.
#[derive(Serialize, Deserialize, Debug)]
pub struct AdDetail {
    pub ad: AdOut,
    pub text: String,
    /// Every indicator hit with its span, weight, evidence grade and source (vigil-ads `Score`).
    pub explanation: serde_json::Value,
    pub imported_at: String,
    pub statement: String,
}

/// Operations (clusters of ads) over the ads the caller may see.
#[derive(Serialize, Deserialize, Debug)]
pub struct OperationsOut {
    /// Each operation lists its ads, selectors, suppressed generic values and one explained link
    /// per join (vigil-ads `Operation`).
    pub operations: Vec<serde_json::Value>,
    pub stats: serde_json::Value,
    /// The parameters used, so the result can be reproduced.
    pub parameters: serde_json::Value,
    /// Cases whose ads were clustered.
    pub cases: usize,
    pub statement: String,
}

/// Per-node metrics of a link chart.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct NodeMetricsOut {
    pub degree: u64,
    pub weighted_degree: f64,
    /// Normalised as networkx does; an estimate when `GraphOut.betweenness_sampled`.
    pub betweenness: f64,
    pub closeness: f64,
    pub harmonic: f64,
    /// Absent when the power iteration did not converge (see warnings).
    pub pagerank: Option<f64>,
    pub eigenvector: Option<f64>,
    pub core: u32,
    pub community: u32,
    pub component: u32,
}

/// A node of a link chart.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct GraphNode {
    /// An entity id; `victim-…` for a pseudonymised victim; `selector:KIND:VALUE` for a selector
    /// shared by ads.
    pub id: String,
    /// FollowTheMoney schema (`Person`, `Phone`, `OnlineAd`, …).
    #[serde(rename = "type")]
    pub node_type: String,
    pub label: String,
    /// The case the entity belongs to (absent for selector nodes, which may span cases).
    pub case_id: Option<String>,
    /// True when the node stands for a victim whose identity the caller may not see.
    pub pseudonymised: bool,
    pub metrics: Option<NodeMetricsOut>,
}

/// An edge of a link chart: one record that links two nodes.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct GraphEdge {
    pub source: String,
    pub target: String,
    /// The link type (`associate`, `uses`, …) or `advertised_with` for an ad's selector.
    #[serde(rename = "type")]
    pub edge_type: String,
    /// The record that justifies the edge: a link id, or the ad's id for a selector edge.
    pub record_id: String,
}

/// A community found by Louvain.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct CommunityOut {
    pub id: u32,
    pub size: usize,
}

/// A link chart with metrics and communities.
#[derive(Serialize, Deserialize, Debug)]
pub struct GraphOut {
    /// `case` or `visible` (every case the caller may see).
    pub scope: String,
    pub cases: usize,
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    pub communities: Vec<CommunityOut>,
    pub modularity: Option<f64>,
    pub betweenness_sampled: bool,
    pub warnings: Vec<String>,
}

/// One path between two nodes.
#[derive(Serialize, Deserialize, Debug)]
pub struct PathOut {
    /// Node ids from source to target.
    pub nodes: Vec<String>,
    /// Hops (or summed weight with `cost=weight`).
    pub cost: f64,
    /// The records along the path, in order.
    pub edges: Vec<GraphEdge>,
}

/// Shortest paths between two nodes, with the nodes they pass through.
#[derive(Serialize, Deserialize, Debug)]
pub struct PathsOut {
    pub from: String,
    pub to: String,
    pub paths: Vec<PathOut>,
    pub nodes: Vec<GraphNode>,
}

/// The n-hop neighbourhood of a node.
#[derive(Serialize, Deserialize, Debug)]
pub struct EgoOut {
    pub center: String,
    pub hops: u32,
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

// --- ops
// Protocol checklists (T5), joint operations (O1, O2), prosecution (C6).

#[derive(Serialize, Deserialize, Debug)]
pub struct ProtocolTemplateOut {
    pub key: String,
    pub version: u32,
    pub title: String,
    /// `case_active` when the checklist starts by itself as a case becomes active.
    pub trigger: Option<String>,
    pub reviewed_by: String,
    pub reviewed_on: String,
    pub conditions: Vec<String>,
    pub items: Vec<ProtocolTemplateItemOut>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ProtocolTemplateItemOut {
    pub key: String,
    pub text: String,
    /// Due this many minutes after the checklist starts.
    pub due_after_minutes: u64,
    pub when: Option<String>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct StartProtocol {
    /// A template key from `GET /protocols`.
    pub template: String,
    /// A template version; the newest when absent.
    #[serde(default)]
    pub version: Option<u32>,
    /// Conditions that hold (e.g. `minor`); items for undeclared conditions are recorded as not
    /// applicable.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// When the response started (e.g. the identification), RFC 3339; now when absent. May lie
    /// in the past (up to 30 days) but not before the case was opened, nor in the future.
    #[serde(default)]
    pub started_at: Option<String>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct AddProtocolItem {
    pub text: String,
    /// RFC 3339; must not be in the past.
    pub due_at: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct UpdateProtocolItem {
    /// `done`, `not_applicable` (needs a note) or `open` (re-open).
    pub status: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ProtocolOut {
    pub id: String,
    pub case_id: String,
    pub template: String,
    pub version: u32,
    pub title: String,
    pub conditions: Vec<String>,
    pub trigger: Option<String>,
    pub started_at: String,
    pub started_by: String,
    pub open_items: usize,
    pub overdue_items: usize,
    pub items: Vec<ProtocolItemOut>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ProtocolItemOut {
    pub id: String,
    pub key: String,
    pub text: String,
    pub due_at: String,
    pub status: String,
    /// Open and past its due time (computed with the server's clock at the time of the read).
    pub overdue: bool,
    /// Closed after its due time.
    pub closed_late: bool,
    pub closed_by: Option<String>,
    pub closed_at: Option<String>,
    pub note: Option<String>,
    pub custom: bool,
}

#[derive(Deserialize, Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ParticipantIn {
    pub agency_id: String,
    /// `lead`, `tactical`, `investigative`, `surveillance`, `victim_services`, `prosecution`,
    /// `support`.
    pub role: String,
}

#[derive(Deserialize, Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct OnsiteServiceIn {
    /// The provider's name as the team knows it (an organisation, never a person).
    pub provider: String,
    /// The provider's agency, when it is a task-force agency.
    #[serde(default)]
    pub agency_id: Option<String>,
    /// Advocates on site, 0–500.
    pub advocates: i64,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateOperation {
    /// An operation name (a code name, not a target's name).
    pub name: String,
    /// Staging area or target area, as precise as the plan needs.
    pub location: String,
    /// RFC 3339; not in the past.
    pub planned_start: String,
    #[serde(default)]
    pub planned_end: Option<String>,
    /// Other participating agencies (the caller's agency leads and is added with role `lead`).
    #[serde(default)]
    pub participants: Vec<ParticipantIn>,
    #[serde(default)]
    pub victim_services: Vec<OnsiteServiceIn>,
}

#[derive(Deserialize, Serialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct UpdateOperation {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub planned_start: Option<String>,
    #[serde(default)]
    pub planned_end: Option<String>,
    /// Replaces the participants (the lead agency must stay).
    #[serde(default)]
    pub participants: Option<Vec<ParticipantIn>>,
    /// Replaces the victim services on site.
    #[serde(default)]
    pub victim_services: Option<Vec<OnsiteServiceIn>>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct AddRosterMember {
    pub user_id: String,
    #[serde(default)]
    pub commander: bool,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct LinkOperationCase {
    pub case_id: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct OperationOutcomes {
    pub people_recovered: i64,
    #[serde(default)]
    pub minors_recovered: i64,
    pub arrests: i64,
    pub referrals_made: i64,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct OperationOut {
    pub id: String,
    pub name: String,
    pub lead_agency_id: String,
    pub location: String,
    pub planned_start: String,
    pub planned_end: Option<String>,
    pub status: String,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct OperationDetail {
    pub operation: OperationOut,
    pub participants: Vec<ParticipantOut>,
    pub roster: Vec<RosterOut>,
    pub victim_services: Vec<OnsiteServiceIn>,
    /// Linked cases the caller may see.
    pub linked_cases: Vec<String>,
    /// Linked cases the caller may not see (counted, never named).
    pub linked_cases_not_shown: usize,
    pub outcomes: Option<OutcomesOut>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ParticipantOut {
    pub agency_id: String,
    pub role: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct RosterOut {
    pub user_id: String,
    pub display_name: String,
    pub agency_id: String,
    pub role: String,
    pub commander: bool,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct OutcomesOut {
    pub people_recovered: i64,
    pub minors_recovered: i64,
    pub arrests: i64,
    pub referrals_made: i64,
    pub notes: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<String>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateCharge {
    /// A Person entity of the case.
    pub defendant_id: String,
    /// A citation such as `18 U.S.C. § 1591` or `A.R.S. § 13-1307`.
    pub statute: String,
    pub description: String,
    /// A trafficking charge (true) or a related/other charge (false).
    pub trafficking: bool,
    /// Number of counts, 1–999; 1 when absent.
    #[serde(default)]
    pub counts: Option<i64>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct SetDisposition {
    /// `convicted`, `plea`, `dismissed` or `acquitted` (a charge starts `pending`).
    pub disposition: String,
    /// RFC 3339 or `YYYY-MM-DD`; not in the future.
    pub date: String,
    /// For a conviction or plea, e.g. `120 months`.
    #[serde(default)]
    pub sentence: Option<String>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateCourtEvent {
    /// `initial_appearance`, `arraignment`, `hearing`, `motion`, `plea_hearing`, `trial`,
    /// `verdict`, `sentencing`, `appeal`, `other`.
    pub kind: String,
    /// RFC 3339 or `YYYY-MM-DD` (past or scheduled).
    pub date: String,
    pub court: String,
    #[serde(default)]
    pub defendant_id: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ChargeOut {
    pub id: String,
    pub defendant_id: String,
    pub statute: String,
    /// The citation is one of 18 U.S.C. chapter 77's trafficking sections.
    pub known_trafficking_statute: bool,
    pub description: String,
    pub trafficking: bool,
    pub counts: i64,
    pub disposition: String,
    pub disposed_on: Option<String>,
    pub sentence: Option<String>,
    pub created_at: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct CourtEventOut {
    pub id: String,
    pub kind: String,
    pub date: String,
    pub court: String,
    pub defendant_id: Option<String>,
    pub note: Option<String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ProsecutionOut {
    pub charges: Vec<ChargeOut>,
    pub court_events: Vec<CourtEventOut>,
    /// Charge lines (counts summed) with the trafficking flag.
    pub trafficking_counts: i64,
    pub other_counts: i64,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct OperationStatusChange {
    /// `under_way`, `completed` or `cancelled`.
    pub status: String,
}

// --- tips
/// A proof-of-work challenge for an anonymous tip (GET /tips/challenge).
#[derive(Serialize, Deserialize, Debug)]
pub struct TipChallenge {
    pub challenge: String,
    /// Find a `nonce` (1–64 visible ASCII characters) so that SHA-256(challenge ‖ nonce) starts
    /// with this many zero bits.
    pub difficulty_bits: u8,
    pub expires_at: String,
}

/// A file sent with a tip.
#[derive(Deserialize, Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct TipAttachmentIn {
    /// `image/jpeg`, `image/png`, `application/pdf` or `text/plain`.
    pub media_type: String,
    /// The file, standard base64.
    pub content_base64: String,
    /// The file's name, shown to staff as text (never used as a path; a directory part is
    /// dropped; control and text-direction characters are refused; at most 255 characters).
    #[serde(default)]
    pub name: Option<String>,
}

/// An anonymous tip (POST /tips). Nothing about the sender's connection is stored.
#[derive(Deserialize, Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct TipSubmission {
    pub challenge: String,
    pub nonce: String,
    /// What happened (free text).
    pub what: String,
    #[serde(default, rename = "where")]
    pub where_text: Option<String>,
    #[serde(default, rename = "when")]
    pub when_text: Option<String>,
    /// How the task force may reach the tipster, if they want to be reached.
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub attachments: Vec<TipAttachmentIn>,
}

/// Shown once: the tipster's receipt code.
#[derive(Serialize, Deserialize, Debug)]
pub struct TipReceipt {
    pub receipt_code: String,
    pub received_at: String,
    pub message: String,
}

/// The receipt code, in the body (never in a URL).
#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct TipCodeRequest {
    pub receipt_code: String,
}

/// More information from the tipster.
#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct TipFollowUp {
    pub receipt_code: String,
    pub text: String,
}

/// What the tipster sees with the code: when the tip arrived and the conversation.
#[derive(Serialize, Deserialize, Debug)]
pub struct TipThread {
    pub received_at: String,
    pub messages: Vec<TipThreadMessage>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct TipThreadMessage {
    /// `you` or `task_force` (staff names are never shown).
    pub from: String,
    pub body: String,
    pub at: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct FiredRuleOut {
    pub rule: String,
    pub priority: String,
    pub because: String,
}

/// A triage-queue row.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct IntakeOut {
    pub id: String,
    /// `tip` or `referral`.
    pub kind: String,
    /// `urgent`, `high` or `routine`.
    pub priority: String,
    /// Why: every rule that fired.
    pub rules: Vec<FiredRuleOut>,
    /// `labour`, `sex`, `both` or `unknown` (from the indicator rules).
    pub indicates: String,
    /// `open`, `merged` or `closed`.
    pub state: String,
    pub routed_agency_id: Option<String>,
    pub assignee_id: Option<String>,
    pub case_id: Option<String>,
    pub close_reason: Option<String>,
    pub received_at: String,
    pub updated_at: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct SelectorOut {
    /// `phone`, `email`, `handle` or `wallet`.
    pub kind: String,
    /// Normalised value (E.164, address, platform:handle, wallet address).
    pub value: String,
    /// As written.
    pub raw: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct IntakeMessageOut {
    pub id: String,
    /// `tipster` or `staff`.
    pub author: String,
    pub author_id: Option<String>,
    pub body: String,
    pub created_at: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct AttachmentOut {
    pub id: String,
    /// What the tipster called the file (display only; downloads get a server-made name).
    pub name: Option<String>,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
}

/// One intake item with its text, conversation, attachments and extracted selectors.
#[derive(Serialize, Deserialize, Debug)]
pub struct IntakeDetail {
    pub item: IntakeOut,
    pub what: String,
    #[serde(rename = "where")]
    pub where_text: Option<String>,
    #[serde(rename = "when")]
    pub when_text: Option<String>,
    pub contact: Option<String>,
    pub created_by: Option<String>,
    pub messages: Vec<IntakeMessageOut>,
    pub attachments: Vec<AttachmentOut>,
    pub selectors: Vec<SelectorOut>,
}

/// A referral entered by staff (from a hotline, an NGO, another agency).
#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateIntakeReferral {
    pub what: String,
    #[serde(default, rename = "where")]
    pub where_text: Option<String>,
    #[serde(default, rename = "when")]
    pub when_text: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct AssignIntake {
    /// A supervisor, investigator or analyst of the routed agency; `null` unassigns.
    pub assignee_id: Option<String>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RouteIntake {
    pub agency_id: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CloseIntake {
    /// `duplicate`, `no_trafficking_indicators`, `insufficient_information`,
    /// `referred_outside_task_force` or `other`.
    pub reason: String,
}

/// Merge into an existing case (`case_id`) or a new one (`new_case`); exactly one.
#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct MergeIntake {
    #[serde(default)]
    pub case_id: Option<String>,
    #[serde(default)]
    pub new_case: Option<CreateCase>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct MergedOut {
    pub case_id: String,
    pub note_id: String,
    pub entity_ids: Vec<String>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct IntakeReply {
    pub body: String,
}

// --- vault

/// A new victim record; the caller's agency serves the survivor.
#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateVictim {
    pub full_name: String,
    #[serde(default)]
    pub preferred_name: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(default)]
    pub birth_date: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[serde(default)]
    pub nationality: Option<String>,
    /// Preferred languages, e.g. `["es", "en"]`.
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// How and when it is safe to make contact.
    #[serde(default)]
    pub contact_notes: Option<String>,
}

/// Changes to a victim record: absent fields stay, `""` clears an optional field.
#[derive(Deserialize, Serialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct UpdateVictim {
    #[serde(default)]
    pub full_name: Option<String>,
    #[serde(default)]
    pub preferred_name: Option<String>,
    #[serde(default)]
    pub birth_date: Option<String>,
    #[serde(default)]
    pub nationality: Option<String>,
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub contact_notes: Option<String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct VictimIdentityOut {
    pub full_name: String,
    pub preferred_name: Option<String>,
    pub birth_date: Option<String>,
    pub nationality: Option<String>,
    pub languages: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct VictimContactOut {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub contact_notes: Option<String>,
}

/// A victim record as the caller may see it: the pseudonym always, each category of data only
/// when the policy allows it (advocates of the serving agency, or a consent naming the caller).
#[derive(Serialize, Deserialize, Debug)]
pub struct VictimOut {
    pub id: String,
    pub pseudonym: String,
    pub serving_agency_id: String,
    /// The data categories this response includes.
    pub access: Vec<String>,
    pub identity: Option<VictimIdentityOut>,
    pub contact: Option<VictimContactOut>,
    /// Case links (advocates of the serving agency only).
    pub cases: Option<Vec<VictimCaseOut>>,
    pub created_at: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct VictimCaseOut {
    pub case_id: String,
    pub entity_id: Option<String>,
    pub linked_at: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct LinkVictimCase {
    pub case_id: String,
    /// The Person entity in that case, if any.
    #[serde(default)]
    pub entity_id: Option<String>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateConsent {
    pub purpose: String,
    /// `agency:<id>`, `role:<role>`, `agency:<id>:role:<role>` or `provider:<id>`.
    pub recipients: Vec<String>,
    /// `identity`, `contact`, `screening`, `services`.
    pub categories: Vec<String>,
    /// When consent was given (RFC 3339 or `YYYY-MM-DD`); now if absent.
    #[serde(default)]
    pub given_at: Option<String>,
    /// RFC 3339 or `YYYY-MM-DD`; no expiry if absent.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// The language the consent was explained and given in.
    pub language: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ConsentOut {
    pub id: String,
    pub victim_id: String,
    pub purpose: String,
    pub recipients: Vec<String>,
    pub categories: Vec<String>,
    pub given_at: String,
    pub expires_at: Option<String>,
    pub language: String,
    pub recorded_by: String,
    pub recorded_at: String,
    pub revoked_at: Option<String>,
    pub revoked_by: Option<String>,
    /// In force now.
    pub active: bool,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct QuestionOut {
    pub id: String,
    pub text: String,
    pub concern_if: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct DomainOut {
    pub id: String,
    pub title: String,
    pub questions: Vec<QuestionOut>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct QuestionnaireOut {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub language: String,
    pub intro: String,
    pub domains: Vec<DomainOut>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateScreening {
    pub questionnaire: String,
    /// The newest version if absent.
    #[serde(default)]
    pub version: Option<u32>,
    /// The language the questions were asked in.
    pub language: String,
    /// Question id → `yes`, `no`, `unsure` or `declined`; skipped questions are left out.
    pub answers: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ConcernOut {
    pub domain: String,
    pub questions: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ScreeningOut {
    pub id: String,
    pub victim_id: String,
    pub questionnaire: String,
    pub version: u32,
    pub language: String,
    pub answers: BTreeMap<String, String>,
    /// `follow_up_recommended` or `no_indicators_reported`: never a verdict.
    pub recommendation: String,
    pub message: String,
    /// The domains that raised concern (the reasons for the recommendation).
    pub concerns: Vec<ConcernOut>,
    pub administered_by: String,
    pub administered_at: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct PutSafetyPlan {
    /// Section → text; sections: warning_signs, safe_people, safe_places, communication,
    /// emergency_steps, children_and_dependants, documents, other.
    pub sections: BTreeMap<String, String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub review_on: Option<String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct SafetyPlanOut {
    pub victim_id: String,
    pub sections: BTreeMap<String, String>,
    pub review_on: Option<String>,
    pub updated_by: Option<String>,
    pub updated_at: Option<String>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateProvider {
    pub name: String,
    /// shelter, medical, counselling, legal, immigration, education, job_training,
    /// case_management, interpretation, other.
    pub service_types: Vec<String>,
    pub languages: Vec<String>,
    pub eligibility: String,
    #[serde(default)]
    pub capacity: Option<i64>,
    /// The provider's intake contact (never a survivor's).
    pub contact: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ProviderOut {
    pub id: String,
    pub name: String,
    pub service_types: Vec<String>,
    pub languages: Vec<String>,
    pub eligibility: String,
    pub capacity: Option<i64>,
    pub contact: String,
    pub updated_at: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreateReferral {
    pub provider_id: String,
    pub service_type: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ReferralOut {
    pub id: String,
    pub victim_id: String,
    pub provider_id: String,
    pub service_type: String,
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct SetReferralStatus {
    /// accepted, declined, service_delivered or closed, as the lifecycle allows.
    pub status: String,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RecordService {
    pub service_type: String,
    /// `YYYY-MM-DD`.
    pub delivered_on: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ServiceOut {
    pub id: String,
    pub referral_id: String,
    pub service_type: String,
    pub delivered_on: String,
    pub note: Option<String>,
    pub recorded_at: String,
}

/// Referrals and the services delivered under them.
#[derive(Serialize, Deserialize, Debug)]
pub struct ReferralsOut {
    pub referrals: Vec<ReferralOut>,
    pub services: Vec<ServiceOut>,
}

#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct VictimGuardOverride {
    /// Why this identified victim may be recorded as a suspect (kept with the override).
    pub reason: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct OverrideOut {
    pub id: String,
    pub case_id: String,
    pub entity_id: String,
    pub approved_by: String,
    pub approved_at: String,
}

// --- evidence

/// An evidence item. `name` is what it was uploaded as: display metadata, never a path.
#[derive(Serialize, Deserialize, Debug)]
pub struct EvidenceOut {
    pub id: String,
    pub case_id: String,
    pub name: String,
    pub description: Option<String>,
    /// As declared at upload; downloads are always sent as `application/octet-stream`.
    pub media_type: String,
    pub size_bytes: u64,
    pub sha256: String,
    pub collected_by: String,
    pub collected_at: String,
    pub collected_where: Option<String>,
    pub added_by: String,
    pub added_at: String,
    /// Who holds it now: the receiver of the last transfer, or the collector.
    pub custodian_id: String,
}

/// Record a custody transfer to another task-force member who can see the case.
#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct TransferEvidence {
    pub to_user_id: String,
    pub purpose: String,
}

/// Export the case's evidence as a court package.
#[derive(Deserialize, Serialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct ExportEvidence {
    pub purpose: String,
    /// Who receives the package (a court, a prosecutor's office, a defence attorney).
    pub recipient: String,
}

/// One custody event.
#[derive(Serialize, Deserialize, Debug)]
pub struct CustodyOut {
    pub seq: i64,
    /// `collected`, `transferred`, `accessed` or `exported`.
    pub kind: String,
    pub at: String,
    pub recorded_at: String,
    pub actor_id: String,
    pub actor_agency_id: String,
    pub actor_name: String,
    pub from_user_id: Option<String>,
    pub to_user_id: Option<String>,
    pub recipient: Option<String>,
    pub purpose: Option<String>,
    pub sha256: String,
}
