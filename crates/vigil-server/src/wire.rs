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
