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
pub struct CreateReferral {
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
