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
