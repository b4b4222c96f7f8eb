//! Stated ages and prices (design §5): the hit types. They are found by the strip pass
//! (`strip.rs`), which must recognise them anyway to keep them out of phone numbers.

use crate::Span;

/// A stated age, 10–99.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgeHit {
    pub span: Span,
    /// The original text at `span`.
    pub raw: String,
    pub age: u8,
    /// Under 18: the ad goes to priority human review.
    pub minor: bool,
}

/// A price: amount, currency when stated (`$`, "roses" → USD; `€`, "eur" → EUR; `£`, "gbp",
/// "quid" → GBP), unit ∈ {qv, hh, h, ss, overnight}.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceHit {
    pub span: Span,
    /// The original text at `span`.
    pub raw: String,
    pub amount: u32,
    /// `USD` when stated; the vocabulary is closed, so the values are static.
    pub currency: Option<&'static str>,
    /// `qv`, `hh`, `h`, `ss` or `overnight`.
    pub unit: Option<&'static str>,
}
