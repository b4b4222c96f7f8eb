//! Non-phone numerics (design §4 step 6): one linear-time pass finds card numbers, dates, clock
//! times, measurements, heights, prices, ages, unit-suffixed numbers, percents, `24/7` and
//! `#`/keyword-prefixed IDs in the folded text; they are kept out of phone matching, and prices
//! and ages are reported on the way.

use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::fold::Folded;
use crate::price_age::{AgeHit, PriceHit};

/// What the strip pass found: folded-unit ranges to keep out of phones, plus prices and ages.
#[derive(Debug, Default)]
pub(crate) struct Stripped {
    /// Sorted, non-overlapping ranges of folded units.
    pub(crate) mask: Vec<(usize, usize)>,
    pub(crate) prices: Vec<PriceHit>,
    pub(crate) ages: Vec<AgeHit>,
}

const PATTERN: &str = concat!(
    r"(?-u)",
    // payment cards: 4-4-4-4(-1..3), Amex 4-6-5, or one unspaced 13–19 digit run (Luhn checked)
    r"\b[0-9]{4}(?:[ -][0-9]{4}){2,3}(?:[ -][0-9]{1,3})?\b|\b[0-9]{4}[ -][0-9]{6}[ -][0-9]{5}\b|\b[0-9]{13,19}\b",
    // dates: m/d/y, ISO y-m-d, 8-digit yyyymmdd or mmddyyyy
    r"|\b(?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12][0-9]|3[01])[/.-](?:[0-9]{4}|[0-9]{2})\b",
    r"|\b(?:19|20)[0-9]{2}[/.-](?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12][0-9]|3[01])\b",
    r"|\b(?:(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])|(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?:19|20)[0-9]{2})\b",
    // clock times
    r"|\b(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?:\s?[ap]\.?m\b\.?)?|\b(?:1[0-2]|0?[1-9])\s?[ap]\.?m\b\.?",
    // body measurements (with cup size) and heights
    r"|\b[0-9]{2}[a-z]{0,3}\s?[-/]\s?[0-9]{2}\s?[-/]\s?[0-9]{2}\b",
    r#"|\b[4-7]\s?'\s?(?:1[01]|[0-9])\b(?:\s?(?:"|''))?|\b[4-7]\s?(?:ft|feet)\s?(?:1[01]|[0-9])\b(?:\s?(?:in|inches)\b)?"#,
    // prices: $ amounts with an optional unit, amount + unit, unit + amount
    r"|\$\s?[0-9][0-9,]{0,6}(?:\.[0-9]{2})?(?:\s?(?:/\s?|per\s)?(?:hhr|hh|hrs?|hours?|h|qv|qk|qq|ss|mins?|overnight|ovn|roses?)\b)?",
    r"|\b[1-9][0-9]{1,3}\s?(?:/\s?)?(?:hhr|hh|hrs?|h|qv|qk|qq|ss|roses?|usd|dollars?|bucks)\b",
    r"|\b[1-9][0-9]{0,2}\s?(?:hours?|mins?|minutes?)\b",
    r"|\b(?:qv|qk|qq|hhr|hh|hr|h|ss|half|hour|overnight|ovn)\s?[:=-]?\s?\$?[1-9][0-9]{1,3}\b",
    // slang price words before an amount: "donations 200", "roses 150"
    r"|\b(?:donations?|roses)\s?:?\s?\$?[1-9][0-9]{1,3}\b",
    // stated ages
    r"|\b(?:i'?m|i am|age|aged)\s?:?\s?[1-9][0-9]\b|\b[1-9][0-9]\s?(?:yo|y/o|y\.o\.?|yrs?|years?)(?:\s?old)?\b",
    r"|\s-\s?[1-9][0-9]\s*$",
    // client age restrictions: 18+, 21+
    r"|\b[1-9][0-9]\s?\+(?:[^0-9]|$)",
    // unit-suffixed numbers, percents, 24/7
    r"|\b[0-9]{1,4}(?:\.[0-9])?\s?(?:lbs?|kgs?|cm|mm|inches|stars?)\b|[0-9]+\s?%|\b24\s?/\s?7\b",
    // IDs: #123, keyword-prefixed numbers
    r"|#\s?[0-9]+|\b(?:id|ref|order|case|zip|room|rm|apt|suite|ste|unit|invoice|ticket|listing|post)\s?(?:#|no\.?|:)?\s?[0-9]+\b",
);

fn regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(PATTERN).ok()).as_ref()
}

/// Runs the strip pass over the folded text; `price_range` bounds reported prices.
pub(crate) fn strip(folded: &Folded, price_range: (u32, u32)) -> Stripped {
    let mut out = Stripped::default();
    let bytes = &folded.bytes;
    if !bytes.iter().any(u8::is_ascii_digit) {
        return out;
    }
    let Some(re) = regex() else { return out };
    for m in re.find_iter(bytes) {
        let slice = m.as_bytes();
        if is_card_shaped(slice) && !luhn_valid(slice) {
            continue;
        }
        out.mask.push((m.start(), m.end()));
        classify(folded, m.start(), m.end(), price_range, &mut out);
    }
    out
}

fn is_card_shaped(s: &[u8]) -> bool {
    let digits = s.iter().filter(|b| b.is_ascii_digit()).count();
    (13..=19).contains(&digits)
        && s.iter()
            .all(|&b| b.is_ascii_digit() || b == b' ' || b == b'-')
}

/// The Luhn checksum over the digits of `s`.
pub(crate) fn luhn_valid(s: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in s
        .iter()
        .rev()
        .filter(|b| b.is_ascii_digit())
        .map(|b| u32::from(b - b'0'))
        .enumerate()
    {
        sum += if i % 2 == 1 {
            if d * 2 > 9 {
                d * 2 - 9
            } else {
                d * 2
            }
        } else {
            d
        };
    }
    matches!(sum % 10, 0)
}

/// Reads a price or an age out of one stripped match.
fn classify(folded: &Folded, a: usize, b: usize, price_range: (u32, u32), out: &mut Stripped) {
    let s = &folded.bytes[a..b];
    let letters: String = s
        .iter()
        .filter(|c| c.is_ascii_lowercase())
        .map(|&c| c as char)
        .collect();
    let digits_first = s.iter().position(u8::is_ascii_digit).unwrap_or(0)
        < s.iter()
            .position(u8::is_ascii_lowercase)
            .unwrap_or(usize::MAX);
    let Some(amount) = first_number(s) else {
        return;
    };
    let has_dollar = s.contains(&b'$');
    let title_age =
        s.first().is_some_and(u8::is_ascii_whitespace) && s.contains(&b'-') && letters.is_empty();
    let is_age_word = matches!(
        letters.as_str(),
        "im" | "iam"
            | "age"
            | "aged"
            | "yo"
            | "yoold"
            | "yr"
            | "yrs"
            | "year"
            | "years"
            | "yrold"
            | "yrsold"
            | "yearold"
            | "yearsold"
    );
    // Spans start at the first digit for age suffix forms, so "i'm 21" spans the whole phrase.
    let span = folded.span(
        a + s.iter().take_while(|c| c.is_ascii_whitespace()).count(),
        b,
    );
    if is_age_word || title_age {
        if (10..=99).contains(&amount) {
            out.ages.push(AgeHit {
                raw: String::new(),
                span,
                age: amount as u8,
                minor: amount < 18,
            });
        }
        return;
    }
    let (unit, currency) = match letters.as_str() {
        "hh" | "hhr" | "half" => (Some("hh"), None),
        "h" | "hr" | "hrs" | "hour" => (Some("h"), None),
        "hours" | "min" | "mins" | "minutes" if digits_first && !has_dollar => return,
        "hours" => (Some("h"), None),
        "qv" | "qk" | "qq" => (Some("qv"), None),
        "ss" => (Some("ss"), None),
        "overnight" | "ovn" => (Some("overnight"), None),
        "rose" | "roses" | "usd" | "dollar" | "dollars" | "bucks" => (None, Some("USD")),
        "donation" | "donations" => (None, None),
        "" | "per" | "min" | "mins" | "minutes" if has_dollar => (None, None),
        _ => return,
    };
    let currency = if has_dollar { Some("USD") } else { currency };
    if (price_range.0..=price_range.1).contains(&amount) {
        out.prices.push(PriceHit {
            raw: String::new(),
            span,
            amount,
            currency: currency.map(str::to_owned),
            unit: unit.map(str::to_owned),
        });
    }
}

/// The first run of digits (commas inside skipped), saturating.
fn first_number(s: &[u8]) -> Option<u32> {
    let start = s.iter().position(u8::is_ascii_digit)?;
    let mut n: u32 = 0;
    for &c in &s[start..] {
        match c {
            b'0'..=b'9' => n = n.saturating_mul(10).saturating_add(u32::from(c - b'0')),
            b',' => {}
            _ => break,
        }
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped_text(text: &str) -> Vec<String> {
        let f = Folded::new(text);
        strip(&f, (20, 5000))
            .mask
            .iter()
            .map(|&(a, b)| String::from_utf8_lossy(&f.bytes[a..b]).into_owned())
            .collect()
    }

    #[test]
    fn the_pattern_compiles() {
        assert!(regex().is_some());
    }

    #[test]
    fn strips_traps_but_not_phone_shapes() {
        assert_eq!(
            stripped_text("34-24-36 5'6 120lbs"),
            ["34-24-36", "5'6", "120lbs"]
        );
        assert_eq!(stripped_text("order #4805550142"), ["order #4805550142"]);
        assert_eq!(
            stripped_text("12/25/2023 10:30pm"),
            ["12/25/2023", "10:30pm"]
        );
        assert!(stripped_text("480-555-0142 201.555.0123 4-8-0 ~ 5-5-5 ~ 0-1-4-2").is_empty());
        assert!(
            stripped_text("4111 1111 1111 1112").is_empty(),
            "Luhn-invalid grouping stays"
        );
        assert_eq!(
            stripped_text("4111 1111 1111 1111"),
            ["4111 1111 1111 1111"]
        );
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid(b"4111111111111111"));
        assert!(luhn_valid(b"4805550142000010"));
        assert!(!luhn_valid(b"4805550142000011"));
    }
}
