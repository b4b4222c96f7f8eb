//! The test oracle for the strip pass: the trap regex the hand-written scanner replaced, with
//! the original classifier, and property tests that the scanner and the regex agree on every
//! generated text (matches, mask, prices and ages).
//!
//! Two European ways of writing phone numbers were added since the scanner replaced the regex,
//! here first and then in the scanner; both are matches that are consumed but not masked, like
//! a card that fails Luhn, so for them the regex stays a plain `find_iter` with filters on its
//! matches:
//! - A 4-4-4 match (12 digits, which no card has: "0151 2345 6789") is masked only when a fourth
//!   group of exactly four digits adjoins it, after or before, across one space or `-`: it is
//!   then part of a 16-digit grouping that the card alternative could not match whole, for a
//!   word character glued to one end ("4111 1111 1111 1111cm", "im4111 1111 1111 1111"). The
//!   match itself is unchanged, so the search resumes where it did.
//! - A chain of four or more groups joined by one of `/`, `.` or `-` throughout, the first of
//!   one or two digits and the others of two, is an alternative of its own, before the dates,
//!   so that French numbers written in pairs ("06.12.34.56.78") yield no date or measurement.
//!   It is a consumed alternative rather than a look-ahead (which the regex crate lacks) or a
//!   filter of date matches: a rule about what follows a date misses the dates and
//!   measurements that end such a number ("06-12-34-56-78" ends with the measurement
//!   "34-56-78", "06.01.02.03.04" with the date "02.03.04").
//!
//! Euros and pounds were added the same way, regex first. The fold writes `€` and `£` as the
//! control bytes `\x1e` and `\x1f` (every printable byte stands for itself, and other symbols
//! all fold to `~`), so they join `$` wherever the pattern had it: before an amount, and in the
//! keyword-first alternatives. An alternative of its own takes a sign after an amount of 2–4
//! digits ("120€", "100 $") with the unit `$` takes, but not after a number and one separator
//! (the last group of a phone: "555 3347 $"), nor where another amount follows the sign (two
//! digits or more, not starting with 0): that is a sign-first price ("… 2142 $150hh"), except
//! that a duration in minutes after `€`, which is written after its amount, is not
//! ("120€ 30min"). The regex crate has no look-around, so [`trap_matches`] refuses such matches
//! itself. "eur", "euro(s)", "gbp" and "quid" join the currency words; "pounds" does not: in
//! these ads it is a body weight.
//!
//! Grouped amounts, currency codes and rates by the hour were added the same way, regex first:
//! - where an amount comes first (before a sign, a unit word, "per hour"; after a code) it is
//!   `amount!()`: a thousands grouping ("1.500", "1,500", groups of exactly three digits) or
//!   2–4 digits, then optional cents; after a sign, dot groups of three join the former
//!   `[0-9][0-9,]{0,6}` when a boundary follows each ("€1.500"), and cents take `,` too;
//! - "per" and "an"/"a" before "hour"/"hr", and "hourly", are units of a signed amount, and an
//!   alternative of their own after a bare amount ("150 an hour"), guarded by the sign's
//!   look-behind (a phone's last group: "702-555-1143 an hour before");
//! - a currency code before the amount ("EUR 150"), refused when a digit stands within three
//!   bytes that are no letter or digit around it (a phone's group) or an age suffix follows;
//! - a `€` after an amount is that amount's also when the next amount has a `€` of its own
//!   ("100 € 150 €").
//!
//! Keyword prices were guarded the same way against the US phone numbers they read first: a
//! price keyword or slang word before an amount ("qv 120", "roses 150") is refused when the
//! amount, of three digits and without a sign, is a phone's area code or exchange: one
//! separator `[\s./)-]`, then three digits, one or two separators and a digit
//! ("qv 702 555 0143"), or four or seven digits that no separator and digit follow
//! ("qv 555 0143"). An amount of four digits before its unit or currency word ("1143 hh",
//! "1143 usd") is refused when it is a phone's line number: one separator, three digits, one or
//! two separators and a digit before it ("702 555 1143 hh", "(702) 555-1143 qv"). Ranges,
//! second prices, measurements and cards after the amount keep it ("qv 100-150", "100/150 qv",
//! "qv 100 150 hh", "qv 100 34-24-36", "qv 150 4111 1111 1111 1111"), and so does a whole phone
//! after the amount ("qv 150 702 555 0143": a price, then a phone). The rest of the phone
//! may also be written partly in words: seven to nine digits in digit runs and digits written
//! as words, one at least a word ("qv 702 five five five 0143"; `spelled_rest_of_phone`, one
//! helper for both look-aheads).
//!
//! Sign-first prices were guarded later, against whole US phones written after a sign: the
//! sign's amount is refused when a whole phone starts at its first digit. Whole means ten
//! digits (eleven starting with 1), or three, three and four joined by `-` or `.` first
//! ("$7025550143", "$702-555-0143", "hh $702.555.0143"), with an area code and exchange that
//! start with 2–9 as NANP's do, and no separator and digit after the last group. A space
//! after the first group is what an amount and a local number look like ("$250 555 0143"), so
//! it, and three then seven digits, count only after a sign that follows another sign, which
//! is decoration ("cash only $$$ 702 555 0143"). A keyword's amount after a sign is refused by
//! the same test, so that the two agree; the keyword look-ahead above takes the spaced shapes
//! for "a whole phone after the amount".

//! The guarded alternatives are named capture groups; [`trap_matches`] tells which one matched
//! and applies its look-arounds ([`refused`]). The classifier reads a price's amount with
//! [`price_amount`] (the grouping and cents rules), an age's as before.

use std::sync::OnceLock;

use proptest::prelude::*;
use regex::bytes::Regex;

use super::scan::{Family, Scanner};
use super::{is_card_shaped, luhn_valid, strip, Stripped};
use crate::fold::{Folded, EURO_SIGN, POUND_SIGN};
use crate::price_age::{AgeHit, PriceHit};

/// An amount where a price is read from digits first or after a currency code: a thousands
/// grouping (1–3 digits, then groups of exactly three after `.` or `,`: "1.500", "1,500") or 2–4
/// plain digits, then optional cents (`.` or `,` and two digits). The grouping is tried first, so
/// that "12.500" is never read as 12 and cents.
macro_rules! amount {
    () => {
        r"(?:[1-9][0-9]{0,2}(?:[.,][0-9]{3})+|[1-9][0-9]{1,3})(?:[.,][0-9]{2})?"
    };
}

/// The optional unit after a signed amount: a unit word (after `/` or "per"), or "an hour".
macro_rules! price_tail {
    () => {
        r"(?:\s?(?:/\s?|per\s)?(?:hhr|hh|hrs?|hours?|hourly|h|qv|qk|qq|ss|mins?|overnight|ovn|roses?)\b|\s?an?\s(?:hour|hr)\b)?"
    };
}

/// An amount after a currency sign, with an optional unit, run with a look-ahead: the amount
/// is not the area code of a whole US phone ("$702-555-0143", "$$$ 702 555 0143"; see
/// [`whole_us_phone`]).
macro_rules! sign_then_amount {
    () => {
        concat!(
            r"|(?P<sign>[$\x1e\x1f]\s?[0-9][0-9,]{0,6}(?:\.[0-9]{3}\b)*(?:[.,][0-9]{2})?",
            price_tail!(),
            ")"
        )
    };
}

/// The alternative of an amount before its sign, which [`trap_matches`] runs with the
/// look-arounds that the regex crate lacks (see [`refused`]).
macro_rules! amount_then_sign {
    () => {
        concat!(
            r"|(?P<ats>\b",
            amount!(),
            r"\s?[$\x1e\x1f]",
            price_tail!(),
            ")"
        )
    };
}

/// An amount by the hour without a sign ("150 per hour", "150 an hour", "150 hourly"), run with
/// the look-behind of [`amount_then_sign`]: phrases like "an hour before" follow phone numbers.
macro_rules! hourly {
    () => {
        concat!(
            r"|(?P<hourly>\b",
            amount!(),
            r"\s?(?:(?:per|an?)\s(?:hour|hr)|hourly)\b)"
        )
    };
}

/// A currency code before the amount ("eur 150", "usd 1,500"), run with look-arounds: no digit
/// within three bytes that are no letter or digit, before or after ("usd 702 555 0143" is a
/// phone).
macro_rules! code_then_amount {
    () => {
        concat!(r"|(?P<code>\b(?:usd|eur|gbp)\s?:?\s?", amount!(), r"\b)")
    };
}

/// An amount and a unit or currency word after it ("150 hh", "100/qv", "1.500 eur"), run with a
/// look-behind: not the last group of a phone ("702 555 1143 hh", "(702) 555-1143 qv"; see
/// [`phone_before`]).
macro_rules! amount_then_unit {
    () => {
        concat!(
            r"|(?P<unit>\b",
            amount!(),
            r"\s?(?:/\s?)?(?:hhr|hh|hrs?|h|qv|qk|qq|ss|roses?|usd|dollars?|bucks|eur|euros?|gbp|quid)\b)"
        )
    };
}

/// A price keyword before its amount ("qv 120", "hh: $150"), run with a look-ahead: the amount is
/// not the first group of a phone ("qv 702 555 0143", "incall qv\n702-555-0143"; see
/// [`phone_after`]).
macro_rules! keyword_then_amount {
    () => {
        r"|(?P<keyword>\b(?:qv|qk|qq|hhr|hh|hr|h|ss|half|hour|overnight|ovn)\s?[:=-]?\s?[$\x1e\x1f]?[1-9][0-9]{1,3}\b)"
    };
}

/// A slang price word before its amount ("donations 200", "roses 150"), run with the look-ahead
/// of [`keyword_then_amount`] ("roses 702 555 0143").
macro_rules! slang_then_amount {
    () => {
        r"|(?P<slang>\b(?:donations?|roses)\s?:?\s?[$\x1e\x1f]?[1-9][0-9]{1,3}\b)"
    };
}

const PATTERN: &str = concat!(
    r"(?-u)",
    // payment cards: 4-4-4-4(-1..3), Amex 4-6-5, or one unspaced 13–19 digit run (Luhn checked);
    // a 4-4-4 match is filtered below
    r"\b[0-9]{4}(?:[ -][0-9]{4}){2,3}(?:[ -][0-9]{1,3})?\b|\b[0-9]{4}[ -][0-9]{6}[ -][0-9]{5}\b|\b[0-9]{13,19}\b",
    // a chain of four or more groups, of 1–2 digits then of 2, joined by one of `/`, `.`, `-`
    // ("06.12.34.56.78", "01-02-03-04", "6.12.34.56.78" after +33): a number written in pairs,
    // consumed whole so that no date or measurement is read out of any three of its groups, and
    // not masked (the shape filter below drops it, as Luhn drops cards)
    r"|\b[0-9]{1,2}(?:(?:/[0-9]{2}){3,}|(?:\.[0-9]{2}){3,}|(?:-[0-9]{2}){3,})\b",
    // dates: m/d/y, ISO y-m-d, 8-digit yyyymmdd or mmddyyyy
    r"|\b(?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12][0-9]|3[01])[/.-](?:[0-9]{4}|[0-9]{2})\b",
    r"|\b(?:19|20)[0-9]{2}[/.-](?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12][0-9]|3[01])\b",
    r"|\b(?:(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])|(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?:19|20)[0-9]{2})\b",
    // clock times
    r"|\b(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?:\s?[ap]\.?m\b\.?)?|\b(?:1[0-2]|0?[1-9])\s?[ap]\.?m\b\.?",
    // body measurements (with cup size) and heights
    r"|\b[0-9]{2}[a-z]{0,3}\s?[-/]\s?[0-9]{2}\s?[-/]\s?[0-9]{2}\b",
    r#"|\b[4-7]\s?'\s?(?:1[01]|[0-9])\b(?:\s?(?:"|''))?|\b[4-7]\s?(?:ft|feet)\s?(?:1[01]|[0-9])\b(?:\s?(?:in|inches)\b)?"#,
    // prices: amounts after a currency sign (`$`, and `€` and `£` as the fold writes them,
    // \x1e and \x1f) with an optional unit (groups of three after `.` as well as `,`, "€1.500",
    // but not of a longer run: "$5000.7025550938" keeps its "$5000.70"),
    // amounts before a sign with the same optional unit, amount + unit or currency word, amount
    // by the hour, unit + amount
    sign_then_amount!(),
    amount_then_sign!(),
    amount_then_unit!(),
    hourly!(),
    r"|\b[1-9][0-9]{0,2}\s?(?:hours?|mins?|minutes?)\b",
    keyword_then_amount!(),
    // slang price words before an amount: "donations 200", "roses 150"
    slang_then_amount!(),
    code_then_amount!(),
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

/// The alternatives with look-arounds, by capture group name, in the order of the bits of
/// [`regex_without`]'s mask, and their text in [`PATTERN`].
const GUARDED: [(&str, &str); 7] = [
    ("sign", sign_then_amount!()),
    ("ats", amount_then_sign!()),
    ("unit", amount_then_unit!()),
    ("hourly", hourly!()),
    ("keyword", keyword_then_amount!()),
    ("slang", slang_then_amount!()),
    ("code", code_then_amount!()),
];

fn regex() -> Option<&'static Regex> {
    regex_without(0)
}

/// The pattern without the guarded alternatives whose bits are set in `mask`: what the regex
/// tries at a start where their look-arounds fail.
fn regex_without(mask: usize) -> Option<&'static Regex> {
    // Compiled on first use: most of the masks are never needed.
    static RES: [OnceLock<Option<Regex>>; 1 << GUARDED.len()] =
        [const { OnceLock::new() }; 1 << GUARDED.len()];
    RES.get(mask)?
        .get_or_init(|| {
            let mut pattern = PATTERN.to_owned();
            for (bit, (_, text)) in GUARDED.iter().enumerate() {
                if mask & (1 << bit) != 0 {
                    pattern = pattern.replacen(text, "", 1);
                }
            }
            Regex::new(&pattern).ok()
        })
        .as_ref()
}

/// What `find_iter` of the pattern would yield with the look-arounds of the guarded
/// alternatives (see [`refused`]). A match of one of them that its look-arounds refuse is
/// dropped: as the alternative failing there, the later ones are tried at the same start, and
/// if none matches the search goes on from the next byte.
fn trap_matches(bytes: &[u8]) -> Vec<(usize, usize)> {
    let Some(re) = regex() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut at = 0;
    'search: while let Some(mut caps) = re.captures_at(bytes, at) {
        let start = caps.get(0).map_or(at, |m| m.start());
        let mut mask = 0;
        loop {
            let end = caps.get(0).map_or(start, |m| m.end());
            let guarded = GUARDED
                .iter()
                .position(|(name, _)| caps.name(name).is_some());
            match guarded {
                Some(bit) if refused(GUARDED[bit].0, bytes, start, end) => {
                    mask |= 1 << bit;
                    let retry = regex_without(mask)
                        .and_then(|rest| rest.captures_at(bytes, start))
                        .filter(|c| c.get(0).is_some_and(|m| m.start() == start));
                    match retry {
                        Some(c) => caps = c,
                        None => {
                            at = start + 1;
                            continue 'search;
                        }
                    }
                }
                _ => {
                    out.push((start, end));
                    at = end;
                    continue 'search;
                }
            }
        }
    }
    out
}

/// Whether the look-arounds of the guarded alternative `name` refuse its match `start..end`:
/// - after the amount of a price keyword or slang word ("qv 120", "roses 150"), a phone's next
///   groups ([`phone_after`]), and before the amount of an amount and its unit ("150 hh"), a
///   phone's previous groups ([`phone_before`]): wider than the one-group look-behind below,
///   so that a range ("qv 100-150", "100/150 qv") keeps its price;
/// - every other one but the code, `(?<![0-9][\s./)-])` before the amount: a number right
///   after another and one separator is the last group of a phone; by the hour, not when the
///   number before has four digits or more and the amount fewer (a phone's last group, then a
///   price: "702-555-0143 150 per hour");
/// - after the sign of an amount before its sign, `(?!\s?[1-9][0-9]+)`, for `€`
///   `(?!\s?[1-9][0-9]+(?!\s?(?:min|€)))`: `€` is written after its amount, so a duration or
///   an amount with a `€` of its own after it leaves it to this one ("100 € 150 €" is two
///   prices; "61 $150 $300" is not, `$` goes first);
/// - around a currency code and its amount, `(?<![0-9][^a-z0-9]{0,3})` before the code and
///   `(?![^a-z0-9]{0,3}[0-9])` after the amount: a number that close is likely a phone's group
///   ("usd 336) 555) 0122", "5317524 usd 954"), and `(?!\s?y)` after it: an age ("usd 16 years
///   old" is one).
fn refused(name: &str, bytes: &[u8], start: usize, end: usize) -> bool {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    let is_sign = |b: u8| matches!(b, b'$' | EURO_SIGN | POUND_SIGN);
    let digits_from = |i: usize| {
        bytes.get(i..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        })
    };
    if name == "code" {
        // Up to three bytes that are no letter or digit, then a digit, after or before.
        let other = |b: u8| !b.is_ascii_lowercase() && !b.is_ascii_digit();
        let after = (0..=3).any(|k| {
            (end..end + k).all(|i| i < bytes.len() && other(bytes[i]))
                && at(end + k).is_ascii_digit()
        });
        let before = (0..=3).any(|k| {
            start > k
                && (start - k..start).all(|i| other(bytes[i]))
                && bytes[start - k - 1].is_ascii_digit()
        });
        // An age suffix after the amount ("usd 16 years old"): the age alternative's.
        let age = at(end + usize::from(is_space(at(end)))) == b'y';
        return after || before || age;
    }
    match name {
        "sign" => {
            // The first digit after the sign and its `\s?`.
            let digit = start + 1 + usize::from(is_space(at(start + 1)));
            // After another sign, the sign is decoration ("$$$ 702 555 0143").
            let decorated = start > 0 && is_sign(at(start - 1));
            return whole_us_phone(bytes, digit, decorated);
        }
        "keyword" | "slang" => return phone_after(bytes, end),
        "unit" => return phone_before(bytes, start),
        _ => {}
    }
    let separated = |b: u8| is_space(b) || matches!(b, b'.' | b'/' | b')' | b'-');
    if start >= 2 && separated(at(start - 1)) && at(start - 2).is_ascii_digit() {
        // By the hour, unless a whole group of four or more digits stands before an amount of
        // fewer: a phone's last group, then a price ("702-555-0143 150 per hour").
        let before = bytes[..start - 1]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if name != "hourly" || before < 4 || digits_from(start) >= 4 {
            return true;
        }
    }
    if name != "ats" {
        return false;
    }
    // The match's only sign.
    let Some(sign) = (start..end).find(|&i| is_sign(at(i))) else {
        return false;
    };
    let mut next = sign + 1;
    next += usize::from(is_space(at(next)));
    let amount = digits_from(next);
    if !matches!(at(next), b'1'..=b'9') || amount < 2 {
        return false;
    }
    let mut after = next + amount;
    after += usize::from(is_space(at(after)));
    let minutes = at(sign) == EURO_SIGN
        && bytes
            .get(after..)
            .is_some_and(|rest| rest.starts_with(b"min"));
    let euros = at(sign) == EURO_SIGN && at(after) == EURO_SIGN;
    !minutes && !euros
}

/// A separator between the groups of a phone number: `[\s./)-]`.
fn phone_separator(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b'.' | b'/' | b')' | b'-'
    )
}

/// The digit run of `bytes` that starts at `i` (empty if none).
fn run_from(bytes: &[u8], i: usize) -> &[u8] {
    let rest = bytes.get(i..).unwrap_or_default();
    &rest[..rest.iter().take_while(|b| b.is_ascii_digit()).count()]
}

/// Whether one or two separators and then a digit come at `i`.
fn separators_then_digit(bytes: &[u8], i: usize) -> bool {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    phone_separator(at(i))
        && (at(i + 1).is_ascii_digit()
            || (phone_separator(at(i + 1)) && at(i + 2).is_ascii_digit()))
}

/// The look-ahead of the keyword-first amounts, at the end `end` of the match: its amount is
/// the first group of a US phone when it has exactly three digits and
/// - a currency sign comes right before it, and a whole phone starts with it
///   ([`whole_us_phone`], as for a sign-first price: "hh $702-555-0143");
/// - or none does, and one separator then a digit run follow it that is the rest of the
///   number: three digits then one or two separators and a digit ("qv 702 555 0143",
///   "roses 702-555-0143"), unless a whole phone starts after the amount ("qv 150 702 555
///   0143": a price, then a phone), or four or seven digits that one separator and a digit do
///   not follow ("qv 555 0143", "ss 702 5550143");
/// - or the rest follows partly in words (`spelled_rest_of_phone`: "qv 702 five five five 0143").
///
/// Ranges, second prices, measurements, cards and amounts glued to a whole phone are none
/// ("qv 100-150", "qv 100 hh 150", "qv 100 34-24-36", "qv 150 4111 1111 1111 1111",
/// "hh 63 232.555.0148", "ovn:$300 8448").
fn phone_after(bytes: &[u8], end: usize) -> bool {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let amount = bytes[..end]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if amount != 3 {
        return false;
    }
    let sign = |b: u8| matches!(b, b'$' | EURO_SIGN | POUND_SIGN);
    if sign(at(end - 4)) {
        return whole_us_phone(bytes, end - 3, end >= 5 && sign(at(end - 5)));
    }
    if super::spelled_rest_of_phone(bytes, end) {
        return true;
    }
    if !phone_separator(at(end)) {
        return false;
    }
    let rest = run_from(bytes, end + 1).len();
    let after = end + 1 + rest;
    match rest {
        3 => separators_then_digit(bytes, after) && !whole_us_phone(bytes, end + 1, true),
        4 | 7 => !(phone_separator(at(after)) && at(after + 1).is_ascii_digit()),
        _ => false,
    }
}

/// Whether the digits from `i` are a whole US phone number: one run of ten digits (eleven
/// starting with 1), or runs of three, three and four with `-` or `.` after the first and one
/// or two separators after the second; when `spaced`, also with any separator after the
/// first, and a run of three, one separator and a run of seven. No separator and digit may
/// follow, and the national number's area code and exchange start with 2–9.
fn whole_us_phone(bytes: &[u8], i: usize, spaced: bool) -> bool {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let first = run_from(bytes, i);
    let first_join = if spaced {
        phone_separator(at(i + 3))
    } else {
        matches!(at(i + 3), b'-' | b'.')
    };
    let digits: Vec<u8> = if first.len() == 10 || (first.len() == 11 && first[0] == b'1') {
        first.to_vec()
    } else if first.len() == 3 && first_join {
        let second = run_from(bytes, i + 4);
        let after = i + 4 + second.len();
        let skip = usize::from(phone_separator(at(after + 1)));
        let last = run_from(bytes, after + 1 + skip);
        let (digits, end) = if spaced && second.len() == 7 {
            ([first, second].concat(), after)
        } else if second.len() == 3 && phone_separator(at(after)) && last.len() == 4 {
            ([first, second, last].concat(), after + 1 + skip + 4)
        } else {
            return false;
        };
        // A further group after it: no whole phone.
        if phone_separator(at(end)) && at(end + 1).is_ascii_digit() {
            return false;
        }
        digits
    } else {
        return false;
    };
    // The national number's area code and exchange start with 2–9.
    let national = digits
        .strip_prefix(b"1")
        .filter(|_| digits.len() == 11)
        .unwrap_or(&digits);
    national[0] >= b'2' && national[3] >= b'2'
}

/// The look-behind of an amount before its unit, at the amount's start `start`: it is the last
/// group of a US phone when it is a run of exactly four digits, and one separator, a run of
/// exactly three digits, and one or two separators and a digit precede it ("702 555 1143 hh",
/// "(702) 555-1143 qv", "702.555.1200 qv"). Ranges and measurements are none ("100-150 hh",
/// "100/150 qv", "34-24-36 150 hh").
fn phone_before(bytes: &[u8], start: usize) -> bool {
    if run_from(bytes, start).len() != 4 || start < 2 || !phone_separator(bytes[start - 1]) {
        return false;
    }
    let group = bytes[..start - 1]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if group != 3 {
        return false;
    }
    // The group starts at `g`; before it, one or two separators and a digit.
    let g = start - 1 - group;
    let before = |k: usize| g.checked_sub(k).map_or(0, |i| bytes[i]);
    phone_separator(before(1))
        && (before(2).is_ascii_digit()
            || (phone_separator(before(2)) && before(3).is_ascii_digit()))
}

/// The former production strip pass, verbatim but for names, the grouped-number filter, the
/// look-ahead and the currencies: the regex and its classifier.
pub(super) fn strip_with_regex(folded: &Folded, price_range: (u32, u32)) -> Stripped {
    let mut out = Stripped::default();
    let bytes = &folded.bytes;
    if !bytes.iter().any(u8::is_ascii_digit) {
        return out;
    }
    for (start, end) in trap_matches(bytes) {
        let slice = &bytes[start..end];
        if (is_card_shaped(slice) && !luhn_valid(slice)) || is_grouped(bytes, start, end) {
            continue;
        }
        out.mask.push((start, end));
        classify_reference(folded, start, end, price_range, &mut out);
    }
    out
}

/// Whether the match `start..end` of `bytes` is a grouped number, consumed but never masked: a
/// pair chain, or a 4-4-4 grouping that no fourth group of exactly four digits adjoins.
fn is_grouped(bytes: &[u8], start: usize, end: usize) -> bool {
    let s = &bytes[start..end];
    let triple = s.len() == 14
        && s.iter().enumerate().all(|(k, &b)| {
            if k % 5 == 4 {
                b == b' ' || b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    // Bytes around the match, a NUL standing for "none" (it is no digit and no separator).
    let at = |i: Option<usize>| i.and_then(|i| bytes.get(i)).copied().unwrap_or(0);
    let group_of_four = |first: Option<usize>| {
        (0..4).all(|k| at(first.map(|f| f + k)).is_ascii_digit())
            && !at(first.and_then(|f| f.checked_sub(1))).is_ascii_digit()
            && !at(first.map(|f| f + 4)).is_ascii_digit()
    };
    let after = matches!(at(Some(end)), b' ' | b'-') && group_of_four(Some(end + 1));
    let before =
        matches!(at(start.checked_sub(1)), b' ' | b'-') && group_of_four(start.checked_sub(5));
    (triple && !after && !before) || is_pair_chain(s)
}

/// Whether a match is the pair chain's: four or more digit runs joined by one of `/`, `.` or
/// `-`, the first of one or two digits and the others of two, and nothing else. No other
/// alternative's match has this shape (dates and measurements have three groups; the others a
/// letter, a sign, a space or a longer run).
fn is_pair_chain(s: &[u8]) -> bool {
    let Some(&separator) = s.iter().find(|b| !b.is_ascii_digit()) else {
        return false;
    };
    let mut groups = 0;
    for group in s.split(|&b| b == separator && matches!(b, b'/' | b'.' | b'-')) {
        let len_ok = group.len() == 2 || (groups == 0 && group.len() == 1);
        if !len_ok || !group.iter().all(u8::is_ascii_digit) {
            return false;
        }
        groups += 1;
    }
    groups >= 4
}

/// Reads a price or an age out of one stripped match.
fn classify_reference(
    folded: &Folded,
    a: usize,
    b: usize,
    price_range: (u32, u32),
    out: &mut Stripped,
) {
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
    // The currency of the first sign in the match, if any.
    let sign = s.iter().find_map(|&c| match c {
        b'$' => Some("USD"),
        EURO_SIGN => Some("EUR"),
        POUND_SIGN => Some("GBP"),
        _ => None,
    });
    let has_sign = sign.is_some();
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
    let span_start = a + s.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let span = folded.span(span_start, b);
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
    // "per" before a unit reads as the unit: "$80 per hour".
    let letters = match letters.strip_prefix("per") {
        Some(unit) if !unit.is_empty() => unit,
        _ => letters.as_str(),
    };
    let (unit, currency) = match letters {
        "hh" | "hhr" | "half" => (Some("hh"), None),
        "h" | "hr" | "hrs" | "hour" | "hourly" | "anhour" | "ahour" | "anhr" | "ahr" => {
            (Some("h"), None)
        }
        "hours" | "min" | "mins" | "minutes" if digits_first && !has_sign => return,
        "hours" => (Some("h"), None),
        "qv" | "qk" | "qq" => (Some("qv"), None),
        "ss" => (Some("ss"), None),
        "overnight" | "ovn" => (Some("overnight"), None),
        "rose" | "roses" | "usd" | "dollar" | "dollars" | "bucks" => (None, Some("USD")),
        "eur" | "euro" | "euros" => (None, Some("EUR")),
        "gbp" | "quid" => (None, Some("GBP")),
        "donation" | "donations" => (None, None),
        "" | "per" | "min" | "mins" | "minutes" if has_sign => (None, None),
        _ => return,
    };
    // The word after the match, by a regex: what it says, where it ends.
    let (unit, currency, end) = match word_after_reference(&folded.bytes[b..]) {
        Some((None, Some(code), len)) if !has_sign => (unit, Some(code), b + len),
        Some((Some(word), None, len)) if unit.is_none() => (Some(word), currency, b + len),
        _ => (unit, currency, b),
    };
    let span = folded.span(span_start, end);
    let currency = sign.or(currency);
    let Some(amount) = price_amount(&folded.bytes, a, b) else {
        return;
    };
    if (price_range.0..=price_range.1).contains(&amount) {
        out.prices.push(PriceHit {
            raw: String::new(),
            span,
            amount,
            currency,
            unit,
        });
    }
}

/// The word after a price's match at the start of `rest` as the classifier reads it: one or two
/// spaces, `per` and one or two spaces before a unit, the word, and neither a digit nor a
/// currency sign after it and up to two spaces; its (unit, currency) and its end in `rest`.
fn word_after_reference(
    rest: &[u8],
) -> Option<(Option<&'static str>, Option<&'static str>, usize)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?-u)^ {1,2}(per {1,2})?([a-z]+)( {0,2})([0-9$\x1E\x1F])?")
            .expect("word-after pattern")
    });
    let c = re.captures(rest)?;
    if c.get(4).is_some() {
        return None;
    }
    let per = c.get(1).is_some();
    let word = c.get(2)?;
    let said = match word.as_bytes() {
        b"hh" | b"hhr" | b"half" => (Some("hh"), None),
        b"h" | b"hr" | b"hour" | b"hourly" => (Some("h"), None),
        b"qv" | b"qk" | b"qq" => (Some("qv"), None),
        b"ss" => (Some("ss"), None),
        b"overnight" | b"ovn" => (Some("overnight"), None),
        b"usd" | b"dollar" | b"dollars" | b"bucks" | b"rose" | b"roses" if !per => {
            (None, Some("USD"))
        }
        b"eur" | b"euro" | b"euros" if !per => (None, Some("EUR")),
        b"gbp" | b"quid" if !per => (None, Some("GBP")),
        _ => return None,
    };
    Some((said.0, said.1, word.end()))
}

/// The first run of digits (commas inside skipped), saturating: an age.
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

/// The price amount of the first number of the match `a..b` of `bytes`, saturating: its digits
/// with the thousands groupings (exactly three digits after each `.` or `,`, after a first
/// group of at most three) and without cents (two digits after the last `.` or `,`), which
/// are dropped. None for any other shape ("1,5", "1500,000"), for a number that goes on past
/// the match (the match read only part of it) and for one that continues a number before it
/// across `.` or `,` (the cents or a group of that one: "0,50 €").
fn price_amount(bytes: &[u8], a: usize, b: usize) -> Option<u32> {
    let start = a + bytes[a..b].iter().position(u8::is_ascii_digit)?;
    if start >= 2 && matches!(bytes[start - 1], b'.' | b',') && bytes[start - 2].is_ascii_digit() {
        return None;
    }
    // The whole number in the text: digits, and single separators between digits.
    let mut end = start;
    while end < bytes.len() {
        let digit_next = bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
        if bytes[end].is_ascii_digit() || (matches!(bytes[end], b'.' | b',') && digit_next) {
            end += 1;
        } else {
            break;
        }
    }
    if end > b {
        return None;
    }
    let groups: Vec<&[u8]> = bytes[start..end]
        .split(|&c| matches!(c, b'.' | b','))
        .collect();
    let whole = match groups.split_last() {
        Some((last, whole)) if !whole.is_empty() && last.len() == 2 => whole,
        _ => &groups[..],
    };
    if let [first, rest @ ..] = whole {
        if !rest.is_empty() && (first.len() > 3 || rest.iter().any(|g| g.len() != 3)) {
            return None;
        }
    }
    let mut n: u32 = 0;
    for &c in whole.concat().iter() {
        n = n.saturating_mul(10).saturating_add(u32::from(c - b'0'));
    }
    Some(n)
}

/// What the regex yields (with the look-ahead): every match, Luhn-failing cards included.
fn regex_traps(bytes: &[u8]) -> Vec<(usize, usize)> {
    trap_matches(bytes)
}

fn scanner_traps(bytes: &[u8]) -> Vec<(usize, usize)> {
    Scanner::new(bytes).map(|t| (t.start, t.end)).collect()
}

/// The scanner's families are an optimisation: a match not flagged as a card must never be one
/// the Luhn filter would drop (a pair chain with 13 or more digits joined by `-` may look like
/// one, but is never masked anyway) ...
fn card_family_covers_card_shapes(bytes: &[u8]) -> bool {
    Scanner::new(bytes).all(|t| {
        let s = &bytes[t.start..t.end];
        matches!(t.family, Family::Card | Family::Grouped) || !is_card_shaped(s) || luhn_valid(s)
    })
}

/// ... and the scanner flags a match as grouped exactly when the oracle's filter finds it so.
fn grouped_family_is_grouped(bytes: &[u8]) -> bool {
    Scanner::new(bytes).all(|t| (t.family == Family::Grouped) == is_grouped(bytes, t.start, t.end))
}

/// ... and a match flagged plain must never read as a price or an age, whatever the range.
fn plain_family_never_classifies(folded: &Folded) -> bool {
    Scanner::new(&folded.bytes)
        .filter(|t| t.family != Family::Valued)
        .all(|t| {
            let mut out = Stripped::default();
            classify_reference(folded, t.start, t.end, (0, u32::MAX), &mut out);
            out.prices.is_empty() && out.ages.is_empty()
        })
}

/// Asserts that the scanner path and the regex path agree on `text`, through folding.
fn assert_same_on_text(text: &str) {
    let folded = Folded::new(text);
    let new = strip(&folded, (20, 5000));
    let old = strip_with_regex(&folded, (20, 5000));
    let shown = String::from_utf8_lossy(&folded.bytes);
    assert_eq!(new.mask, old.mask, "mask of {shown:?}");
    assert_eq!(new.prices, old.prices, "prices of {shown:?}");
    assert_eq!(new.ages, old.ages, "ages of {shown:?}");
    assert_eq!(
        scanner_traps(&folded.bytes),
        regex_traps(&folded.bytes),
        "matches of {shown:?}"
    );
    assert!(
        plain_family_never_classifies(&folded),
        "families of {shown:?}"
    );
}

/// Asserts that the scanner yields the regex's matches on raw bytes (any case, any byte).
fn assert_same_on_bytes(bytes: &[u8]) {
    let shown = String::from_utf8_lossy(bytes);
    assert_eq!(
        scanner_traps(bytes),
        regex_traps(bytes),
        "matches of {shown:?}"
    );
    assert!(
        card_family_covers_card_shapes(bytes),
        "card family of {shown:?}"
    );
    assert!(
        grouped_family_is_grouped(bytes),
        "grouped family of {shown:?}"
    );
}

/// Every keyword of the pattern, their near misses, and the words around them in ads.
const WORDS: &[&str] = &[
    "hhr",
    "hh",
    "hrs",
    "hr",
    "hours",
    "hour",
    "h",
    "qv",
    "qk",
    "qq",
    "ss",
    "mins",
    "min",
    "minutes",
    "minute",
    "overnight",
    "ovn",
    "roses",
    "rose",
    "usd",
    "dollars",
    "dollar",
    "bucks",
    "per",
    "half",
    "donations",
    "donation",
    "i'm",
    "im",
    "i am",
    "i",
    "age",
    "aged",
    "yo",
    "y/o",
    "y.o.",
    "y.o",
    "yrs",
    "yr",
    "years",
    "year",
    "old",
    "lbs",
    "lb",
    "kgs",
    "kg",
    "cm",
    "mm",
    "inches",
    "in",
    "ft",
    "feet",
    "stars",
    "star",
    "id",
    "ref",
    "order",
    "case",
    "zip",
    "room",
    "rm",
    "apt",
    "suite",
    "ste",
    "unit",
    "invoice",
    "ticket",
    "listing",
    "post",
    "no.",
    "no",
    "am",
    "pm",
    "a.m.",
    "p.m.",
    "a",
    "p",
    "m",
    "o",
    "y",
    "s",
    "d",
    "hrx",
    "ages",
    "ordered",
    "idx",
    "idno",
    "roomno.",
    "steno",
    "invoiceno",
    "pers",
    "inch",
    "feets",
    "olds",
    "yoold",
    "24/7",
    "18+",
    "$",
    "dd",
    "€",
    "£",
    "eur",
    "euro",
    "euros",
    "eu",
    "euroo",
    "gbp",
    "gb",
    "quid",
    "quids",
    "pounds",
    "pound",
    "mi",
    "hourly",
    "hourlyx",
    "an",
    "an hour",
    "a hr",
    "per hr",
    "per hour",
    "usd:",
    "gbp",
    "eurx",
];

const SEPARATORS: &[&str] = &[
    " ", " ", " ", "\t", "\n", "\x0b", "\x0c", "\r", "-", "/", ".", ":", "=", "'", "\"", "''", "$",
    "#", "%", "+", ",", "_", "  ", " - ", "~", "(", ")", "€", "£", " €", "$ ", "€/", ".", ",",
];

/// Digit runs that hit the narrow shapes (months, days, centuries, hours, Luhn-valid cards).
const NUMBERS: &[&str] = &[
    "0",
    "00",
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
    "01",
    "05",
    "09",
    "10",
    "11",
    "12",
    "13",
    "15",
    "18",
    "19",
    "20",
    "21",
    "23",
    "24",
    "25",
    "29",
    "30",
    "31",
    "32",
    "35",
    "59",
    "60",
    "99",
    "100",
    "120",
    "150",
    "999",
    "1000",
    "2023",
    "1999",
    "2024",
    "0000",
    "4111",
    "1111",
    "20231225",
    "12252023",
    "19990231",
    "4111111111111111",
    "378282246310005",
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "4111 1111 1111 1111 1",
    "4111 1111 1111 1111 111",
    "3782 822463 10005",
    "1234 5678 9012",
    "1234 5678 9012 3456",
    "1234 5678 9012 347",
    "4222 2222 2222 2",
    "4111 1111 1111 1111 110",
    "0151 2345 6789",
    "06.12.34.56.78",
    "06-12-34-56-78",
    "01/02/03/04",
    "4805550142",
    "555",
    "1.500",
    "1,500",
    "120,50",
    "120.50",
    "1.500,00",
    "1,500.00",
    "12.500",
    "1,50",
    "1.5001",
    "1.500.000",
    "0,50",
    "1500,00",
    "702.555.0143",
    "702 555 0143",
    "702-555-0143",
    "(702) 555-1143",
    "555 0143",
    "702 5550143",
    "7025550143",
    "17025550143",
    "150 555 0143",
    "702 555 014",
    "702.555.01433",
    "100-150",
    "100/150",
    "12) 3",
    "1 2 3",
];

/// Non-ASCII forms the fold turns into ASCII units (fullwidth digits, curly quotes, spaces).
const FOLDED_FORMS: &[&str] = &[
    "４", "’", "”", "\u{a0}", "🔟", "é", "ﬁ", "❶", "⁄", "€", "£", "￡", "＄", "¥",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[0-9]{1,22}",
        4 => prop::sample::select(NUMBERS).prop_map(str::to_owned),
        5 => prop::sample::select(WORDS).prop_map(str::to_owned),
        6 => prop::sample::select(SEPARATORS).prop_map(str::to_owned),
        1 => "[a-z_]{1,3}",
        1 => prop::sample::select(FOLDED_FORMS).prop_map(str::to_owned),
    ]
}

/// Separator runs that sit between a keyword and its number in the pattern, and near misses.
const LEAD_SEPARATORS: &[&str] = &[
    "", "", " ", " ", ":", " : ", ": ", " :", "  ", "   ", "=", " = ", "-", " - ", "$", " $",
    ": $", " = $", "#", " # ", "# ", " no. ", "no", " no ", "no.", ".", "\t", "\x0b", " / ", "/",
    "'", ";", "€", " €", ": €", "£", " £", "= £", " = €",
];

/// Separator runs that sit between a number and its unit or next group, and near misses.
const TRAIL_SEPARATORS: &[&str] = &[
    "",
    "",
    " ",
    " ",
    "/",
    " / ",
    "/ ",
    ".",
    "'",
    " '",
    "\"",
    " \"",
    "''",
    " ''",
    "-",
    " - ",
    "+",
    " +",
    "%",
    " %",
    ":",
    ".5",
    ".50",
    ".505",
    ",000",
    ",",
    "  ",
    "\t",
    "\n",
    "\x0b",
    " per ",
    "per ",
    " per  ",
    "_",
    "€",
    " €",
    "£",
    " £",
    "$",
    " $",
    "€/",
    "€ ",
    "€ per ",
    "$ /",
    "€,",
    ",50",
    ".500",
    ",500",
    ",5",
    ".50",
    " an ",
    " a ",
    "an ",
    " per hour",
    " an hour",
    " hourly",
    ",500.00",
    ".500,00 ",
    ",50 €",
];

/// A keyword, a number and a unit with separator runs between them: the shape of most
/// alternatives, far likelier than from independent tokens ("overnight : $120", "21 y.o.").
fn phrase() -> impl Strategy<Value = String> {
    let word = || prop::sample::select(WORDS).prop_map(str::to_owned);
    let number = prop_oneof![
        "[0-9]{1,5}",
        prop::sample::select(NUMBERS).prop_map(str::to_owned)
    ];
    let lead = prop_oneof![
        3 => prop::sample::select(LEAD_SEPARATORS).prop_map(str::to_owned),
        1 => "[ :=#$\\-\t\x0b.]{0,4}",
    ];
    let trail = prop_oneof![
        3 => prop::sample::select(TRAIL_SEPARATORS).prop_map(str::to_owned),
        1 => "[ /.'\"\\-+%:]{0,3}",
    ];
    (
        prop_oneof![1 => Just(String::new()), 2 => word()],
        lead,
        number,
        trail,
        prop_oneof![1 => Just(String::new()), 2 => word()],
    )
        .prop_map(|(a, b, c, d, e)| [a, b, c, d, e].concat())
}

/// What joins the numbers of dates, times, measurements, heights and card groups, and near
/// misses (cup sizes, some of which read as units or ages, a fourth letter, feet and inches).
const JOINERS: &[&str] = &[
    "", " ", "-", "/", ".", ":", "'", "''", "\"", " - ", " / ", " ' ", "d", "dd-", "ddd-", "dddd-",
    "c/", "dd -", "hh-", "h-", "hr/", "qv-", "ss -", "yo-", "yr-", "im/", "ft", "feet", " ft ",
    "feet ", "in", " in", "inches", " inches", "am", " pm", "a.m.", " ", "\t", "\x0b", ")", ") ",
    " qv ", " hh ", "roses ", " hh", "/qv",
];

/// Numbers joined by separators: "36dd-24-36", "5 ft 11 in", "4111 1111 1111 1111 12".
fn number_chain() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        "[0-9]{1,6}",
        prop::sample::select(NUMBERS).prop_map(str::to_owned)
    ];
    let joiner = prop::sample::select(JOINERS).prop_map(str::to_owned);
    prop::collection::vec((number, joiner), 1..6)
        .prop_map(|parts| parts.into_iter().flat_map(|(n, j)| [n, j]).collect())
}

/// Groups of one to three digits joined by `/`, `.` or `-` (now and then something else), and
/// sometimes a letter or a separator after them: numbers written in pairs ("06.12.34.56.78")
/// and the dates, measurements and near misses among and around them.
fn pair_chain() -> impl Strategy<Value = String> {
    let group = prop_oneof![
        4 => "[0-9]{2}",
        1 => "[0-9]",
        1 => "[0-9]{3,4}",
        1 => prop::sample::select(&["01", "12", "13", "25", "31", "32", "34", "2026"][..])
            .prop_map(str::to_owned),
    ];
    // Mostly the chain's own separator, now and then another or something else.
    let joiner = prop_oneof![
        12 => Just(None),
        1 => prop::sample::select(&["/", ".", "-", " ", " - ", ":", "dd-", ""][..]).prop_map(Some),
    ];
    let separator = prop::sample::select(&["/", ".", "-"][..]);
    let end = prop::sample::select(&["", "", "", ".", "-", "x", "_", "kg", " yo", "%", "+"][..]);
    (
        separator,
        prop::collection::vec((group, joiner), 1..8),
        "[0-9]{1,2}",
        end,
    )
        .prop_map(|(separator, parts, last, end)| {
            let mut chain = String::new();
            for (group, joiner) in parts {
                chain.push_str(&group);
                chain.push_str(joiner.unwrap_or(separator));
            }
            chain.push_str(&last);
            chain.push_str(end);
            chain
        })
}

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        2 => phrase(),
        1 => number_chain(),
        1 => pair_chain(),
        3 => token()
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// Raw bytes the fold never produces (capitals, non-ASCII, NUL) mixed into the same tokens,
/// to check the scanner's classes byte by byte.
fn raw_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        8 => token().prop_map(String::into_bytes),
        1 => "[A-Z]{1,3}".prop_map(String::into_bytes),
        1 => prop::sample::select(vec![0u8, 0x80, 0xA0, 0xFF, b'|', 0x7F, EURO_SIGN, POUND_SIGN])
            .prop_map(|b| vec![b]),
    ];
    prop::collection::vec(piece, 0..32).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn scanner_equals_regex(text in text()) {
        assert_same_on_text(&text);
    }

    #[test]
    fn scanner_equals_regex_on_raw_bytes(bytes in raw_bytes()) {
        assert_same_on_bytes(&bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(50_000))]

    /// The long run: `cargo test -p vigil-ident --release -- --ignored strip::oracle`.
    #[test]
    #[ignore = "slow: 50,000 generated texts per property"]
    fn scanner_equals_regex_many(text in text()) {
        assert_same_on_text(&text);
    }

    #[test]
    #[ignore = "slow: 50,000 generated texts per property"]
    fn scanner_equals_regex_on_raw_bytes_many(bytes in raw_bytes()) {
        assert_same_on_bytes(&bytes);
    }
}

/// Every string of up to five symbols from an alphabet dense in the pattern's pieces.
#[test]
#[ignore = "slow: about two million strings"]
fn scanner_equals_regex_exhaustively_on_short_strings() {
    const ALPHABET: &[u8] = b"120 -/:.,amy$#%+o'\x1e";
    let mut text = Vec::new();
    fn extend(text: &mut Vec<u8>, depth: usize) {
        assert_same_on_bytes(text);
        if depth == 0 {
            return;
        }
        for &b in ALPHABET {
            text.push(b);
            extend(text, depth - 1);
            text.pop();
        }
    }
    extend(&mut text, 5);
}

#[test]
fn the_pattern_compiles() {
    for mask in 0..1 << GUARDED.len() {
        assert!(regex_without(mask).is_some(), "{mask}");
    }
}

/// Corners of the backtracking order, each checked against the regex.
#[test]
fn scanner_equals_regex_on_corners() {
    let corners = [
        "",
        "1",
        "a1",
        "$702 555 0143",
        "$702-555-0143 call",
        "$$$ 702 555 0143",
        "$ 702.555.0143",
        "hh: $702 555 0143",
        "hh $702.555.0143",
        "hh $150 702-555-0143",
        "$7025550143",
        "$17025550143",
        "$27025550143",
        "$702 5550143",
        "$702 555  0143",
        "$702 555 01433",
        "$702 555 0143 2",
        "$702 5550143-1",
        "$7025550143 2",
        "$$ 702 555 0143",
        "$$702 5550143",
        "\x1f$702 555 0143",
        "$702/555/0143",
        "$702 555-0143",
        "$702.555 0143",
        "hh $$702 555 0143",
        "hh: $702.555.0143 2",
        "$150 555 0143",
        "$702 155 0143",
        "\x1e702 555 0143",
        "\x1f 702-555-0143",
        "qv 150 702 555 0143",
        "qv 702 555 0143",
        "roses 200 702-555-0143",
        "qv 150 702 555 014",
        "0143 150 per hour",
        "0143 1143 an hour",
        "12345 150$",
        "014 150 hourly",
        "0143-150 €",
        "0143 1,500 per hour",
        "12:345%",
        "12:34 pm.",
        "12:34p.m.x",
        "10 a.m.",
        "7pm",
        "13pm",
        "0am",
        "5'6\"",
        "5 ' 11 ''",
        "5'12",
        "5ft6in",
        "5 feet 11 inches",
        "5ft 6 in2",
        "5ft10inches",
        "$100 per hh",
        "$100 per  hh",
        "$1,000.50/hr",
        "$1.234",
        "$ 99 overnight",
        "$100per hh",
        "120 / hh",
        "120roses",
        "1200usd",
        "12000usd",
        "30 min",
        "300 minutes",
        "0 min",
        "qv:120",
        "hh-$150",
        "h 2000",
        "h 20000",
        "overnight = $1000",
        "donations: $200",
        "roses 150",
        "rose 150",
        "i'm 21",
        "i am 19",
        "im21",
        "age:25",
        "aged 30",
        "age 5",
        "21 y.o. ",
        "21 y.o.x",
        "21 y.o.old",
        "21 y.o. old",
        "21yo",
        "21 yrs old",
        "21yrsold",
        "21 years",
        "21 yearsx",
        "21 y/o",
        "hello - 25",
        "hello - 25 \t\n",
        "hello -25 x",
        "\x0b-25",
        "18+",
        "18+\n",
        "21 +x",
        "18+5",
        "18+$100",
        "120lbs",
        "5.5 kg",
        "12.55kg",
        "3 stars",
        "100%",
        "100 %",
        "x100%",
        "24/7",
        "24 / 7x",
        "#123",
        "# 45",
        "id# 1954023",
        "zip 85004",
        "order no. 12",
        "roomno.12",
        "idno5",
        "steno 7",
        "invoice:12a",
        "listing # 7",
        "34-24-36",
        "36dd-24-36",
        "36abcd-24-36",
        "12/25/2023",
        "1/2/23",
        "2023-12-25",
        "2023.1.5x",
        "20231225",
        "12252023",
        "4111 1111 1111 1111",
        "4111 1111 1111 1112",
        "4111-1111-1111-1111-123",
        "4111 1111 1111 1111 1234",
        "4111 1111 1111 11111",
        "1234 5678 9012",
        "1234 5678 9012x",
        "3782 822463 10005",
        "4111111111111111",
        "41111111111111111111",
        "_12",
        "x24/7",
        "hhr120",
        "hh120x",
        "36hh-24-36",
        "21yo-24-36",
        "21+h",
        "18+$",
        "i'm21",
        "am 21",
        "x i am 21",
        "id no5",
        "id.no 5",
        "no 5",
        "qv no 5",
        "overnight:$1500",
        "donations 90",
        "listingno. 7",
        // Letter runs of eight, nine and ten letters before a number, at the start and after
        // other bytes (the eight-letters-at-once look-back).
        "donation 90",
        "xdonations 90",
        "x donations 90",
        "_donations 90",
        "adonation 90",
        "xovernight 90",
        "xxovernight=90",
        "ab overnight: 90",
        "invoiceno5",
        "xinvoiceno 5",
        "x listingno.5",
        "ticketno 5",
        "abcdefgh 5",
        "abcdefghi 5",
        "hhhhhhhhh 20",
        "9abcdefgh 20",
        "Age 21",
        "QV 120",
        "24/7\x0b",
        "5 ft 11 \u{b}inches",
        // Cards of 13 digits and more, and 4-4-4 groupings that are none.
        "0151 2345 6789",
        "0151-2345-6789 ",
        "0151 2345 6789 1",
        "0151 2345 6789 123",
        "0151 2345 6789 1234",
        "0151 2345 6789 12x",
        "1234 5678 9012 3456x",
        "1234 5678 9012 3456 7",
        "1234 5678 9012 3456 7890",
        "1234-5678-9012-",
        "4111 1111 1111 1111cm",
        "im4111 1111 1111 1111",
        "x4111-1111-1111-1111 ",
        "14111 1111 1111 1111",
        "$1234 5678 9012 3456",
        "1234 0151 2345 6789",
        "12345 0151 2345 6789",
        "34-24-36-6",
        "24/7.24/7",
        "34-24-36.17 yo",
        "06.12.34.56-78",
        "06.12-34.56.78.90",
        "06/12.34/56/78/90",
        "6.12.34.56.78",
        "7-34-24-36",
        "1.2.34.56",
        "12.3.45.67",
        "12.34.56.789",
        "4111 1111 1111 1111_",
        "4111 1111 1111 11112",
        "4111 1111 1111 1111 1234x",
        "0151 2345 6789 12345",
        "0151 2345 6789 kg",
        "0151 2345 6789 1234_",
        "4222 2222 2222 2",
        // Numbers written in pairs, their ends, and the dates and measurements beside them.
        "06.12.34.56.78",
        "06-12-34-56-78",
        "06/12/34/56/78",
        "06.12.34.56.78x",
        "06.12.34.56.7x",
        "06.12.34.56x",
        "06.12.34.5x",
        "06.12.34.56.",
        "06.12.34.56_78",
        "06.01.02.03.04",
        "1.2.3.4",
        "1.2.3.456",
        "1.2.3",
        "123.4.5.6.7",
        "12/25/2026-12/31/2026",
        "12/25/26-12/31/26",
        "01-02-03-04-05-06-07-08-09",
        "12-34-56-78-90-12-34",
        "6.12.34.56.78kg",
        "1.2.3.45%",
        "1.2.3.4 yo",
        "34-24-36-12",
        "36dd-24-36-12",
        "5'6-34-24-36",
        "24/7/1/2",
        "$12.34.56.78",
        "#1.2.3.4",
        // Euros and pounds, signs before and after the amount, and the currency words.
        "€120",
        "€ 120",
        "120€",
        "120 €",
        "120  €",
        "€150/hr",
        "€150 / hr",
        "€150 hh",
        "€1,000.50 per hour",
        "£80 hh",
        "£80hh",
        "80£ hh",
        "80 £/hh",
        "80 £ per  hh",
        "100$ qv",
        "100 $",
        "100$$",
        "1000$",
        "10000$",
        "12345€",
        "9€",
        "09€",
        "0120€",
        "x120€",
        "_120€",
        "120€€",
        "€120€",
        "120€ 30min",
        "120€/30min",
        "150 eur",
        "150eur",
        "150 euro",
        "150 euros",
        "150 eurox",
        "150/eur",
        "80 gbp",
        "80 quid",
        "80 quids",
        "120 pounds",
        "120 lbs",
        "qv €120",
        "hh:£80",
        "hh £ 80",
        "donations €200",
        "roses £150",
        "overnight €1000",
        "18+€",
        "21+£",
        "36€-24-36",
        "4111 1111 1111 1111 €",
        "4111111111111111€",
        "€120 0612345678",
        "€ ",
        "€",
        "€€1",
        "1,500€",
        "1.500€",
        "120,50 €",
        // A sign that an amount follows is that amount's.
        "160 $150hh",
        "160 $ 150hh",
        "160$150",
        "100 $\n150",
        "10\n$1500",
        "100 € 150 €",
        "100€ 0612345678",
        "100 $ 0",
        "100$ 09",
        "100 $ x150",
        "100 $  150",
        "12 €1",
        "12345 €150",
        "0120 $150",
        "18 $+5",
        "120€ 30min",
        "120€ 30 minutes",
        "120 € 30\tmin",
        "120€ 300min",
        "120€ 30mi",
        "120€ 30 hh",
        "150€ 1h",
        "150$ 12",
        "150$ 1",
        "150$ 1min",
        "120$ 30min",
        "120£ 30min",
        "555 3347 $",
        "555 3347 $$$",
        "06 12 34 56 78 €",
        "06 12 34 56 78€",
        "5.80€",
        "5-80€",
        "5/80 €",
        "(5)80€",
        "5)80€",
        "5:80€",
        "x 80€",
        "5\t80€",
        "5  80€",
        // Thousands groupings and cents, currency codes first, rates by the hour.
        "120,50 €",
        "120,50€",
        "€120,50",
        "€120,5",
        "1.500€ per night",
        "€1.500",
        "€1.500,00",
        "€1.500.000",
        "€1.5001",
        "1.500 €",
        "1.500,00 €",
        "1,500$",
        "1,500 $",
        "$1,500.00",
        "$1,500,000",
        "1.5001 €",
        "12.5555 €",
        "0,50 €",
        "5,50 €",
        "1500,00 €",
        "1500,000 €",
        "1.500 eur",
        "1,500 usd",
        "12.500 hh",
        "2.5 hrs",
        "2.50 hrs",
        "12.5 hrs",
        "1.500 kg",
        "5.500 lbs",
        "EUR 150",
        "usd 200",
        "gbp:80",
        "eur150",
        "eur 1.500",
        "eur 12.500x",
        "eur 1.500.0001",
        "eur 1.500.000x",
        "eur 150,50",
        "eur 150,505",
        "eur 150,5",
        "usd 702 555 0143",
        "usd 702.555.0143",
        "eur 150 0612345678",
        "eur 150 30min",
        "xeur 150",
        "euro 150",
        "$80 per hour",
        "$80 per hours",
        "$80 per hh",
        "$150 hourly",
        "$150 an hour",
        "$150 a hour",
        "$150 an hr",
        "$150 an  hour",
        "$150 anhour",
        "$150 a hourly",
        "150 an hour",
        "150 a hr",
        "150 per hour",
        "150per hour",
        "150 per hr",
        "150 hourly",
        "150hourly",
        "150 per hours",
        "150 an hourly",
        "1.500 per hour",
        "120,50 an hour",
        "702 555 1143 an hour",
        "702-555-1143 hourly",
        "10 an hour",
        "10 am",
        "100 € 150 €",
        "100 $ 150 $",
        "100 € 150,50 €",
        "100€ 150",
        "8378.72.80 yo",
        "72.80 yo",
        "usd 16 years old",
        "usd 99 yo",
        "usd 99yo",
        "usd 99 x",
        // Keyword prices and unit prices beside a phone's groups, and the ranges that stay.
        "qv 702 555 0143",
        "incall qv\n702-555-0143",
        "hh 702 555 0143 overnight",
        "roses 702 555 0143",
        "donation 702-555-0143",
        "donations: 702.555.0143",
        "702 555 1143 hh",
        "(702) 555-1143 qv",
        "txt 702.555.1200 qv",
        "qv 100 hh 150 call 702 555 0143",
        "100/150 qv",
        "100-150 hh",
        "qv 100-150",
        "hh 150/200",
        "qv 100 150 hh",
        "qv 702 555",
        "qv 70 5",
        "qv 702 5555",
        "qv 702 55550",
        "qv 702 5 5",
        "qv 702 5  5",
        "qv 702 5 -5",
        "qv 702 5 - 5",
        "qv 702 5)x5",
        "qv 702\t5\x0b5",
        "qv $702 555 0143",
        "hh:$702 555 0143",
        "hhr 702.555.0143",
        "overnight 702 555 0143",
        "donations 702 5550143",
        "roses 70 1",
        "ovn 100 200 300",
        "1 2 3 hh",
        "1 2 150 hh",
        "1  2 150 hh",
        "1   2 150 hh",
        "12345 1 150 hh",
        "1 12345 150 hh",
        "1 1234 150 hh",
        "1)) 2 150 hh",
        "1 ) 2-150 hh",
        "702 555 1.500 hh",
        "702 555 1.500,50 eur",
        "702 555 150/hh",
        "702 555 150 / hh",
        "702 555 150 hours",
        "702 555 150 lbs",
        "702-555-150hourly",
        "702 555 150 per hour qv",
        "702 555 99 yo",
        "qv 1234 5678 9012 3456",
        "555 0143 qv 150",
        "qv 100 34-24-36 5'6",
        "donations 120 34-24-36",
        "34-24-36 150 hh",
        "qv 100 345-24-36",
        "1 345 150 hh",
        "1 3456 150 hh",
        "qv 12 1234",
        "qv 12 123 4",
        "hh 63 232.555.0148",
        "ovn:$300 8448",
        "ovn:300 8448",
        "qv 150 4111 1111 1111 1111",
        "donation  200 4111 1111 1111 1111",
        "qv 702 5550143",
        "qv 702 5550143 1",
        "qv 702 55501431",
        "qv 555 0143-1",
        "qv 555 0143-",
        "qv $555 0143",
        "qv\x1e555 0143",
        "702 555 143 hh",
        "702 555 11430 hh",
        "702 5555 1143 hh",
        "702 555 1143/qv",
        "702 555 1143usd",
    ];
    for text in corners {
        assert_same_on_text(text);
        assert_same_on_bytes(text.as_bytes());
    }
}

/// Huge inputs of the shapes that would make a naive scanner quadratic finish, and agree.
#[test]
fn long_runs_stay_linear_and_agree() {
    let shapes: [&[u8]; 23] = [
        b"1",
        b" ",
        b"1 ",
        b"$1",
        b"#",
        b"a",
        b"12:",
        b" -",
        b"1.",
        b"12-",
        b"1234 ",
        b"12 $",
        b"12\x1e1",
        b"1.111",
        b"11,",
        b"usd 1",
        b"1 an ",
        b".111",
        b"eur 1.111",
        b"qv 12 ",
        b"1 12 hh ",
        b"12 hh 1",
        b"roses 1 ",
    ];
    for shape in shapes {
        let mut text = shape.repeat(200_000 / shape.len());
        text.extend_from_slice(b" - 25");
        assert_same_on_bytes(&text);
    }
    let digits = vec![b'7'; 10 << 20];
    assert_eq!(scanner_traps(&digits), []);
    let mut spaces = vec![b' '; 10 << 20];
    spaces.extend_from_slice(b"-25");
    assert_eq!(scanner_traps(&spaces).len(), 1);
}
