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
