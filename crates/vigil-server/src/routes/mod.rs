//! Handlers, one module per capability, and the conversions from store records to wire types.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod content;
pub mod meta;
pub mod tokens;
// --- xref
pub mod xref;
// --- analytics
pub mod ads;
pub mod graph;
// --- ops
pub mod operations;
pub mod prosecution;
pub mod protocols;
// --- tips
pub mod intake;
pub mod tips;
// --- vault
pub mod services;
pub mod vault;
// --- evidence
pub mod evidence;

use crate::wire;
use std::collections::HashMap;
use vigil_store::agencies::Agency;
use vigil_store::cases::Case;
use vigil_store::content::Entity;
use vigil_store::users::User;

pub(crate) fn agency_out(a: &Agency) -> wire::AgencyOut {
    wire::AgencyOut {
        id: a.id.to_string(),
        name: a.name.clone(),
        short_code: a.short_code.clone(),
        kind: a.kind.as_str().into(),
    }
}

pub(crate) fn user_out(u: &User) -> wire::UserOut {
    wire::UserOut {
        id: u.id.to_string(),
        username: u.username.to_string(),
        display_name: u.display_name.clone(),
        role: u.role.as_str().into(),
        agency_id: u.agency_id.to_string(),
        mfa_enrolled: u.totp_secret.is_some(),
        locked: u.lockout.locked,
        disabled: u.disabled,
    }
}

pub(crate) fn case_out(c: &Case) -> wire::CaseOut {
    wire::CaseOut {
        id: c.id.to_string(),
        agency_id: c.agency_id.to_string(),
        number: c.number.to_string(),
        title: c.title.clone(),
        trafficking_type: c.trafficking_type.as_str().into(),
        status: c.status.as_str().into(),
        sensitivity: c.sensitivity.as_str().into(),
        created_by: c.created_by.to_string(),
        created_at: c.created_at.to_rfc3339(),
        updated_at: c.updated_at.to_rfc3339(),
    }
}

pub(crate) fn entity_out(e: &Entity) -> wire::EntityOut {
    wire::EntityOut {
        id: e.id.to_string(),
        case_id: e.case_id.to_string(),
        schema: e.schema.as_str().into(),
        caption: e.caption.clone(),
        properties: e.properties.clone(),
        created_at: e.created_at.to_rfc3339(),
        updated_at: e.updated_at.to_rfc3339(),
        pseudonymised: false,
    }
}

/// Query-string parameters, with a clear error for unknown ones.
pub(crate) struct Params(pub HashMap<String, String>);

impl Params {
    pub fn only(raw: HashMap<String, String>, allowed: &[&str]) -> Result<Self, crate::ApiError> {
        if let Some(bad) = raw.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(crate::ApiError::invalid(
                &format!(
                    "query parameter `{}`",
                    bad.chars().take(40).collect::<String>()
                ),
                format!("unknown; allowed: {}", allowed.join(", ")),
            ));
        }
        Ok(Self(raw))
    }

    pub fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).map(String::as_str).filter(|v| !v.is_empty())
    }
}
