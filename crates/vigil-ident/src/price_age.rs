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

/// A price: amount, currency when stated (`$`, "roses", "usd" → USD; `€`, "eur" → EUR; `£`,
/// "gbp", "quid" → GBP; a sign or a code before the amount as well as after: "EUR 150"),
/// unit ∈ {qv, hh, h, ss, overnight} ("per hour", "an hour", "hourly" and "/hr" are `h`).
///
/// The amount is in whole units: thousands groupings with `.` or `,` are read ("€1.500",
/// "1,500$" → 1500) and cents are dropped ("120,50 €", "$120.50" → 120). A number of any other
/// shape ("1,5", "1500,000", digits that go on past what was matched) gives no price rather
/// than a wrong amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceHit {
    pub span: Span,
    /// The original text at `span`.
    pub raw: String,
    /// Whole units, cents dropped.
    pub amount: u32,
    /// `USD` when stated; the vocabulary is closed, so the values are static.
    pub currency: Option<&'static str>,
    /// `qv`, `hh`, `h`, `ss` or `overnight`.
    pub unit: Option<&'static str>,
}
