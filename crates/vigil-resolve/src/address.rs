//! Address normalisation: folded tokens with a street-type abbreviation table, postcodes.

use crate::text::{fold, tokens};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

const STREET_TYPES: &str = include_str!("../data/street_types.txt");

fn street_types() -> &'static FxHashMap<&'static str, &'static str> {
    static TABLE: OnceLock<FxHashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        STREET_TYPES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once(' '))
            .map(|(a, b)| (a.trim(), b.trim()))
            .collect()
    })
}

/// Folds a street line and abbreviates street types (`Main Street` → `main st`). Idempotent.
pub fn normalise_street(raw: &str) -> String {
    let f = fold(raw);
    let t = street_types();
    let out: Vec<&str> = tokens(&f)
        .map(|tok| t.get(tok).copied().unwrap_or(tok))
        .collect();
    out.join(" ")
}

/// Folds a locality, region or free-text value.
pub fn normalise_text(raw: &str) -> String {
    fold(raw)
}

/// Normalises a postcode: upper-case alphanumerics without spaces; a US ZIP+4 keeps its first
/// five digits.
pub fn normalise_postcode(raw: &str) -> String {
    let s: String = raw
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit()) && raw.contains('-') {
        return s[..5].to_string();
    }
    s
}

/// Street number: digits and a trailing letter (`12a`), the first number of a range.
pub fn normalise_street_number(raw: &str) -> String {
    let f = fold(raw);
    f.split(' ').next().unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn abbreviates() {
        assert_eq!(normalise_street("12 Main Street North"), "12 main st n");
        assert_eq!(normalise_street("Goldfinch Circuit"), "goldfinch cct");
        assert_eq!(normalise_postcode("85004-1234"), "85004");
        assert_eq!(normalise_postcode("sw1a 1aa"), "SW1A1AA");
    }

    proptest! {
        #[test]
        fn normalisers_are_idempotent(s in "\\PC{0,40}") {
            let a = normalise_street(&s);
            prop_assert_eq!(normalise_street(&a), a.clone());
            let p = normalise_postcode(&s);
            prop_assert_eq!(normalise_postcode(&p), p.clone());
        }
    }
}
