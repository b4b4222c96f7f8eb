//! Non-phone numerics (design §4 step 6): one linear-time pass finds card numbers, dates, clock
//! times, measurements, heights, prices, ages, unit-suffixed numbers, percents, `24/7` and
//! `#`/keyword-prefixed IDs in the folded text; they are kept out of phone matching, and prices
//! and ages are reported on the way.
//!
//! The pass was one big regex; `scan` is a hand-written matcher that finds exactly the same
//! matches at a fraction of the cost, and `oracle` (tests only) keeps the regex to prove it.
//!
//! Prices are read in whole units ([`read_amount`]): a thousands grouping with `.` or `,`
//! ("1.500 €", "$1,500") is one amount, cents are dropped ("120,50 €" is 120), and a number of
//! any other shape, one that goes on past its match or one that continues a number before it
//! ("0,50 €") is no price: a wrong amount is worse than none. Ages are read as before.

mod scan;

use scan::Family;

#[cfg(test)]
mod oracle;

use crate::fold::{Folded, EURO_SIGN, POUND_SIGN};
use crate::price_age::{AgeHit, PriceHit};

/// Whether a three-digit amount that ends at `end` (in the folded bytes) and starts with 2–9, as
/// a NANP area code does, is followed by the rest of a US phone written partly in words: one or
/// two separators, then tokens one or two separators apart, each a digit run or one digit
/// written as a word (`five`, `oh`, `cinco`, …), that hold seven to nine digits in all, one of
/// them at least a word ("qv 702 five five five 0143", "roses 702 555 zero one four three";
/// "one hour 702 five five five 0143 2 girls", a stray group after the number, as the digit
/// rules allow). Ten or more are a whole phone after a price ("qv 300, 702 five five five
/// 0143"), as in the digit rules. The keyword look-aheads of the scanner and the oracle read
/// digit shapes; this is the one they share for words (a phone written only in digits keeps
/// their rules). Reads at most 96 bytes.
fn spelled_rest_of_phone(bytes: &[u8], end: usize) -> bool {
    const READ: usize = 96;
    if end < 3 || !matches!(bytes.get(end - 3), Some(b'2'..=b'9')) {
        return false;
    }
    let limit = bytes.len().min(end + READ);
    let separator = |b: u8| {
        matches!(
            b,
            b' ' | b'\t' | b'\n' | b'\r' | b'.' | b',' | b'-' | b'/' | b')'
        )
    };
    let (mut i, mut digits, mut words) = (end, 0, 0);
    while digits < 10 {
        let before = i;
        while i < limit && i - before < 2 && separator(bytes[i]) {
            i += 1;
        }
        let start = i;
        while i < limit && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let token = &bytes[start..i];
        if start == before || token.is_empty() {
            break;
        }
        if token.iter().all(u8::is_ascii_digit) {
            digits += token.len();
        } else if crate::words::is_digit_word(token) {
            digits += 1;
            words += 1;
        } else {
            break;
        }
    }
    (7..10).contains(&digits) && words > 0
}

/// What the strip pass found: folded-unit ranges to keep out of phones, plus prices and ages.
#[derive(Debug, Default)]
pub(crate) struct Stripped {
    /// Sorted, non-overlapping ranges of folded units.
    pub(crate) mask: Vec<(usize, usize)>,
    pub(crate) prices: Vec<PriceHit>,
    pub(crate) ages: Vec<AgeHit>,
}

/// Runs the strip pass over the folded text; `price_range` bounds reported prices.
#[cfg(test)]
pub(crate) fn strip(folded: &Folded, price_range: (u32, u32)) -> Stripped {
    let mut out = Stripped::default();
    strip_into(folded, price_range, &mut out);
    out
}

/// [`strip`] into `out`, replacing what it held: its vectors, reused from text to text, need no
/// allocation once grown.
#[inline]
pub(crate) fn strip_into(folded: &Folded, price_range: (u32, u32), out: &mut Stripped) {
    out.mask.clear();
    out.prices.clear();
    out.ages.clear();
    for trap in scan::Scanner::new(&folded.bytes) {
        match trap.family {
            Family::Card => {
                // A card-shaped match that fails Luhn is still consumed (the search resumes
                // after it); it is just not masked. No other masked alternative yields a card
                // shape (each has a letter, a sign or at most nine digits; the oracle tests check
                // it); a pair chain may, but is never masked.
                let slice = &folded.bytes[trap.start..trap.end];
                if is_card_shaped(slice) && !luhn_valid(slice) {
                    continue;
                }
                push_small(&mut out.mask, (trap.start, trap.end));
            }
            // A number grouped as phones are in Europe: consumed so that no trap is read out of
            // its groups, and left to phone matching.
            Family::Grouped => {}
            Family::Plain => push_small(&mut out.mask, (trap.start, trap.end)),
            Family::Valued => {
                push_small(&mut out.mask, (trap.start, trap.end));
                classify(folded, trap.start, trap.end, price_range, out);
            }
        }
    }
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

/// Pushes onto one of the result vectors, which mostly stay empty or hold one or two items:
/// their first allocation is sized for a few, without the general growth path.
#[inline(always)]
fn push_small<T>(items: &mut Vec<T>, item: T) {
    if items.capacity() == 0 {
        *items = Vec::with_capacity(4);
    }
    items.push(item);
}

/// Reads a price or an age out of one stripped match, from its letters (the keyword or unit),
/// its first number, and its currency sign (`$`, `€` or `£`), if any.
#[inline]
fn classify(folded: &Folded, a: usize, b: usize, price_range: (u32, u32), out: &mut Stripped) {
    let s = &folded.bytes[a..b];
    // The match is read in three stretches: up to its first digit, the first number (digits,
    // with commas inside skipped: an age's), and the rest; only letters and signs count outside
    // the number. A price's amount is read apart, by [`read_amount`].
    let mut marks = Marks::default();
    let Some(first_digit) = s.iter().position(u8::is_ascii_digit) else {
        return;
    };
    marks.read(&s[..first_digit]);
    let digits_first = marks.letter_count == 0;
    // The first number, saturating.
    let mut amount = 0u32;
    let mut number_end = s.len();
    for (k, &c) in s.iter().enumerate().skip(first_digit) {
        match c {
            b'0'..=b'9' => {
                amount = amount
                    .saturating_mul(10)
                    .saturating_add(u32::from(c - b'0'));
            }
            b',' => {}
            _ => {
                number_end = k;
                break;
            }
        }
    }
    marks.read(&s[number_end..]);
    let Marks {
        letters: buffer,
        letter_count,
        sign,
        has_dash,
    } = marks;
    let has_sign = sign.is_some();
    let Some(letters) = buffer.get(..letter_count) else {
        return;
    };
    let title_age =
        s.first().is_some_and(u8::is_ascii_whitespace) && has_dash && letters.is_empty();
    let is_age_word = matches!(
        letters,
        b"im"
            | b"iam"
            | b"age"
            | b"aged"
            | b"yo"
            | b"yoold"
            | b"yr"
            | b"yrs"
            | b"year"
            | b"years"
            | b"yrold"
            | b"yrsold"
            | b"yearold"
            | b"yearsold"
    );
    // Spans start at the first digit for age suffix forms, so "i'm 21" spans the whole phrase.
    let span = |end: usize| {
        folded.span(
            a + s.iter().take_while(|c| c.is_ascii_whitespace()).count(),
            end,
        )
    };
    if is_age_word || title_age {
        if (10..=99).contains(&amount) {
            let hit = AgeHit {
                raw: String::new(),
                span: span(b),
                age: amount as u8,
                minor: amount < 18,
            };
            push_small(&mut out.ages, hit);
        }
        return;
    }
    // "per" before a unit reads as the unit: "$80 per hour".
    let letters = match letters {
        [b'p', b'e', b'r', unit @ ..] if !unit.is_empty() => unit,
        _ => letters,
    };
    let (mut unit, mut currency) = match letters {
        b"hours" | b"min" | b"mins" | b"minutes" if digits_first && !has_sign => return,
        b"hrs" | b"hours" | b"anhour" | b"ahour" | b"anhr" | b"ahr" => (Some("h"), None),
        b"donation" | b"donations" => (None, None),
        b"" | b"per" | b"min" | b"mins" | b"minutes" if has_sign => (None, None),
        _ => match unit_or_currency(letters) {
            Some(Says::Unit(word)) => (Some(word), None),
            Some(Says::Currency(code)) => (None, Some(code)),
            None => return,
        },
    };
    // The word right after the match may say what it does not.
    let mut end = b;
    match word_after(&folded.bytes, b) {
        Some(WordAfter {
            says: Says::Currency(code),
            end: word_end,
        }) if !has_sign => (currency, end) = (Some(code), word_end),
        Some(WordAfter {
            says: Says::Unit(word),
            end: word_end,
        }) if unit.is_none() => (unit, end) = (Some(word), word_end),
        _ => {}
    }
    // A sign decides the currency, over a word ("€100 roses" is in euros).
    let currency = sign.or(currency);
    let Some((amount, _)) = read_amount(&folded.bytes, a + first_digit, b) else {
        return;
    };
    if (price_range.0..=price_range.1).contains(&amount) {
        let hit = PriceHit {
            raw: String::new(),
            span: span(end),
            amount,
            currency,
            unit,
        };
        push_small(&mut out.prices, hit);
    }
}

/// What a price's keyword or unit word says ([`unit_or_currency`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Says {
    /// The currency, by its code or a word for it (`usd`, `euros`, `roses`, `quid`).
    Currency(&'static str),
    /// The unit the price is for (`hh`, `per hour`, `qv`, `overnight`).
    Unit(&'static str),
}

/// The unit or currency a word names, in a price's match or right after it: the words that
/// mean one thing wherever they stand (a match also reads `hrs`, `an hour` and the like, and
/// refuses a duration, [`classify`]).
fn unit_or_currency(word: &[u8]) -> Option<Says> {
    Some(match word {
        b"hh" | b"hhr" | b"half" => Says::Unit("hh"),
        b"h" | b"hr" | b"hour" | b"hourly" => Says::Unit("h"),
        b"qv" | b"qk" | b"qq" => Says::Unit("qv"),
        b"ss" => Says::Unit("ss"),
        b"overnight" | b"ovn" => Says::Unit("overnight"),
        b"rose" | b"roses" | b"usd" | b"dollar" | b"dollars" | b"bucks" => Says::Currency("USD"),
        b"eur" | b"euro" | b"euros" => Says::Currency("EUR"),
        // "pounds" and "lb" are body weights in these ads, never money: only the ISO code and
        // the slang word that means nothing else after a number read as sterling.
        b"gbp" | b"quid" => Says::Currency("GBP"),
        _ => return None,
    })
}

/// A word after a price's match and the folded unit it ends at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct WordAfter {
    says: Says,
    end: usize,
}

/// The word right after a price's match ending at `end`, when it names a currency or a unit that
/// the match did not hold: the match takes one keyword or unit, so a second one after the amount
/// ("qv 100 usd", "roses 150 eur", "donations 200 euros", "roses 150 hh", "150 dollars per
/// hour") was lost. One or two spaces before it (and `per` before a unit), a letter or nothing
/// after it; not when a number or a currency sign follows it, which makes it the keyword of
/// the next price ("hh 150 roses 200"). `hours` and minutes are left out: "150 for 2 hours".
fn word_after(bytes: &[u8], end: usize) -> Option<WordAfter> {
    let spaces = |from: usize| {
        from + bytes[from.min(bytes.len())..]
            .iter()
            .take(2)
            .take_while(|&&c| c == b' ')
            .count()
    };
    let letters_end = |from: usize| {
        from + bytes[from..]
            .iter()
            .take_while(|c| c.is_ascii_lowercase())
            .count()
    };
    let start = spaces(end);
    if start == end || start >= bytes.len() {
        return None;
    }
    let mut word_end = letters_end(start);
    let mut word = &bytes[start..word_end];
    let per = word == b"per";
    if per {
        let unit_start = spaces(word_end);
        if unit_start == word_end || unit_start >= bytes.len() {
            return None;
        }
        word_end = letters_end(unit_start);
        word = &bytes[unit_start..word_end];
    }
    let says = unit_or_currency(word)?;
    if per && matches!(says, Says::Currency(_)) {
        return None;
    }
    // No digit or sign after the word, glued or after a space or two: the next price's.
    let next = spaces(word_end);
    let starts_price = bytes
        .get(next)
        .is_some_and(|&c| c.is_ascii_digit() || matches!(c, b'$' | EURO_SIGN | POUND_SIGN));
    (!starts_price).then_some(WordAfter {
        says,
        end: word_end,
    })
}

/// The amount of the number whose first digit is at `start`, in whole units, and where the
/// number ends: its digits, read across thousands groupings (a first group of at most three
/// digits, then groups of exactly three after `.` or `,`: "1.500", "1,500"), and cents (two
/// digits after the last `.` or `,`: "120,50", "1.500,00") dropped. None for any other shape
/// ("1,5", "1500,000", "1,50,00"), for a number that goes on past `limit` (the match's end: the
/// match took only part of it), and for one that continues a number before it across `.` or
/// `,` (it is that number's cents or group: the "50" of "0,50 €"). Saturating.
fn read_amount(bytes: &[u8], start: usize, limit: usize) -> Option<(u32, usize)> {
    let is_digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let is_separator_at = |i: usize| matches!(bytes.get(i), Some(b'.' | b','));
    if start >= 2 && is_separator_at(start - 1) && is_digit_at(start - 2) {
        return None;
    }
    let mut amount = 0u32;
    let mut end = start;
    let mut take = |from: usize, count: usize| {
        for &c in &bytes[from..from + count] {
            amount = amount
                .saturating_mul(10)
                .saturating_add(u32::from(c - b'0'));
        }
    };
    let digits_from = |i: usize| (i..).take_while(|&k| is_digit_at(k)).count();
    let first = digits_from(start);
    take(start, first);
    end += first;
    while is_separator_at(end) && is_digit_at(end + 1) {
        let group = digits_from(end + 1);
        if group == 3 && first <= 3 {
            take(end + 1, 3);
            end += 4;
        } else if group == 2 && !(is_separator_at(end + 3) && is_digit_at(end + 4)) {
            end += 3;
            break;
        } else {
            return None;
        }
    }
    (end <= limit).then_some((amount, end))
}

/// How many letters of a match [`Marks`] keeps.
const MARKED_LETTERS: usize = 16;

/// What [`classify`] gathers outside a match's first number: its letters and signs.
#[derive(Default)]
struct Marks {
    /// The letters in order. Every letter sequence recognised is at most 9 long; a match with
    /// more letters than this holds is none of them.
    letters: [u8; MARKED_LETTERS],
    letter_count: usize,
    /// The currency of the match's sign (no alternative takes more than one).
    sign: Option<&'static str>,
    has_dash: bool,
}

impl Marks {
    fn read(&mut self, bytes: &[u8]) {
        for &c in bytes {
            match c {
                b'a'..=b'z' => {
                    // Past the buffer's end letters wrap around over earlier ones, without a
                    // test: such a match is thrown away for its letter count anyway.
                    self.letters[self.letter_count % MARKED_LETTERS] = c;
                    self.letter_count += 1;
                }
                b'$' => _ = self.sign.get_or_insert("USD"),
                EURO_SIGN => _ = self.sign.get_or_insert("EUR"),
                POUND_SIGN => _ = self.sign.get_or_insert("GBP"),
                b'-' => self.has_dash = true,
                _ => {}
            }
        }
    }
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

    /// A price as (amount, currency, unit).
    type Price = (u32, Option<&'static str>, Option<&'static str>);

    fn prices_and_ages(text: &str) -> (Vec<Price>, Vec<u8>) {
        let f = Folded::new(text);
        let out = strip(&f, (20, 5000));
        let prices = out
            .prices
            .into_iter()
            .map(|p| (p.amount, p.currency, p.unit))
            .collect();
        (prices, out.ages.into_iter().map(|a| a.age).collect())
    }

    #[test]
    fn reads_prices_and_ages_on_the_way() {
        let usd = || Some("USD");
        let (prices, ages) = prices_and_ages("qv 120 $200/hh donations 150 im 34 and 28 yrs old");
        assert_eq!(
            prices,
            [
                (120, None, Some("qv")),
                (200, usd(), Some("hh")),
                (150, None, None),
            ]
        );
        assert_eq!(ages, [34, 28]);
        assert_eq!(prices_and_ages("Korean Lily - 25").1, [25]);
    }

    #[test]
    fn keeps_the_odd_corners_of_the_former_pattern() {
        // Matches end inside a digit run where the pattern has no `\b`, and the search goes on.
        assert_eq!(stripped_text("12:345%"), ["12:34", "5%"]);
        assert_eq!(stripped_text("$12345678"), ["$1234567"]);
        // `18+` takes the byte after the sign, which may read as a unit.
        assert_eq!(stripped_text("18+ 21+h"), ["18+ ", "21+h"]);
        assert_eq!(prices_and_ages("21+h").0, [(21, None, Some("h"))]);
        // A cup size that reads as a unit makes the measurement a price.
        assert_eq!(prices_and_ages("36hh-24-36").0, [(36, None, Some("hh"))]);
        // A Luhn-failing card is consumed without being masked.
        assert!(stripped_text("4111 1111 1111 1112 4").is_empty());
    }

    fn phones(text: &str, region: &str) -> Vec<String> {
        crate::extract(text, &crate::Options::default().with_region(region))
            .phones
            .into_iter()
            .map(|p| p.e164)
            .collect()
    }

    #[test]
    fn a_bare_four_four_four_grouping_is_a_phone_not_a_card() {
        // 12 digits: no card has so few. A German mobile written 4-4-4.
        assert!(stripped_text("0151 2345 6789").is_empty());
        assert_eq!(phones("0151 2345 6789", "DE"), ["+4915123456789"]);
        assert_eq!(phones("handy 0151-2345-6789", "DE"), ["+4915123456789"]);
        assert_eq!(phones("0151 23456789", "DE"), ["+4915123456789"]);
        // Luhn-valid cards of 13 (4-4-4-1), 15 (4-4-4-3, Amex 4-6-5), 16, 17 and 19 digits are
        // still masked, grouped or not.
        for card in [
            "4222 2222 2222 2",
            "4222222222222",
            "1234 5678 9012 347",
            "3782 822463 10005",
            "378282246310005",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "4111 1111 1111 1111 3",
            "4111 1111 1111 1111 110",
        ] {
            assert_eq!(stripped_text(card), [card]);
            assert!(phones(card, "DE").is_empty(), "{card}");
            assert!(phones(card, "US").is_empty(), "{card}");
        }
        // A 16-digit grouping glued to a letter is still masked, as its first 12 digits (the
        // regex cannot end a match inside a word); not so before a group of five, which makes no
        // card grouping. Bare, the 4-4-4 is consumed whole: its last group is no weight.
        assert_eq!(
            stripped_text("4111 1111 1111 1111cm"),
            ["4111 1111 1111", "1111cm"]
        );
        assert_eq!(stripped_text("im4111 1111 1111 1111"), ["1111 1111 1111"]);
        assert!(stripped_text("0151 2345 6789 12345").is_empty());
        assert!(stripped_text("12345 0151 2345 6789").is_empty());
        assert!(stripped_text("0151 2345 6789 kg").is_empty());
        assert_eq!(phones("0151 2345 6789 kg", "DE"), ["+4915123456789"]);
        // A 4-4-4 grouping that a fourth group of four continues is still a card, and is still
        // read whole: not as a 4-4-4 phone and a group.
        assert_eq!(
            stripped_text("4805 5501 4200 0010"),
            ["4805 5501 4200 0010"]
        );
        assert!(phones("4805 5501 4200 0010", "US").is_empty());
    }

    #[test]
    fn a_number_written_in_pairs_holds_no_date() {
        for text in [
            "06.12.34.56.78",
            "06-12-34-56-78",
            "06/12/34/56/78",
            "appelle-moi au 06.12.34.56.78 !",
        ] {
            assert!(stripped_text(text).is_empty(), "{text}");
            assert_eq!(phones(text, "FR"), ["+33612345678"], "{text}");
        }
        // Three groups at its end that read as a date or a measurement are not one either.
        assert_eq!(phones("06.01.02.03.04", "FR"), ["+33601020304"]);
        assert_eq!(phones("07-45-12-10-26", "FR"), ["+33745121026"]);
        assert_eq!(phones("01 02 03 04 05", "FR"), ["+33102030405"]);
        // Real dates and measurements stay masked, next to a phone or not.
        assert_eq!(stripped_text("06.12.34"), ["06.12.34"]);
        assert_eq!(stripped_text("12/25/2026"), ["12/25/2026"]);
        assert_eq!(stripped_text("02/14/2026"), ["02/14/2026"]);
        assert_eq!(stripped_text("34-24-36"), ["34-24-36"]);
        assert_eq!(stripped_text("36dd-24-36"), ["36dd-24-36"]);
        assert_eq!(stripped_text("02.14.26 2065550198"), ["02.14.26"]);
        assert_eq!(phones("02.14.26 2065550198", "US"), ["+12065550198"]);
        assert_eq!(
            phones("le 06.12.34 au 06 12 34 56 78", "FR"),
            ["+33612345678"]
        );
        // A range of dates with four-digit years is no chain of pairs: both stay dates.
        assert_eq!(
            stripped_text("12/25/2026-12/31/2026"),
            ["12/25/2026", "12/31/2026"]
        );
        // Pairs, but the first group: a measurement or "24/7" continued by one digit is no
        // chain.
        assert_eq!(stripped_text("34-24-36-6"), ["34-24-36"]);
        assert_eq!(stripped_text("24/7.24/7"), ["24/7", "24/7"]);
        // One separator throughout: a measurement then an age is no chain.
        assert_eq!(stripped_text("34-24-36.17 yo"), ["34-24-36", "17 yo"]);
        assert_eq!(stripped_text("12/25/26-12/31/26"), ["12/25/26", "12/31/26"]);
        assert_eq!(phones("+33 6.12.34.56.78", "FR"), ["+33612345678"]);
        // Four groups make a chain; its digits are left to phone matching, which finds none.
        assert!(stripped_text("01-02-03-04").is_empty());
        assert!(phones("01-02-03-04", "FR").is_empty());
        assert!(phones("06.12.34.56.78", "US").is_empty());
    }

    /// The prices `extract` reports, as (amount, currency, unit), and the raw text of each.
    fn extracted_prices(text: &str) -> Vec<(Price, String)> {
        crate::extract(text, &crate::Options::default())
            .prices
            .into_iter()
            .map(|p| ((p.amount, p.currency, p.unit), p.raw))
            .collect()
    }

    #[test]
    fn reads_euros_pounds_and_a_trailing_dollar() {
        let (eur, gbp, usd) = (Some("EUR"), Some("GBP"), Some("USD"));
        let cases: &[(&str, Price, &str)] = &[
            ("€120", (120, eur, None), "€120"),
            ("€ 120", (120, eur, None), "€ 120"),
            ("120€", (120, eur, None), "120€"),
            ("120 €", (120, eur, None), "120 €"),
            ("€150/hr", (150, eur, Some("h")), "€150/hr"),
            ("€150 hh", (150, eur, Some("hh")), "€150 hh"),
            ("120€ qv", (120, eur, Some("qv")), "120€ qv"),
            ("120 €/hh", (120, eur, Some("hh")), "120 €/hh"),
            ("150 eur", (150, eur, None), "150 eur"),
            ("150 euro", (150, eur, None), "150 euro"),
            ("150 euros", (150, eur, None), "150 euros"),
            ("150EUR", (150, eur, None), "150EUR"),
            ("£80 hh", (80, gbp, Some("hh")), "£80 hh"),
            ("80£", (80, gbp, None), "80£"),
            ("80 £/hour", (80, gbp, Some("h")), "80 £/hour"),
            ("80 gbp", (80, gbp, None), "80 gbp"),
            ("80 quid", (80, gbp, None), "80 quid"),
            ("￡80", (80, gbp, None), "￡80"),
            ("100$ qv", (100, usd, Some("qv")), "100$ qv"),
            ("100 $", (100, usd, None), "100 $"),
            ("qv €120", (120, eur, Some("qv")), "qv €120"),
            ("donations £200", (200, gbp, None), "donations £200"),
            // A sign decides over a word.
            ("€100 roses", (100, eur, None), "€100 roses"),
            // A sign that another amount follows is that amount's, but for minutes.
            ("call 555 2142 $150hh", (150, usd, Some("hh")), "$150hh"),
            ("120€ 30min", (120, eur, None), "120€"),
            // What `$` did stays.
            ("$150hh", (150, usd, Some("hh")), "$150hh"),
            ("$150/hr", (150, usd, Some("h")), "$150/hr"),
            ("150 roses", (150, usd, None), "150 roses"),
        ];
        for &(text, price, raw) in cases {
            assert_eq!(extracted_prices(text), [(price, raw.to_owned())], "{text}");
        }
        // The range filter: kept out of phones, but no price.
        assert!(extracted_prices("€10").is_empty());
        assert!(extracted_prices("9000€").is_empty());
        assert_eq!(stripped_text("9000€"), ["9000\u{1e}"]);
        // A list of amounts each with `€` after it: each keeps its own (the look-ahead lets a
        // `€` go when the amount after it has a `€` of its own; it read "€ 150" before). Not
        // so for `$`, which goes before its amount: "61 $150 $300" stays $150 and $300.
        assert_eq!(
            extracted_prices("100 € 150 €"),
            [
                ((100, eur, None), "100 €".to_owned()),
                ((150, eur, None), "150 €".to_owned())
            ]
        );
        assert_eq!(
            extracted_prices("61 $150 $300"),
            [
                ((150, usd, None), "$150".to_owned()),
                ((300, usd, None), "$300".to_owned())
            ]
        );
        // "per" joins a unit to a signed amount, for `$` as for the others. (This pinned no
        // price before: the classifier read nothing from "perhour"; a rate by the hour is what
        // the task force compares, so it now reads as one.)
        assert_eq!(
            extracted_prices("$80 per hour"),
            [((80, usd, Some("h")), "$80 per hour".to_owned())]
        );
        assert_eq!(
            extracted_prices("80 £ per hour"),
            [((80, gbp, Some("h")), "80 £ per hour".to_owned())]
        );
        // Weights are no money: "pounds" and "lbs" are body weights in these ads.
        assert!(extracted_prices("120 pounds").is_empty());
        assert!(extracted_prices("120 lbs £").is_empty());
        assert!(extracted_prices("120lb").is_empty());
        // Other symbols still read as nothing.
        assert!(extracted_prices("¥120").is_empty());
        assert!(extracted_prices("🔥120").is_empty());
    }

    #[test]
    fn reads_grouped_amounts_cents_codes_and_hourly_rates() {
        let (eur, gbp, usd) = (Some("EUR"), Some("GBP"), Some("USD"));
        let h = Some("h");
        let cases: &[(&str, Price, &str)] = &[
            // Cents are dropped: amounts are whole units.
            ("120,50 €", (120, eur, None), "120,50 €"),
            ("120,50€", (120, eur, None), "120,50€"),
            ("€120,50", (120, eur, None), "€120,50"),
            ("$120.50", (120, usd, None), "$120.50"),
            ("120.50 $", (120, usd, None), "120.50 $"),
            ("150,00 eur", (150, eur, None), "150,00 eur"),
            ("1500,00 €", (1500, eur, None), "1500,00 €"),
            // Thousands groupings, European and American.
            ("1.500€ per night", (1500, eur, None), "1.500€"),
            ("€1.500", (1500, eur, None), "€1.500"),
            ("1.500 €", (1500, eur, None), "1.500 €"),
            ("€ 1.500/hr", (1500, eur, h), "€ 1.500/hr"),
            ("€1.500,00", (1500, eur, None), "€1.500,00"),
            ("1.500,00 €", (1500, eur, None), "1.500,00 €"),
            ("$1,500", (1500, usd, None), "$1,500"),
            ("$1,500.00", (1500, usd, None), "$1,500.00"),
            ("1,500$", (1500, usd, None), "1,500$"),
            ("1,500 $", (1500, usd, None), "1,500 $"),
            ("1,500 usd", (1500, usd, None), "1,500 usd"),
            ("1.500 eur", (1500, eur, None), "1.500 eur"),
            ("2.000 euros", (2000, eur, None), "2.000 euros"),
            // A currency code before the amount, any case.
            ("EUR 150", (150, eur, None), "EUR 150"),
            ("USD 200", (200, usd, None), "USD 200"),
            ("GBP 80", (80, gbp, None), "GBP 80"),
            ("Usd 200", (200, usd, None), "Usd 200"),
            ("eur150", (150, eur, None), "eur150"),
            ("EUR: 1.500", (1500, eur, None), "EUR: 1.500"),
            ("usd 120,50", (120, usd, None), "usd 120,50"),
            // A word after the amount says what the match did not: its currency or unit.
            (
                "gbp 1,200 overnight",
                (1200, gbp, Some("overnight")),
                "gbp 1,200 overnight",
            ),
            ("qv 100 usd", (100, usd, Some("qv")), "qv 100 usd"),
            ("roses 150 eur", (150, eur, None), "roses 150 eur"),
            (
                "donations 200 euros",
                (200, eur, None),
                "donations 200 euros",
            ),
            ("roses 150 hh", (150, usd, Some("hh")), "roses 150 hh"),
            ("hh 150 roses", (150, usd, Some("hh")), "hh 150 roses"),
            ("hh 150  eur.", (150, eur, Some("hh")), "hh 150  eur"),
            (
                "150 dollars per hour",
                (150, usd, h),
                "150 dollars per hour",
            ),
            // A sign's currency and the match's own unit stand; other words are not read.
            ("$150 eur", (150, usd, None), "$150"),
            ("qv 150 hh", (150, None, Some("qv")), "qv 150"),
            ("roses 150 per eur", (150, usd, None), "roses 150"),
            ("roses 150   eur", (150, usd, None), "roses 150"),
            ("roses 150 euros2", (150, usd, None), "roses 150"),
            ("roses 150 eurovision", (150, usd, None), "roses 150"),
            // By the hour.
            ("$80 per hour", (80, usd, h), "$80 per hour"),
            ("$200/hr", (200, usd, h), "$200/hr"),
            ("$150 hourly", (150, usd, h), "$150 hourly"),
            ("$150 an hour", (150, usd, h), "$150 an hour"),
            ("$150 a hour", (150, usd, h), "$150 a hour"),
            ("€150 per hour", (150, eur, h), "€150 per hour"),
            ("150€ per hr", (150, eur, h), "150€ per hr"),
            ("150 an hour", (150, None, h), "150 an hour"),
            ("150 a hour", (150, None, h), "150 a hour"),
            ("200 per hr", (200, None, h), "200 per hr"),
            ("150 per hour", (150, None, h), "150 per hour"),
            ("150 hourly", (150, None, h), "150 hourly"),
            ("1.500 per hour", (1500, None, h), "1.500 per hour"),
            ("$100 per hh", (100, usd, Some("hh")), "$100 per hh"),
        ];
        for &(text, price, raw) in cases {
            assert_eq!(extracted_prices(text), [(price, raw.to_owned())], "{text}");
        }
        // A word that starts the next price is that price's keyword, not this one's currency.
        assert_eq!(
            extracted_prices("hh 150 roses 200"),
            [
                ((150, None, Some("hh")), "hh 150".to_owned()),
                ((200, usd, None), "roses 200".to_owned())
            ]
        );
        assert_eq!(
            extracted_prices("qv 100 eur €120"),
            [
                ((100, None, Some("qv")), "qv 100".to_owned()),
                ((120, eur, None), "€120".to_owned())
            ]
        );
        for text in [
            // Durations stay no price.
            "2.5 hrs",
            "1.5 hours",
            "2.50 hrs",
            "12.5 hrs",
            "2 hours",
            "150 hours",
            // Cents or a group of another number, a fraction of one digit, a grouping that
            // goes on: no amount rather than a wrong one.
            "0,50 €",
            "5,50 €",
            "€120,5",
            "€1.5001",
            "$1,2345",
            "$12345678",
            "qv 150.500",
            "1500,000 €",
            // Out of the price range.
            "$1,500,000",
            "€1.500.000",
            "1,50 €",
            "$1,00",
            // Words that are no unit.
            "150 per night",
            "150 an hourglass",
            "150 per",
            "pounds 150",
        ] {
            assert!(extracted_prices(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn new_price_forms_eat_no_phone() {
        for (text, region, phone) in [
            ("call 702.555.0143 $150 hh", "US", "+17025550143"),
            ("702 555 0143 eur", "US", "+17025550143"),
            ("702 555 0143 usd 150", "US", "+17025550143"),
            ("usd 702 555 0143", "US", "+17025550143"),
            ("EUR 702-555-0143", "US", "+17025550143"),
            ("call 702-555-1143 an hour before", "US", "+17025551143"),
            ("702 555 1143 per hour", "US", "+17025551143"),
            ("702.555.1143 hourly", "US", "+17025551143"),
            ("call 702-555-0143 150 per hour", "US", "+17025550143"),
            ("702 555 1500 €", "US", "+17025551500"),
            ("702.555.1500€", "US", "+17025551500"),
            ("eur 150 0612345678", "FR", "+33612345678"),
            ("1.500€ 06 12 34 56 78", "FR", "+33612345678"),
            ("120,50 € 06.12.34.56.78", "FR", "+33612345678"),
        ] {
            assert_eq!(phones(text, region), [phone], "{text}");
        }
        assert_eq!(
            extracted_prices("call 702.555.0143 $150 hh"),
            [((150, Some("USD"), Some("hh")), "$150 hh".to_owned())]
        );
        // An amount right after a number and one separator is refused, as for a sign after
        // the amount; by the hour, not when that number is a group of four digits or more and
        // the amount has fewer: a phone's last group, then a price.
        assert_eq!(
            extracted_prices("call 702-555-0143 150 per hour"),
            [((150, None, Some("h")), "150 per hour".to_owned())]
        );
        assert!(extracted_prices("call 702-555-0143 150$").is_empty());
        assert!(extracted_prices("call 702-555-014 150 per hour").is_empty());
        assert!(extracted_prices("06 12 34 56 78 €").is_empty());
        assert!(extracted_prices("555 3347 $").is_empty());
        // An age after a currency code stays an age.
        assert_eq!(prices_and_ages("usd 16 years old").1, [16]);
        assert_eq!(prices_and_ages("usd 99 yo").1, [99]);
        // A code whose amount a phone's next group follows is refused whole.
        assert!(extracted_prices("usd 702 555 0143").is_empty());
        assert!(extracted_prices("eur 150 0612345678").is_empty());
        // Dates, measurements and cards stay masked.
        assert_eq!(stripped_text("12.05.2026 €"), ["12.05.2026"]);
        assert_eq!(
            stripped_text("34-24-36, 1.500€"),
            ["34-24-36", "1.500\u{1e}"]
        );
        assert_eq!(
            stripped_text("4111 1111 1111 1111 $1,500"),
            ["4111 1111 1111 1111", "$1,500"]
        );
    }

    #[test]
    fn a_price_in_euros_is_no_part_of_a_phone() {
        let ex = crate::extract(
            "€120 0612345678",
            &crate::Options::default().with_region("FR"),
        );
        let found: Vec<_> = ex.phones.iter().map(|p| p.e164.as_str()).collect();
        assert_eq!(found, ["+33612345678"]);
        let prices: Vec<_> = ex.prices.iter().map(|p| (p.amount, p.currency)).collect();
        assert_eq!(prices, [(120, Some("EUR"))]);
        assert_eq!(phones("120€ 0612345678", "FR"), ["+33612345678"]);
        assert_eq!(phones("80 £ 07700 900123", "GB"), ["+447700900123"]);
        // A sign after a phone's last group is no price of that group's digits.
        assert_eq!(phones("06 12 34 56 78 €150", "FR"), ["+33612345678"]);
        assert_eq!(
            extracted_prices("06 12 34 56 78 €150"),
            [((150, Some("EUR"), None), "€150".to_owned())]
        );
        assert_eq!(phones("call 480 555 3347 $$$", "US"), ["+14805553347"]);
        assert!(extracted_prices("call 480 555 3347 $$$").is_empty());
    }

    /// The look-ahead for a phone's rest written partly in words, on its own.
    #[test]
    fn spelled_rest_of_phone_counts_seven_digits_with_a_word() {
        let after = |text: &str| spelled_rest_of_phone(text.as_bytes(), 3);
        assert!(after("702 five five five 0143"));
        assert!(after("702 555 zero one four three"));
        assert!(after("702, oh one two three four five six"));
        assert!(after("702 cinco cinco cinco cero uno cuatro tres"));
        // Digits only (the digit rules' case), too few or too many, no area code, no separator.
        assert!(!after("702 555 0143"));
        assert!(!after("702 five five five 014"));
        assert!(after("702 five five five 0143 2"));
        assert!(!after("702 five five five 0143 702"));
        assert!(!after("150 five five five 0143"));
        assert!(!after("702five five five 0143"));
        assert!(!after("702 five five five 0143x"));
        assert!(!after("702 five stars"));
    }

    /// The prices `extract` reports, as (amount, unit).
    fn amounts_and_units(text: &str) -> Vec<(u32, Option<&'static str>)> {
        crate::extract(text, &crate::Options::default())
            .prices
            .into_iter()
            .map(|p| (p.amount, p.unit))
            .collect()
    }

    #[test]
    fn a_keyword_price_eats_no_phone() {
        for (text, phone) in [
            ("qv 702 555 0143", "+17025550143"),
            ("incall qv\n702-555-0143", "+17025550143"),
            ("ss 702 555 0143", "+17025550143"),
            ("qv 702 5550143", "+17025550143"),
            ("hh 702 555 0143 overnight", "+17025550143"),
            ("roses 702 555 0143", "+17025550143"),
            ("donation 702-555-0143", "+17025550143"),
            ("donations: 702.555.0143", "+17025550143"),
            ("702 555 1143 hh", "+17025551143"),
            ("(702) 555-1143 qv", "+17025551143"),
            ("txt 702.555.1200 qv", "+17025551200"),
            ("702-555-1200/hh", "+17025551200"),
            // The rest of the phone partly in words.
            ("qv 702 five five five 0143", "+17025550143"),
            ("one hour 702 five five five 0143", "+17025550143"),
            ("one hour 702 five five five 0143 2 girls", "+17025550143"),
            ("roses 702 five five five oh one four three", "+17025550143"),
            ("qv 702 555 zero one four three", "+17025550143"),
            (
                "donations 702 cinco cinco cinco cero uno cuatro tres",
                "+17025550143",
            ),
        ] {
            assert_eq!(phones(text, "US"), [phone], "{text}");
            assert!(
                amounts_and_units(text)
                    .iter()
                    .all(|&(amount, _)| ![702, 555, 143, 1143, 1200].contains(&amount)),
                "{text}"
            );
        }
        // Real prices stay, before and after the phone, and ranges keep what they had.
        for (text, prices, phone) in [
            ("qv 100", &[(100, Some("qv"))][..], None),
            ("hh 150", &[(150, Some("hh"))][..], None),
            (
                "qv 100 hh 150 call 702 555 0143",
                &[(100, Some("qv")), (150, Some("hh"))][..],
                Some("+17025550143"),
            ),
            ("roses 200", &[(200, None)][..], None),
            ("donation: 150", &[(150, None)][..], None),
            ("150 hh", &[(150, Some("hh"))][..], None),
            ("100/150 qv", &[(150, Some("qv"))][..], None),
            ("100-150 hh", &[(150, Some("hh"))][..], None),
            ("qv 100-150", &[(100, Some("qv"))][..], None),
            ("hh 150/200", &[(150, Some("hh"))][..], None),
            (
                "qv 100 150 hh",
                &[(100, Some("qv")), (150, Some("hh"))][..],
                None,
            ),
            (
                "qv 120 🔥 702 555 0143",
                &[(120, Some("qv"))][..],
                Some("+17025550143"),
            ),
            // Number words after a price that make no phone's rest, or a whole phone after it.
            ("qv 200 five stars", &[(200, Some("qv"))][..], None),
            ("qv 150 two girls", &[(150, Some("qv"))][..], None),
            (
                "qv 300, 702 five five five 0143",
                &[(300, Some("qv"))][..],
                Some("+17025550143"),
            ),
            ("qv 100 34-24-36 5'6", &[(100, Some("qv"))][..], None),
            ("donations 120 34-24-36", &[(120, None)][..], None),
            ("34-24-36 150 hh", &[(150, Some("hh"))][..], None),
            (
                "hh 63 232.555.0148",
                &[(63, Some("hh"))][..],
                Some("+12325550148"),
            ),
            ("ovn:$300 8448", &[(300, Some("overnight"))][..], None),
            ("qv 150 4111 1111 1111 1111", &[(150, Some("qv"))][..], None),
            (
                "702 555 0143 qv 120",
                &[(120, Some("qv"))][..],
                Some("+17025550143"),
            ),
        ] {
            assert_eq!(amounts_and_units(text), prices, "{text}");
            let found = phones(text, "US");
            assert_eq!(found.first().map(String::as_str), phone, "{text}");
        }
    }

    #[test]
    fn a_signed_price_eats_no_whole_phone() {
        // A sign before a whole US phone is glue or decoration, not a price: ten digits, 3-3-4
        // joined by `-` or `.`, and after a repeated sign also 3-3-4 and 3-7 with spaces. The
        // phone was lost to "$702" before.
        for text in [
            "$702-555-0143 call now",
            "$ 702.555.0143",
            "hh: $702-555-0143",
            "hh $702.555.0143",
            "$7025550143",
            "$17025550143",
            "roses $702-555-0143",
            "cash only $$$ 702 555 0143",
            "$$ 702 5550143",
        ] {
            assert_eq!(phones(text, "US"), ["+17025550143"], "{text}");
            assert_eq!(amounts_and_units(text), [], "{text}");
        }
        // Prices before a phone, and signed amounts that start no whole phone, stay prices; so
        // do amounts before what may be a local number ("$250 555 0143": a space after the
        // amount).
        for (text, prices, phone) in [
            ("$250 555 0143", &[(250, None)][..], None),
            ("$250 5550143", &[(250, None)][..], None),
            (
                "$150 702 555 0143",
                &[(150, None)][..],
                Some("+17025550143"),
            ),
            (
                "qv 150 702 555 0143",
                &[(150, Some("qv"))][..],
                Some("+17025550143"),
            ),
            (
                "roses 200 702-555-0143",
                &[(200, None)][..],
                Some("+17025550143"),
            ),
            (
                "hh $150 702-555-0143",
                &[(150, Some("hh"))][..],
                Some("+17025550143"),
            ),
            ("$150 555 0143", &[(150, None)][..], None),
            (
                "$250 5505550 1 dos 8",
                &[(250, None)][..],
                Some("+15505550128"),
            ),
            ("$250/hh 702", &[(250, Some("hh"))][..], None),
            (
                "$1,500 702 555 0143",
                &[(1500, None)][..],
                Some("+17025550143"),
            ),
        ] {
            assert_eq!(amounts_and_units(text), prices, "{text}");
            let found = phones(text, "US");
            assert_eq!(found.first().map(String::as_str), phone, "{text}");
        }
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid(b"4111111111111111"));
        assert!(luhn_valid(b"4805550142000010"));
        assert!(!luhn_valid(b"4805550142000011"));
    }
}
