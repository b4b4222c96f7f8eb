//! The input of every analysis: one ad's text plus the selectors already extracted from it.

use serde::{Deserialize, Serialize};

/// Which kind of hard selector a value is. Hard selectors link ads directly (A16).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelectorKind {
    /// A phone number in E.164.
    Phone,
    /// An e-mail address.
    Email,
    /// A social-media or messaging handle, `platform:handle`.
    Handle,
    /// A crypto-asset address.
    Wallet,
    /// A payment handle, `service:handle`.
    Payment,
}

impl SelectorKind {
    /// The lower-case name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            SelectorKind::Phone => "phone",
            SelectorKind::Email => "email",
            SelectorKind::Handle => "handle",
            SelectorKind::Wallet => "wallet",
            SelectorKind::Payment => "payment",
        }
    }
}

/// Which part of the ad a span points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The ad title.
    Title,
    /// The ad body.
    Text,
}

/// A byte range `[start, end)` in one field of the original ad.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub field: Field,
    pub start: usize,
    pub end: usize,
}

/// One extracted hard selector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selector {
    pub kind: SelectorKind,
    /// Normalised value (E.164 for phones, lower-cased address for e-mail, ...).
    pub value: String,
    /// Where it was found, when known.
    pub span: Option<Span>,
    /// True when a plain pass would not have found it (drives indicator A1).
    #[serde(default)]
    pub obfuscated: bool,
}

/// A stated age with its location.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatedAge {
    pub age: u8,
    pub span: Option<Span>,
}

/// One ad as the analyses see it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdFeatures {
    pub id: String,
    pub title: String,
    pub text: String,
    /// Unix seconds, when the feed gave a time.
    pub posted_at: Option<i64>,
    pub city: Option<String>,
    pub selectors: Vec<Selector>,
    /// True when at least one phone was written in an obscured form.
    pub obfuscated_phone: bool,
    pub stated_ages: Vec<StatedAge>,
}

impl AdFeatures {
    /// The text of one field.
    pub fn field(&self, field: Field) -> &str {
        match field {
            Field::Title => &self.title,
            Field::Text => &self.text,
        }
    }
}
