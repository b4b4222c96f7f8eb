//! The hand-written matcher behind the strip pass: it yields exactly the matches that
//! `find_iter` of the former trap regex (kept as the test oracle in `oracle.rs`) yields, in
//! one left-to-right pass that looks at each byte a small constant number of times.
//!
//! How it mirrors the regex. The regex is a leftmost-first alternation: at the first start
//! position where any alternative matches, the first alternative (in pattern order) wins, with
//! the end a backtracking engine would reach; the search then resumes at that end. Every
//! alternative contains an ASCII digit, and the bytes before its first digit are a currency
//! sign (`$`, or `€` or `£` as the fold writes them: [`EURO_SIGN`], [`POUND_SIGN`]), a `#`, a
//! `\s-`, or a keyword with a few separators: at most [`MAX_LEAD`] bytes. So the scanner
//! jumps from digit to digit; for each it first tries the few starts before it that can match
//! (found by looking back, [`Scanner::lead_match`]), then the alternatives that start with the
//! digit. If nothing matches there, nothing matches anywhere else in its digit run either
//! (inside a run only the unanchored percent alternative can start, and it sees the same run
//! end), so the search skips the whole run.
//!
//! Each alternative below is annotated with its regex text. Their optional parts were checked
//! to have one backtracking outcome each (an optional separator is followed by something it
//! cannot match, and a word list followed by `\b` means "the maximal word-char run is one of
//! these words"), so the functions parse greedily and only backtrack where the regex does.
//! Character classes are the ASCII ones of `(?-u)`: `\s` includes `\x0B`, unlike
//! `u8::is_ascii_whitespace`; `\w` is `[0-9A-Za-z_]`.
//!
//! Amounts with `.` or `,` in them (thousands groupings, cents) are read after a digit run that
//! one of them follows ([`Scanner::grouped_amount`], [`Scanner::amount_then_boundary`]); the
//! end of a run of thousands groups is kept, so the groups of one long chain are read once
//! from whichever run of it starts an amount.
//!
//! Keyword prices and amounts with a unit word have look-arounds of a few bytes that keep them
//! off a US phone's groups ([`phone_after`], [`phone_before`]; the oracle's module doc has the
//! rule); a refused keyword leaves the later starts before the digit to be tried, a refused
//! unit the later alternatives at the digit, as the regex does.
//!
//! Linear time: the digit search never goes back more than one 16-byte chunk, the look-back
//! and every alternative read a bounded number of bytes, except that a digit run can be read
//! to its end; that happens at most four times per run (from its first digit, from a match
//! that ends inside it, after an ID keyword, after a sign that follows an amount), and the
//! `\s*$` of title ages reads the trailing whitespace once per text.

use crate::fold::{EURO_SIGN, POUND_SIGN};
use crate::swar::{digit_bytes, lowercase_bytes, word_at, word_of, HIGH};

/// The most bytes a match can have before its first digit: `donations` or `overnight`, then
/// `\s?`, a separator, `\s?` and a currency sign.
const MAX_LEAD: usize = 13;

/// The longest letter run that can hold a keyword: "donations", "overnight", "invoiceno".
const KEYWORD_RUN: usize = 9;

/// One match of the trap pattern, `start..end` in the folded bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Trap {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) family: Family,
}

/// Which kind of alternative a match came from, as far as the caller cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Family {
    /// A payment card: dropped unless it passes Luhn.
    Card,
    /// A grouped number as phone numbers are written in Europe, consumed whole so that no trap
    /// is read out of its groups, and never masked: four or more groups joined by one of `/`,
    /// `.` or `-`, of two digits but the first ("06.12.34.56.78"), or a 4-4-4 grouping of the
    /// card alternative ("0151 2345 6789") that no fourth group of four digits adjoins.
    Grouped,
    /// Dates, clock times, heights, weights and counts, percents, `24/7`, IDs: their letters
    /// (am/pm, ft/in, units, ID keywords) and signs never read as a price or an age.
    Plain,
    /// Prices, durations, ages, title ages, `18+` (whose last byte may be a unit letter or a
    /// sign) and measurements (a cup size "hh" reads as a unit): the caller classifies these.
    Valued,
}

/// Iterates over the traps of one text, like `Regex::find_iter` over the same bytes.
pub(super) struct Scanner<'a> {
    text: &'a [u8],
    /// Where the search for the next match starts (the end of the previous one).
    pos: usize,
    /// Where the trailing whitespace of the text begins, once something needed it.
    trailing_space: Option<usize>,
    /// The last run of thousands groups read ([`Scanner::groups_from`]): where it was read from
    /// and where it ends, so that the groups of one long run are read once.
    groups: (usize, usize),
}

const DIGIT: u8 = 1;
const WORD: u8 = 2;
const SPACE: u8 = 4;
const LOWER: u8 = 8;
/// Can stand between a keyword and its number: `\s`, `:`, `=`, `-`, a currency sign, `#`, `.`.
const SEPARATOR: u8 = 16;

/// The character classes of every byte, one load per test.
static CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_digit() {
            DIGIT | WORD
        } else if c.is_ascii_lowercase() {
            LOWER | WORD
        } else if c.is_ascii_uppercase() || c == b'_' {
            WORD
        } else if matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
            SPACE | SEPARATOR
        } else if matches!(c, b':' | b'=' | b'-' | b'#' | b'.') || is_currency_sign(c) {
            SEPARATOR
        } else {
            0
        };
        b += 1;
    }
    table
};

/// Whether a digit and one `\s`, `.`, `/`, `)` or `-` come right before `p`: the look-behind of
/// an amount before its sign, which is then a phone's group ("555 3347 $", "06 12 34 56 78 €").
fn follows_a_number(text: &[u8], p: usize) -> bool {
    p >= 2
        && (is_space(text[p - 1]) || matches!(text[p - 1], b'.' | b'/' | b')' | b'-'))
        && is_digit(text[p - 2])
}

/// The look-behind of an amount by the hour, at its start `p`: [`follows_a_number`] ("702-555-1143
/// an hour"), but not when the number before is a group of four digits or more and the
/// amount's run has fewer than four ("702-555-0143 150 per hour": a phone's last group, then a
/// price; the words make it one, as a bare sign after digits does not).
fn hourly_follows_a_number(text: &[u8], p: usize) -> bool {
    if !follows_a_number(text, p) {
        return false;
    }
    let before = (2..=5)
        .take_while(|&k| k <= p && is_digit(text[p - k]))
        .count();
    let amount = (0..4)
        .take_while(|&k| text.get(p + k).is_some_and(|&b| is_digit(b)))
        .count();
    before < 4 || amount >= 4
}

/// A separator between the groups of a phone number: `[\s./)-]`.
fn is_phone_separator(b: u8) -> bool {
    is_space(b) || matches!(b, b'.' | b'/' | b')' | b'-')
}

/// Whether one or two phone separators and then a digit come at `i`.
fn separators_then_digit(text: &[u8], i: usize) -> bool {
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    is_phone_separator(at(i))
        && (is_digit(at(i + 1)) || (is_phone_separator(at(i + 1)) && is_digit(at(i + 2))))
}

/// The look-ahead of the keyword-first amounts, at the end `end` of the match: is its amount
/// the first group of a US phone? Only an amount of three digits can be:
/// - after a currency sign, when a whole phone starts with it ([`whole_us_phone_at`], the
///   sign-first price's own look-ahead: "hh $702-555-0143", "hh: $$702 555 0143");
/// - otherwise when one separator then three digits and one or two separators and a digit
///   follow it, unless those groups are a whole phone of their own (the amount is a price
///   before it: "qv 150 702 555 0143"), or four or seven digits that no separator and digit
///   follow ("qv 702 555 0143", "qv 555 0143"; not "qv 100-150", "qv 100 34-24-36",
///   "qv 150 4111 1111 1111 1111");
/// - or when the rest of the phone follows partly in words ([`super::spelled_rest_of_phone`]:
///   "qv 702 five five five 0143").
///
/// Reads a few dozen bytes at most.
fn phone_after(text: &[u8], end: usize) -> bool {
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    // The match ends with a 2–4 digit amount after a non-digit, so `end >= 3` here.
    let amount = (1..=4).take_while(|&k| is_digit(at(end - k))).count();
    if amount != 3 {
        return false;
    }
    // A keyword's sign is glued to its amount (`[$€£]?[1-9]`).
    if is_currency_sign(at(end - 4)) {
        // A sign after another is decoration ("hh $$702 555 0143").
        let decorated = end >= 5 && is_currency_sign(at(end - 5));
        return whole_us_phone_at(text, end - 3, decorated);
    }
    if super::spelled_rest_of_phone(text, end) {
        return true;
    }
    if !is_phone_separator(at(end)) {
        return false;
    }
    let rest = (1..=8).take_while(|&k| is_digit(at(end + k))).count();
    let after = end + 1 + rest;
    match rest {
        3 => separators_then_digit(text, after) && !whole_us_phone_at(text, end + 1, true),
        4 | 7 => !(is_phone_separator(at(after)) && is_digit(at(after + 1))),
        _ => false,
    }
}

/// Whether a whole US phone number is written from `i`, its first digit, with one separator
/// between groups (one or two before the last), no separator and digit after the last (a
/// further group makes the shape no phone's), and an area code and exchange that start with
/// 2–9 as NANP's do. `spaced` tells which shapes count:
/// - always ten digits (eleven with a leading 1), which no price has ("$7025550143"), and
///   three, three and four whose first separator is `-` or `.` ("$702-555-0143");
/// - when `spaced`, also three and seven, and three, three and four after a space: also what
///   an amount and a local number look like ("$250 555 0143", "$250 5550143"), so these count
///   only where no amount can stand (before its further groups: [`phone_after`], or after a
///   sign that is decoration: "$$$ 702 555 0143").
///
/// Reads at most 32 bytes.
fn whole_us_phone_at(text: &[u8], i: usize, spaced: bool) -> bool {
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    let run = |from: usize| (0..12).take_while(|&k| is_digit(at(from + k))).count();
    // NANP: the area code and the exchange start with 2–9.
    let nanp = |area: usize, exchange: usize| at(area) >= b'2' && at(exchange) >= b'2';
    let joined = |b: u8| {
        if spaced {
            is_phone_separator(b)
        } else {
            matches!(b, b'-' | b'.')
        }
    };
    match run(i) {
        10 => nanp(i, i + 3),
        11 => at(i) == b'1' && nanp(i + 1, i + 4),
        3 if joined(at(i + 3)) && nanp(i, i + 4) => {
            let second = run(i + 4);
            let after = i + 4 + second;
            // Where the number ends, when it is whole.
            let end = match second {
                7 if spaced => after,
                3 => {
                    let last = after + 1 + usize::from(is_phone_separator(at(after + 1)));
                    if !is_phone_separator(at(after)) || run(last) != 4 {
                        return false;
                    }
                    last + 4
                }
                _ => return false,
            };
            !(is_phone_separator(at(end)) && is_digit(at(end + 1)))
        }
        _ => false,
    }
}

/// The look-behind of an amount before its unit, at the amount's start `start`: a US phone's
/// line number when it is a run of four digits and one separator, a run of exactly three
/// digits, and one or two separators and a digit precede it ("702 555 1143 hh"; not
/// "100-150 hh", "34-24-36 150 hh"). Reads at most twelve bytes.
fn phone_before(text: &[u8], start: usize) -> bool {
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    let amount = (0..5).take_while(|&k| is_digit(at(start + k))).count();
    if amount != 4 || start < 2 || !is_phone_separator(text[start - 1]) {
        return false;
    }
    let before = |k: usize| start.checked_sub(k).map_or(0, |i| text[i]);
    // The run's digits at start - 2, start - 3, …: three, then no fourth.
    let group = (2..=5).take_while(|&k| is_digit(before(k))).count();
    if group != 3 {
        return false;
    }
    let g = 1 + group;
    is_phone_separator(before(g + 1))
        && (is_digit(before(g + 2))
            || (is_phone_separator(before(g + 2)) && is_digit(before(g + 3))))
}

/// `$`, or `€` or `£` as the fold writes them.
const fn is_currency_sign(b: u8) -> bool {
    matches!(b, b'$' | EURO_SIGN | POUND_SIGN)
}

fn is_digit(b: u8) -> bool {
    CLASSES[usize::from(b)] & DIGIT != 0
}

/// `\w` of `(?-u)`, `[0-9A-Za-z_]`: the test behind `\b`.
fn is_word(b: u8) -> bool {
    CLASSES[usize::from(b)] & WORD != 0
}

/// `\s` of `(?-u)`: space, `\t`, `\n`, `\x0B`, `\x0C`, `\r`.
fn is_space(b: u8) -> bool {
    CLASSES[usize::from(b)] & SPACE != 0
}

fn is_lower(b: u8) -> bool {
    CLASSES[usize::from(b)] & LOWER != 0
}

/// The first ASCII digit at or after `from`. Ad text is mostly letters, and this search is
/// a large part of what the pass costs: 16 bytes at a time are tested with a reduction the
/// compiler turns into a few vector instructions, and only a chunk with a digit is searched,
/// eight bytes at a time. (32-byte chunks cost more: the digit runs of a number are close
/// together, and each search from a run's end read a whole chunk.)
fn next_digit(text: &[u8], from: usize) -> Option<usize> {
    let rest = text.get(from..)?;
    let mut chunks = rest.chunks_exact(16);
    let mut base = from;
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, &b| any | b.is_ascii_digit()) {
            return first_digit_in(chunk).map(|k| base + k);
        }
        base += 16;
    }
    first_digit_in(chunks.remainder()).map(|k| base + k)
}

/// The offset of the first ASCII digit in `bytes`, eight at a time.
fn first_digit_in(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut base = 0;
    for word in &mut words {
        let digits = digit_bytes(word_of(word));
        if digits != 0 {
            return Some(base + (digits.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    let tail = words.remainder();
    tail.iter().position(|&b| is_digit(b)).map(|k| base + k)
}

/// Can stand between a keyword and its number.
fn is_separator(b: u8) -> bool {
    CLASSES[usize::from(b)] & SEPARATOR != 0
}

impl<'a> Scanner<'a> {
    pub(super) fn new(text: &'a [u8]) -> Self {
        Scanner {
            text,
            pos: 0,
            trailing_space: None,
            groups: (usize::MAX, 0),
        }
    }

    /// The byte at `i`, or 0 past the end. 0 is neither a word char, a space, a digit nor any
    /// literal of the pattern, so past-the-end reads fail the same tests the end of text fails;
    /// the one place where end and a byte differ (`[^0-9]|$`) checks the length itself.
    fn at(&self, i: usize) -> u8 {
        self.text.get(i).copied().unwrap_or(0)
    }

    /// 1 when `\s?` consumes the byte at `i`.
    fn space(&self, i: usize) -> usize {
        usize::from(is_space(self.at(i)))
    }

    /// `\b` at `i` (between `i - 1` and `i`).
    fn boundary(&self, i: usize) -> bool {
        let before = i > 0 && is_word(self.at(i - 1));
        before != is_word(self.at(i))
    }

    /// The end of the digit run containing or starting at `i` (`i` itself when no digit).
    fn run_end(&self, i: usize) -> usize {
        let mut end = i;
        while let Some(word) = word_at(self.text, end) {
            let not_digits = !digit_bytes(word) & HIGH;
            if not_digits != 0 {
                return end + (not_digits.trailing_zeros() / 8) as usize;
            }
            end += 8;
        }
        end + self.text[end..]
            .iter()
            .take_while(|&&b| is_digit(b))
            .count()
    }

    /// How many digits start at `i`, counting at most `max`.
    fn digits_upto(&self, i: usize, max: usize) -> usize {
        let mut n = 0;
        while n < max && is_digit(self.at(i + n)) {
            n += 1;
        }
        n
    }

    /// The end of the word-char run at `i` when it is 1..=`max` long (longer runs are no word
    /// of any list here).
    fn word_end(&self, i: usize, max: usize) -> Option<usize> {
        let mut n = 0;
        while n <= max && is_word(self.at(i + n)) {
            n += 1;
        }
        (1..=max).contains(&n).then_some(i + n)
    }

    fn starts_with(&self, i: usize, lit: &[u8]) -> bool {
        self.text.get(i..).is_some_and(|rest| rest.starts_with(lit))
    }

    /// Whether every byte from `i` to the end is `\s` (`\s*$`).
    fn only_space_from(&mut self, i: usize) -> bool {
        let start = *self.trailing_space.get_or_insert_with(|| {
            self.text
                .iter()
                .rposition(|&b| !is_space(b))
                .map_or(0, |k| k + 1)
        });
        i >= start
    }

    /// Tries every start in `from..` up to and including the next digit; see the module doc.
    fn find_from(&mut self, from: usize) -> Option<Trap> {
        let mut from = from;
        loop {
            let digit = next_digit(self.text, from)?;
            let before = if digit > 0 { self.at(digit - 1) } else { 0 };
            if let Some(trap) = self.lead_match(from, digit, before) {
                return Some(trap);
            }
            let run_end = self.run_end(digit);
            if let Some((end, family)) = self.digit_alternatives(digit, run_end, before) {
                return Some(Trap {
                    start: digit,
                    end,
                    family,
                });
            }
            from = run_end;
        }
    }

    /// The leftmost match that starts in `from..digit` and has its first digit at `digit`
    /// (`before` is the byte before it, 0 at the start of the text).
    ///
    /// Rather than trying every start in `digit - MAX_LEAD .. digit`, this looks back from the
    /// digit for the few that can match and tries them in increasing order, as a forward scan
    /// would:
    /// - the letter run that ends where the separators before the digit begin (`\s`, `:`, `=`,
    ///   `-`, a currency sign, `#`, `.`; at most 5 of them). A keyword is preceded by a boundary
    ///   and followed only by such separators, so it is that whole run ("qv", or "idno" with a
    ///   glued "no"); when the run is "no", the keyword is the run before it (over one space:
    ///   "id no. 5");
    ///   when it is "am" or "m" after "i " or "i'", it is that "i";
    /// - then a currency sign or `#` one or two bytes back, or a space before `-` two or three
    ///   bytes back.
    fn lead_match(&mut self, from: usize, digit: usize, before: u8) -> Option<Trap> {
        let low = from.max(digit.saturating_sub(MAX_LEAD));
        if low >= digit {
            return None;
        }
        if is_lower(before) {
            return self.keyword_match(low, digit);
        }
        // Whatever else precedes a number in these alternatives is a separator.
        if !is_separator(before) {
            return None;
        }
        let mut end = digit - 1;
        while end > low && digit - end < 5 && is_separator(self.at(end - 1)) {
            end -= 1;
        }
        if end > low && is_lower(self.at(end - 1)) {
            if let Some(trap) = self.keyword_match(low, end) {
                return Some(trap);
            }
        }
        // The sign starts, in increasing order: "$ 5", "# 5", " - 25", " -25", then "$5", "#5".
        let byte = |back: usize| {
            digit
                .checked_sub(back)
                .filter(|&p| p >= low)
                .map_or(0, |p| self.at(p))
        };
        let sign = match before {
            b'$' | b'#' | EURO_SIGN | POUND_SIGN => digit - 1,
            b'-' if is_space(byte(2)) => digit - 2,
            _ if is_space(before) => match byte(2) {
                b'$' | b'#' | EURO_SIGN | POUND_SIGN => digit - 2,
                b'-' if is_space(byte(3)) => digit - 3,
                _ => return None,
            },
            _ => return None,
        };
        let (end, family) = match self.at(sign) {
            b'#' => (self.hash_id(sign)?, Family::Plain),
            // Not the area code of a whole phone: "$702-555-0143" is a phone, and so is
            // "$$$ 702 555 0143", whose signs are decoration.
            b'$' | EURO_SIGN | POUND_SIGN
                if !whole_us_phone_at(
                    self.text,
                    digit,
                    sign > 0 && is_currency_sign(self.at(sign - 1)),
                ) =>
            {
                (self.sign_price(sign)?, Family::Valued)
            }
            b'$' | EURO_SIGN | POUND_SIGN => return None,
            _ => (self.dash_age_at_end(sign)?, Family::Valued),
        };
        Some(Trap {
            start: sign,
            end,
            family,
        })
    }

    /// The keyword-first match whose keyword is (or ends) the letter run ending at `end`, if any
    /// (see [`Self::lead_match`]).
    ///
    /// Inline, so that the many words that their last two bytes rule out cost no call.
    #[inline(always)]
    fn keyword_match(&mut self, low: usize, end: usize) -> Option<Trap> {
        // Most words before a number are no keyword, and their last two bytes tell so.
        let last = self.at(end - 1);
        let before_last = if end >= 2 { self.at(end - 2) } else { 0 };
        if !may_end_keyword(before_last, last) {
            return None;
        }
        self.keyword_match_from_run(low, end)
    }

    /// [`Self::keyword_match`] for a run whose last two bytes may end a keyword.
    #[inline(never)]
    fn keyword_match_from_run(&mut self, low: usize, end: usize) -> Option<Trap> {
        let run = self.letter_run_before(end, low)?;
        let (start, kind, keyword_end) = match run.key {
            // "id no. 5": the keyword is the run before "no" (over the first `\s?`).
            NO => {
                let start = run.start;
                let before = start - usize::from(start > 0 && is_space(self.at(start - 1)));
                let keyword = self.letter_run_before(before, low)?;
                if !keyword.boundary {
                    return None;
                }
                let (kind, keyword_end) = self.keyword_kind(&keyword, before);
                (keyword.start, kind, keyword_end)
            }
            AM | M => {
                let (start, spacer) = (run.start, if run.key == AM { b' ' } else { b'\'' });
                let i = start.checked_sub(2).filter(|&i| i >= low)?;
                let ok = self.text.get(i..start) == Some(&[b'i', spacer][..])
                    && (i == 0 || !is_word(self.at(i - 1)));
                if !ok {
                    return None;
                }
                (i, Keyword::Age, end)
            }
            _ if run.boundary => {
                let (kind, keyword_end) = self.keyword_kind(&run, end);
                (run.start, kind, keyword_end)
            }
            _ => return None,
        };
        let (end, family) = match kind {
            // Both with the look-ahead of a phone's first group ("qv 702 555 0143").
            Keyword::Amount => (
                self.keyword_amount(keyword_end, b"=-")
                    .filter(|&e| !phone_after(self.text, e))?,
                Family::Valued,
            ),
            Keyword::Slang => (
                self.keyword_amount(keyword_end, b"")
                    .filter(|&e| !phone_after(self.text, e))?,
                Family::Valued,
            ),
            Keyword::Code => (self.code_amount(start, keyword_end)?, Family::Valued),
            Keyword::Age => (self.keyword_age(keyword_end)?, Family::Valued),
            Keyword::Id => (self.keyword_id(keyword_end)?, Family::Plain),
            Keyword::None => return None,
        };
        Some(Trap { start, end, family })
    }

    /// The lowercase-letter run ending at `end` when it is 1..=[`KEYWORD_RUN`] long and starts
    /// at or after `low`.
    #[inline]
    fn letter_run_before(&self, end: usize, low: usize) -> Option<LetterRun> {
        if let Some(eight) = end.checked_sub(8).and_then(|s| self.text.get(s..end)) {
            // Eight bytes at once: count the lowercase ones from the top (the last byte).
            let word = word_of(eight);
            let len = ((!lowercase_bytes(word) & HIGH).leading_zeros() / 8) as usize;
            if len < 8 {
                if len == 0 || end - len < low {
                    return None;
                }
                // The byte before the run is in the word too.
                let before = (word >> (56 - 8 * len)) as u8;
                return Some(LetterRun {
                    start: end - len,
                    key: word >> (64 - 8 * len),
                    boundary: !is_word(before),
                });
            }
            // Eight letters: the one or two bytes before them tell whether the run is 8 or 9
            // long or longer than any keyword; the key is of the last eight either way.
            let byte_at = |i: Option<usize>| i.map_or(0, |i| self.at(i));
            let ninth = byte_at(end.checked_sub(9));
            let (len, before) = if is_lower(ninth) {
                (9, byte_at(end.checked_sub(10)))
            } else {
                (8, ninth)
            };
            if is_lower(before) || end - len < low {
                return None;
            }
            return Some(LetterRun {
                start: end - len,
                key: word,
                boundary: !is_word(before),
            });
        }
        self.letter_run_bytewise(end, low)
    }

    /// [`Self::letter_run_before`] near the start of the text.
    #[cold]
    #[inline(never)]
    fn letter_run_bytewise(&self, end: usize, low: usize) -> Option<LetterRun> {
        let len = (1..=end.min(KEYWORD_RUN + 1))
            .take_while(|&k| is_lower(self.at(end - k)))
            .count();
        let start = end - len;
        if !(1..=KEYWORD_RUN).contains(&len) || start < low {
            return None;
        }
        Some(LetterRun {
            start,
            key: word_key(&self.text[end.saturating_sub(8).max(start)..end]),
            boundary: start == 0 || !is_word(self.at(start - 1)),
        })
    }

    /// Which keyword `run` (ending at `end`) is, and where that keyword ends: before a glued
    /// "no" for IDs ("roomno.12").
    #[inline]
    fn keyword_kind(&self, run: &LetterRun, end: usize) -> (Keyword, usize) {
        let len = end - run.start;
        if len > 8 {
            return self.long_keyword_kind(run.start, end);
        }
        match keyword_of(run.key) {
            Keyword::None if len > 2 && run.key >> (8 * (len - 2)) == NO => {
                match keyword_of(run.key & ((1 << (8 * (len - 2))) - 1)) {
                    Keyword::Id => (Keyword::Id, end - 2),
                    _ => (Keyword::None, end),
                }
            }
            kind => (kind, end),
        }
    }

    /// [`Self::keyword_kind`] for a 9-letter run.
    #[cold]
    #[inline(never)]
    fn long_keyword_kind(&self, start: usize, end: usize) -> (Keyword, usize) {
        match &self.text[start..end] {
            b"donations" => (Keyword::Slang, end),
            b"overnight" => (Keyword::Amount, end),
            b"invoiceno" | b"listingno" => (Keyword::Id, end - 2),
            _ => (Keyword::None, end),
        }
    }

    /// The alternatives that start with a digit, in pattern order, at the digit `p` (whose run
    /// ends at `run_end`, and `before` which is the byte before, or 0).
    fn digit_alternatives(
        &mut self,
        p: usize,
        run_end: usize,
        before: u8,
    ) -> Option<(usize, Family)> {
        use Family::{Card, Grouped, Plain, Valued};
        let tag = |family: Family| move |end: usize| (end, family);
        if is_word(before) {
            // No `\b` here: only the unanchored percent can start.
            return self.percent(run_end).map(tag(Plain));
        }
        let n = run_end - p;
        let after = self.at(run_end);
        // \b[0-9]{4}(?:[ -]…  and  \b[0-9]{4}[ -][0-9]{6}…
        // Both go on with digits after the separator; a phone's last group mostly does not.
        if n == 4 && matches!(after, b' ' | b'-') && is_digit(self.at(run_end + 1)) {
            if let Some(found) = self.card_groups(p).or_else(|| self.amex(p).map(tag(Card))) {
                return Some(found);
            }
        }
        // \b[0-9]{13,19}\b
        if (13..=19).contains(&n) && !is_word(after) {
            return Some((run_end, Card));
        }
        if n == 8 && !is_word(after) {
            if let Some(end) = self.date_compact(p) {
                return Some((end, Plain));
            }
        }
        // The byte after the run decides which of the other alternatives can apply; they are
        // tried in pattern order within each group. Phone-number runs mostly stop here.
        // Read only by the arms that need them: most runs reach none of those.
        let text = self.text;
        let priced = || text[p] != b'0';
        let twenty_four = || n == 2 && text[p] == b'2' && text[p + 1] == b'4';
        match after {
            b'/' | b'.' | b'-' => {
                // The pair chain comes before the dates.
                if n <= 2 {
                    if let Some(end) = self.pair_chain(p, n) {
                        return Some((end, Grouped));
                    }
                }
                let date = match n {
                    1 | 2 => self.date_mdy(p, n),
                    4 => self.date_ymd(p),
                    _ => None,
                };
                date.map(tag(Plain))
                    .or_else(|| match after {
                        b'/' | b'-' if n == 2 => self.measurements(p).map(tag(Valued)),
                        _ => None,
                    })
                    .or_else(|| match after {
                        b'/' if (2..=4).contains(&n) && priced() => {
                            self.amount_unit(p, run_end).map(tag(Valued))
                        }
                        b'.' => self
                            .grouped_amount(p, n, run_end)
                            .map(tag(Valued))
                            .or_else(|| {
                                if n <= 4 {
                                    self.weight_unit(run_end).map(tag(Plain))
                                } else {
                                    None
                                }
                            }),
                        _ => None,
                    })
                    .or_else(|| {
                        if after == b'/' && twenty_four() {
                            self.twenty_four_seven(run_end).map(tag(Plain))
                        } else {
                            None
                        }
                    })
            }
            b':' if n <= 2 => self.clock(p, n).map(tag(Plain)),
            b',' => self.grouped_amount(p, n, run_end).map(tag(Valued)),
            b'%' => Some((run_end + 1, Plain)),
            b'$' | EURO_SIGN | POUND_SIGN if (2..=4).contains(&n) && priced() => {
                self.amount_sign(p, run_end).map(tag(Valued))
            }
            b'\'' if n == 1 => self.height(p).map(tag(Plain)),
            b'+' if n == 2 && priced() => self.age_plus(run_end).map(tag(Valued)),
            _ if is_space(after) || is_lower(after) => self.spaced_or_lettered(p, n, run_end),
            _ => None,
        }
    }

    /// The alternatives that can go on after a digit run with a space or a letter. They are
    /// told apart by the byte `c` after that optional space, and tried in pattern order among
    /// those that `c` allows: `[ap]m`, measurements with a cup size, heights, amounts before a
    /// currency sign, amounts with a unit, durations, ages, `18 +`, weights and counts,
    /// percents, `24 / 7`. No word of the unit lists starts with `a`, `p`, `f` or `y`.
    fn spaced_or_lettered(
        &mut self,
        p: usize,
        n: usize,
        run_end: usize,
    ) -> Option<(usize, Family)> {
        use Family::{Plain, Valued};
        let tag = |family: Family| move |end: usize| (end, family);
        // Read only by the arms that need it.
        let priced = || self.at(p) != b'0';
        let s = run_end + self.space(run_end);
        let c = self.at(s);
        let measured = |scanner: &Self| {
            if n == 2 {
                scanner.measurements(p).map(tag(Valued))
            } else {
                None
            }
        };
        match c {
            b'a' | b'p' => {
                let hour = if n <= 2 { self.hour_ampm(p, n) } else { None };
                hour.map(tag(Plain)).or_else(|| measured(self)).or_else(|| {
                    if (2..=4).contains(&n) && priced() {
                        self.hourly(p, run_end).map(tag(Valued))
                    } else {
                        None
                    }
                })
            }
            b'f' => measured(self).or_else(|| {
                if n == 1 {
                    self.height(p).map(tag(Plain))
                } else {
                    None
                }
            }),
            b'y' => measured(self).or_else(|| {
                if n == 2 && priced() {
                    self.age_suffix(run_end).map(tag(Valued))
                } else {
                    None
                }
            }),
            b'a'..=b'z' => measured(self).or_else(|| self.unit_word(s, n, p)),
            b'/' => measured(self)
                .or_else(|| {
                    if (2..=4).contains(&n) && priced() {
                        self.amount_unit(p, run_end).map(tag(Valued))
                    } else {
                        None
                    }
                })
                .or_else(|| {
                    if n == 2 && self.at(p) == b'2' && self.at(p + 1) == b'4' {
                        self.twenty_four_seven(run_end).map(tag(Plain))
                    } else {
                        None
                    }
                }),
            b'-' => measured(self),
            b'\'' if n == 1 => self.height(p).map(tag(Plain)),
            b'+' if n == 2 && priced() => self.age_plus(run_end).map(tag(Valued)),
            b'%' => Some((s + 1, Plain)),
            b'$' | EURO_SIGN | POUND_SIGN if (2..=4).contains(&n) && priced() => {
                self.amount_sign(p, run_end).map(tag(Valued))
            }
            _ => None,
        }
    }

    /// The unit word at `s` after an `n`-digit number at `p`, for the three alternatives that
    /// end with one, in pattern order:
    /// `\b[1-9][0-9]{1,3}\s?(?:/\s?)?(?:hhr|hh|hrs?|h|qv|qk|qq|ss|roses?|usd|dollars?|bucks|eur|euros?|gbp|quid)\b`,
    /// `\b[1-9][0-9]{0,2}\s?(?:hours?|mins?|minutes?)\b` and
    /// `\b[0-9]{1,4}(?:\.[0-9])?\s?(?:lbs?|kgs?|cm|mm|inches|stars?)\b` (without the decimal).
    fn unit_word(&self, s: usize, n: usize, p: usize) -> Option<(usize, Family)> {
        // The unit words start with one of these letters.
        if !matches!(
            self.at(s),
            b'b' | b'c'
                | b'd'
                | b'e'
                | b'g'
                | b'h'
                | b'i'
                | b'k'
                | b'l'
                | b'm'
                | b'q'
                | b'r'
                | b's'
                | b'u'
        ) {
            return None;
        }
        let end = self.word_end(s, 7)?;
        let word = &self.text[s..end];
        let priced = self.at(p) != b'0';
        // In pattern order: an amount and its unit, an amount by the hour (with its
        // look-behind), a duration; none of their words is in another's list.
        let amount = (2..=4).contains(&n)
            && ((is_amount_unit(word) && !phone_before(self.text, p))
                || (word == b"hourly" && !hourly_follows_a_number(self.text, p)));
        if priced && (amount || (n <= 3 && is_duration(word))) {
            Some((end, Family::Valued))
        } else if n <= 4 && is_weight_unit(word) {
            Some((end, Family::Plain))
        } else {
            None
        }
    }

    /// `\b[0-9]{4}(?:[ -][0-9]{4}){2,3}(?:[ -][0-9]{1,3})?\b` at a 4-digit run, and the match's
    /// family: three groups (12 digits, which no card has) are a card only when a fourth group
    /// of exactly four digits adjoins them, which the match could not take for a word character
    /// glued to it ("4111 1111 1111 1111cm", "im4111 1111 1111 1111"); otherwise they are a
    /// phone ("0151 2345 6789").
    fn card_groups(&self, p: usize) -> Option<(usize, Family)> {
        let mut ends = [p + 4; 4];
        let mut groups = 0;
        while groups < 3 {
            let q = ends[groups];
            if !matches!(self.at(q), b' ' | b'-') || self.digits_upto(q + 1, 4) < 4 {
                break;
            }
            groups += 1;
            ends[groups] = q + 5;
        }
        if groups < 2 {
            return None;
        }
        let q = ends[groups];
        // The optional tail: 1–3 digits then \b, so a run of exactly 1–3 digits.
        if matches!(self.at(q), b' ' | b'-') {
            let r = self.digits_upto(q + 1, 4);
            if (1..=3).contains(&r) && !is_word(self.at(q + 1 + r)) {
                return Some((q + 1 + r, Family::Card));
            }
        }
        if !is_word(self.at(q)) {
            // Four groups are a card. Three have no fourth after them here (the loop would
            // have taken it), so only one before them makes them part of a card.
            let family = if groups == 3 || self.group_of_four_before(p) {
                Family::Card
            } else {
                Family::Grouped
            };
            return Some((q, family));
        }
        // Backtrack to one group fewer: the next byte is that group's separator, a boundary
        // (its tail cannot match: four digits follow the separator). The fourth group is one
        // of four digits unless a digit is what ends it.
        let family = if !is_digit(self.at(q)) || self.group_of_four_before(p) {
            Family::Card
        } else {
            Family::Grouped
        };
        (groups == 3).then_some((ends[2], family))
    }

    /// Whether a run of exactly four digits and a space or `-` come right before `p`.
    fn group_of_four_before(&self, p: usize) -> bool {
        p >= 5
            && matches!(self.at(p - 1), b' ' | b'-')
            && (p - 5..p - 1).all(|i| is_digit(self.at(i)))
            && (p == 5 || !is_digit(self.at(p - 6)))
    }

    /// `\b[0-9]{4}[ -][0-9]{6}[ -][0-9]{5}\b` at a 4-digit run.
    fn amex(&self, p: usize) -> Option<usize> {
        let ok = matches!(self.at(p + 4), b' ' | b'-')
            && self.digits_upto(p + 5, 7) == 6
            && matches!(self.at(p + 11), b' ' | b'-')
            && self.digits_upto(p + 12, 5) == 5
            && !is_word(self.at(p + 17));
        ok.then_some(p + 17)
    }

    /// `\b[0-9]{1,2}(?:(?:/[0-9]{2}){3,}|(?:\.[0-9]{2}){3,}|(?:-[0-9]{2}){3,})\b` at an
    /// `n`-digit run (`n` ≤ 2) followed by one of the separators, which then joins every group.
    /// The greedy parse takes every group that is a whole run of two digits (of a longer run,
    /// the regex gives back the group it took, for want of a `\b` or a separator after it); if
    /// the last one is followed by a letter or `_` there is no `\b` either, and that group is
    /// given back too (the separator before it is a boundary).
    fn pair_chain(&self, p: usize, n: usize) -> Option<usize> {
        let mut groups = 1;
        let (mut previous_end, mut end) = (p, p + n);
        let separator = self.at(end);
        while self.at(end) == separator {
            if self.digits_upto(end + 1, 3) != 2 {
                break;
            }
            groups += 1;
            (previous_end, end) = (end, end + 3);
        }
        if !is_word(self.at(end)) {
            (groups >= 4).then_some(end)
        } else {
            (groups >= 5).then_some(previous_end)
        }
    }

    /// `\b(?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12][0-9]|3[01])[/.-](?:[0-9]{4}|[0-9]{2})\b` at an
    /// `n`-digit run (`n` ≤ 2): the month and day are whole runs, the year a run of 4 or 2.
    fn date_mdy(&self, p: usize, n: usize) -> Option<usize> {
        if !is_month(&self.text[p..p + n]) || !matches!(self.at(p + n), b'/' | b'.' | b'-') {
            return None;
        }
        let day = p + n + 1;
        let day_len = self.digits_upto(day, 3);
        if !is_day(self.text.get(day..day + day_len)?)
            || !matches!(self.at(day + day_len), b'/' | b'.' | b'-')
        {
            return None;
        }
        let year = day + day_len + 1;
        let year_len = self.digits_upto(year, 5);
        (matches!(year_len, 2 | 4) && !is_word(self.at(year + year_len))).then_some(year + year_len)
    }

    /// `\b(?:19|20)[0-9]{2}[/.-](?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12][0-9]|3[01])\b` at a
    /// 4-digit run.
    fn date_ymd(&self, p: usize) -> Option<usize> {
        if !matches!(&self.text[p..p + 2], b"19" | b"20")
            || !matches!(self.at(p + 4), b'/' | b'.' | b'-')
        {
            return None;
        }
        let month = p + 5;
        let month_len = self.digits_upto(month, 3);
        if !is_month(self.text.get(month..month + month_len)?)
            || !matches!(self.at(month + month_len), b'/' | b'.' | b'-')
        {
            return None;
        }
        let day = month + month_len + 1;
        let day_len = self.digits_upto(day, 3);
        (is_day(self.text.get(day..day + day_len)?) && !is_word(self.at(day + day_len)))
            .then_some(day + day_len)
    }

    /// The 8-digit `yyyymmdd` or `mmddyyyy` alternative, at an 8-digit run followed by `\b`.
    fn date_compact(&self, p: usize) -> Option<usize> {
        let s = &self.text[p..p + 8];
        let century = |c: &[u8]| matches!(c, b"19" | b"20");
        let month = |m: &[u8]| m.len() == 2 && is_month(m);
        let day = |d: &[u8]| d.len() == 2 && is_day(d);
        let ymd = century(&s[..2]) && month(&s[4..6]) && day(&s[6..]);
        let mdy = month(&s[..2]) && day(&s[2..4]) && century(&s[4..6]);
        (ymd || mdy).then_some(p + 8)
    }

    /// `\b(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?:\s?[ap]\.?m\b\.?)?` at an `n`-digit run (no `\b`
    /// after the minutes: "12:345" matches "12:34").
    fn clock(&self, p: usize, n: usize) -> Option<usize> {
        let hour_ok = n == 1
            || matches!(self.at(p), b'0' | b'1')
            || (self.at(p) == b'2' && matches!(self.at(p + 1), b'0'..=b'3'));
        let minutes = p + n + 1;
        let ok = hour_ok
            && self.at(p + n) == b':'
            && matches!(self.at(minutes), b'0'..=b'5')
            && is_digit(self.at(minutes + 1));
        ok.then(|| self.ampm(minutes + 2).unwrap_or(minutes + 2))
    }

    /// `\b(?:1[0-2]|0?[1-9])\s?[ap]\.?m\b\.?` at an `n`-digit run.
    fn hour_ampm(&self, p: usize, n: usize) -> Option<usize> {
        let hour_ok = match n {
            1 => self.at(p) != b'0',
            _ => {
                matches!(&self.text[p..p + 2], b"10" | b"11" | b"12")
                    || (self.at(p) == b'0' && self.at(p + 1) != b'0')
            }
        };
        if hour_ok {
            self.ampm(p + n)
        } else {
            None
        }
    }

    /// `\s?[ap]\.?m\b\.?` at `i`.
    fn ampm(&self, i: usize) -> Option<usize> {
        let s = i + self.space(i);
        if !matches!(self.at(s), b'a' | b'p') {
            return None;
        }
        let m = s + 1 + usize::from(self.at(s + 1) == b'.');
        if self.at(m) != b'm' || is_word(self.at(m + 1)) {
            return None;
        }
        Some(m + 1 + usize::from(self.at(m + 1) == b'.'))
    }

    /// `\b[0-9]{2}[a-z]{0,3}\s?[-/]\s?[0-9]{2}\s?[-/]\s?[0-9]{2}\b` at a 2-digit run.
    fn measurements(&self, p: usize) -> Option<usize> {
        let mut letters = 0;
        while letters < 4 && is_lower(self.at(p + 2 + letters)) {
            letters += 1;
        }
        // A fourth letter would stand where the separator must be, at every backtrack.
        if letters > 3 {
            return None;
        }
        let second = self.slash_or_dash(p + 2 + letters)?;
        if self.digits_upto(second, 2) < 2 {
            return None;
        }
        let third = self.slash_or_dash(second + 2)?;
        (self.digits_upto(third, 2) == 2 && !is_word(self.at(third + 2))).then_some(third + 2)
    }

    /// `\s?[-/]\s?` at `i`: where the next part starts.
    fn slash_or_dash(&self, i: usize) -> Option<usize> {
        let s = i + self.space(i);
        matches!(self.at(s), b'-' | b'/').then(|| s + 1 + self.space(s + 1))
    }

    /// The two height alternatives at a 1-digit run:
    /// `\b[4-7]\s?'\s?(?:1[01]|[0-9])\b(?:\s?(?:"|''))?` and
    /// `\b[4-7]\s?(?:ft|feet)\s?(?:1[01]|[0-9])\b(?:\s?(?:in|inches)\b)?`.
    fn height(&self, p: usize) -> Option<usize> {
        if !matches!(self.at(p), b'4'..=b'7') {
            return None;
        }
        let s = p + 1 + self.space(p + 1);
        if self.at(s) == b'\'' {
            let i = s + 1 + self.space(s + 1);
            if let Some(end) = self.inches(i) {
                let q = end + self.space(end);
                return Some(match (self.at(q), self.at(q + 1)) {
                    (b'"', _) => q + 1,
                    (b'\'', b'\'') => q + 2,
                    _ => end,
                });
            }
        }
        let unit = if self.starts_with(s, b"ft") {
            s + 2
        } else if self.starts_with(s, b"feet") {
            s + 4
        } else {
            return None;
        };
        let end = self.inches(unit + self.space(unit))?;
        let q = end + self.space(end);
        let tail = self
            .word_end(q, 6)
            .filter(|&w| matches!(&self.text[q..w], b"in" | b"inches"));
        Some(tail.unwrap_or(end))
    }

    /// `(?:1[01]|[0-9])\b` at `i`: a digit run of 1, or of 2 reading 10 or 11.
    fn inches(&self, i: usize) -> Option<usize> {
        let len = self.digits_upto(i, 3);
        let ok = match len {
            1 => true,
            2 => self.at(i) == b'1' && matches!(self.at(i + 1), b'0' | b'1'),
            _ => false,
        };
        (ok && !is_word(self.at(i + len))).then_some(i + len)
    }

    /// `\b[1-9][0-9]{1,3}\s?(?:/\s?)?(?:hhr|hh|hrs?|h|qv|qk|qq|ss|roses?|usd|dollars?|bucks|eur|euros?|gbp|quid)\b`
    /// for the amount from `p` to `i` (a 2–4 digit run, or a grouped amount), with the look-behind
    /// of a phone's last group ([`phone_before`]: "702 555 1143 hh").
    fn amount_unit(&self, p: usize, i: usize) -> Option<usize> {
        if phone_before(self.text, p) {
            return None;
        }
        let mut w = i + self.space(i);
        if self.at(w) == b'/' {
            w += 1 + self.space(w + 1);
        }
        let end = self.word_end(w, 7)?;
        is_amount_unit(&self.text[w..end]).then_some(end)
    }

    /// `\b[1-9][0-9]\s?(?:yo|y/o|y\.o\.?|yrs?|years?)(?:\s?old)?\b` after a 2-digit run ending
    /// at `i`.
    fn age_suffix(&self, i: usize) -> Option<usize> {
        let y = i + self.space(i);
        if self.at(y) != b'y' {
            return None;
        }
        match self.at(y + 1) {
            b'o' => self.old_then_boundary(y + 2),
            b'/' if self.at(y + 2) == b'o' => self.old_then_boundary(y + 3),
            // `\.?` takes the second dot first; giving it back always ends the match at a
            // boundary ("o" then ".").
            b'.' if self.at(y + 2) == b'o' => {
                if self.at(y + 3) == b'.' {
                    self.old_then_boundary(y + 4)
                        .or_else(|| self.old_then_boundary(y + 3))
                } else {
                    self.old_then_boundary(y + 3)
                }
            }
            // `s?` given back leaves "r" before "s": no boundary, so only the greedy end counts.
            b'r' => self.old_then_boundary(y + 2 + usize::from(self.at(y + 2) == b's')),
            b'e' if self.starts_with(y + 2, b"ar") => {
                self.old_then_boundary(y + 4 + usize::from(self.at(y + 4) == b's'))
            }
            _ => None,
        }
    }

    /// `(?:\s?old)?\b` at `t`.
    fn old_then_boundary(&self, t: usize) -> Option<usize> {
        let o = t + self.space(t);
        if self.starts_with(o, b"old") && !is_word(self.at(o + 3)) {
            return Some(o + 3);
        }
        self.boundary(t).then_some(t)
    }

    /// `\b[1-9][0-9]\s?\+(?:[^0-9]|$)` after a 2-digit run ending at `i`; the byte after `+`
    /// (any non-digit, newline included) is part of the match.
    fn age_plus(&self, i: usize) -> Option<usize> {
        let plus = i + self.space(i);
        if self.at(plus) != b'+' {
            return None;
        }
        match self.text.get(plus + 1) {
            None => Some(plus + 1),
            Some(&b) if !is_digit(b) => Some(plus + 2),
            Some(_) => None,
        }
    }

    /// `\b[0-9]{1,4}(?:\.[0-9])?\s?(?:lbs?|kgs?|cm|mm|inches|stars?)\b` after a 1–4 digit run
    /// ending at `i`.
    fn weight_unit(&self, i: usize) -> Option<usize> {
        let mut w = i;
        if self.at(w) == b'.' && is_digit(self.at(w + 1)) {
            w += 2;
        }
        w += self.space(w);
        let end = self.word_end(w, 6)?;
        is_weight_unit(&self.text[w..end]).then_some(end)
    }

    /// `[0-9]+\s?%` for a digit run ending at `i` (the run can only match whole).
    fn percent(&self, i: usize) -> Option<usize> {
        match (self.at(i), self.at(i + 1)) {
            (b'%', _) => Some(i + 1),
            (s, b'%') if is_space(s) => Some(i + 2),
            _ => None,
        }
    }

    /// `\b24\s?/\s?7\b` after the run "24" ending at `i`.
    fn twenty_four_seven(&self, i: usize) -> Option<usize> {
        let s = i + self.space(i);
        if self.at(s) != b'/' {
            return None;
        }
        let seven = s + 1 + self.space(s + 1);
        (self.at(seven) == b'7' && !is_word(self.at(seven + 1))).then_some(seven + 1)
    }

    /// `[$€£]\s?[0-9][0-9,]{0,6}(?:\.[0-9]{2})?` then the [`Self::price_tail`], at the sign at
    /// `p`. Everything after the first digit is optional, so the greedy parse is the match.
    fn sign_price(&self, p: usize) -> Option<usize> {
        let first = p + 1 + self.space(p + 1);
        if !is_digit(self.at(first)) {
            return None;
        }
        let mut i = first + 1;
        let mut more = 0;
        while more < 6 && matches!(self.at(i), b'0'..=b'9' | b',') {
            i += 1;
            more += 1;
        }
        while self.at(i) == b'.' && self.digits_upto(i + 1, 3) == 3 && !is_word(self.at(i + 4)) {
            i += 4;
        }
        if matches!(self.at(i), b'.' | b',') && is_digit(self.at(i + 1)) && is_digit(self.at(i + 2))
        {
            i += 3;
        }
        Some(self.price_tail(i))
    }

    /// `\b[1-9][0-9]{1,3}\s?[$€£]` then the [`Self::price_tail`], for the 2–4 digit run (not
    /// starting with 0) from `p` to `i`: a sign written after its amount ("120€", "100 $"). Two
    /// look-arounds keep it off signs and digits that are not its own:
    /// - `(?<![0-9][\s./)-])` before the amount: a number right after another and one
    ///   separator is the last group of a phone ("555 3347 $", "06 12 34 56 78 €"), whose digits
    ///   must stay the phone's;
    /// - `(?!\s?[1-9][0-9]+)` after the sign: the sign is that next amount's, written first as
    ///   `$` and `£` are ("call 555 2142 $150hh"); but `€` is written after its amount, so for
    ///   it a duration in minutes, or an amount with a `€` of its own, does not count,
    ///   `(?!\s?[1-9][0-9]+(?!\s?(?:min|€)))` ("120€ 30min", "100 € 150 €").
    ///   A number starting with 0 is a phone, no amount ("120€ 0612345678").
    fn amount_sign(&self, p: usize, i: usize) -> Option<usize> {
        let sign = i + self.space(i);
        let mark = self.at(sign);
        if !is_currency_sign(mark) || follows_a_number(self.text, p) {
            return None;
        }
        let next = sign + 1 + self.space(sign + 1);
        if matches!(self.at(next), b'1'..=b'9') && is_digit(self.at(next + 1)) {
            let end = self.run_end(next);
            let after = end + self.space(end);
            let euro = mark == EURO_SIGN
                && (self.starts_with(after, b"min") || self.at(after) == EURO_SIGN);
            if !euro {
                return None;
            }
        }
        Some(self.price_tail(sign + 1))
    }

    /// The optional unit after a signed amount ending at `i`, and where the match ends:
    /// `(?:\s?(?:/\s?|per\s)?(?:hhr|hh|hrs?|hours?|h|qv|qk|qq|ss|mins?|overnight|ovn|roses?)\b)?`.
    fn price_tail(&self, i: usize) -> usize {
        let mut w = i + self.space(i);
        if self.at(w) == b'/' {
            w += 1 + self.space(w + 1);
        } else if self.starts_with(w, b"per") && is_space(self.at(w + 3)) {
            w += 4;
        }
        let unit = self.word_end(w, 9).filter(|&end| {
            matches!(
                &self.text[w..end],
                b"hhr"
                    | b"hh"
                    | b"hrs"
                    | b"hr"
                    | b"hours"
                    | b"hour"
                    | b"h"
                    | b"qv"
                    | b"qk"
                    | b"qq"
                    | b"ss"
                    | b"mins"
                    | b"min"
                    | b"overnight"
                    | b"ovn"
                    | b"roses"
                    | b"rose"
                    | b"hourly"
            )
        });
        unit.or_else(|| self.an_hour(i)).unwrap_or(i)
    }

    /// `\s?an?\s(?:hour|hr)\b` at `i`: "a hour", "an hr".
    fn an_hour(&self, i: usize) -> Option<usize> {
        let a = i + self.space(i);
        if self.at(a) != b'a' {
            return None;
        }
        self.hour_after(a + 1 + usize::from(self.at(a + 1) == b'n'))
    }

    /// `\s(?:hour|hr)\b` at `i`: its end.
    fn hour_after(&self, i: usize) -> Option<usize> {
        if !is_space(self.at(i)) {
            return None;
        }
        let end = self.word_end(i + 1, 4)?;
        matches!(&self.text[i + 1..end], b"hour" | b"hr").then_some(end)
    }

    /// `\s?(?:(?:per|an?)\s(?:hour|hr)|hourly)\b` after the amount from `p` to `i`, with the
    /// look-behind of [`Self::amount_sign`] (a phone's last group: "555 1143 an hour before").
    fn hourly(&self, p: usize, i: usize) -> Option<usize> {
        let w = i + self.space(i);
        let word = self.word_end(w, 6)?;
        let end = match &self.text[w..word] {
            b"hourly" => word,
            b"per" | b"an" | b"a" => self.hour_after(word)?,
            _ => return None,
        };
        (!hourly_follows_a_number(self.text, p)).then_some(end)
    }

    /// The end of the thousands groups (`.` or `,` and exactly three digits, the last possibly
    /// of a longer run) from `i`, and how many there are. The groups that a later run of the
    /// same chain starts are read once: the chain's end is kept.
    fn groups_from(&mut self, i: usize) -> (usize, usize) {
        let (from, end) = self.groups;
        if from <= i && i <= end && (i - from).is_multiple_of(4) {
            return (end, (end - i) / 4);
        }
        let mut end = i;
        while matches!(self.at(end), b'.' | b',') && self.digits_upto(end + 1, 3) == 3 {
            end += 4;
        }
        self.groups = (i, end);
        (end, (end - i) / 4)
    }

    /// Cents at `i`: `[.,][0-9]{2}`, and where they end.
    fn cents(&self, i: usize) -> Option<usize> {
        (matches!(self.at(i), b'.' | b',') && self.digits_upto(i + 1, 2) == 2).then_some(i + 3)
    }

    /// The end of `(?:[1-9][0-9]{0,2}(?:[.,][0-9]{3})+|[1-9][0-9]{1,3})(?:[.,][0-9]{2})?` at the
    /// `n`-digit run from `p` to `run_end` where what follows must start with `\s`, a sign, `/`
    /// or a letter. Only one end can be followed so: past every group (a shorter grouping, or
    /// cents taken out of a group, leave a separator or a digit next), with the cents after it
    /// if there are (without them a separator is next).
    fn amount_end(&mut self, p: usize, n: usize, run_end: usize) -> Option<usize> {
        if self.at(p) == b'0' {
            return None;
        }
        let (groups_end, groups) = self.groups_from(run_end);
        let end = if n <= 3 && groups > 0 {
            groups_end
        } else if (2..=4).contains(&n) {
            run_end
        } else {
            return None;
        };
        Some(self.cents(end).unwrap_or(end))
    }

    /// The same amount then `\b`, at `i`, where more ends can be followed so, tried in the
    /// regex's order: past every group with cents and without, past all groups but the last
    /// (a separator follows), then the plain digits with cents and without.
    fn amount_then_boundary(&mut self, i: usize) -> Option<usize> {
        if !matches!(self.at(i), b'1'..=b'9') {
            return None;
        }
        let run_end = self.run_end(i);
        let n = run_end - i;
        let bounded = |scanner: &Self, end: usize| !is_word(scanner.at(end));
        if n <= 3 {
            let (end, groups) = self.groups_from(run_end);
            if groups > 0 {
                if let Some(cents) = self.cents(end).filter(|&c| bounded(self, c)) {
                    return Some(cents);
                }
                if bounded(self, end) {
                    return Some(end);
                }
                if groups >= 2 {
                    return Some(end - 4);
                }
            }
        }
        if (2..=4).contains(&n) {
            if let Some(cents) = self.cents(run_end).filter(|&c| bounded(self, c)) {
                return Some(cents);
            }
            if bounded(self, run_end) {
                return Some(run_end);
            }
        }
        None
    }

    /// An amount with `.` or `,` in it (thousands, cents) at the `n`-digit run from `p` to
    /// `run_end`, then a sign, a unit or "per hour" (the alternatives that [`Self::amount_sign`],
    /// [`Self::amount_unit`] and [`Self::hourly`] read after a plain amount), in pattern order.
    fn grouped_amount(&mut self, p: usize, n: usize, run_end: usize) -> Option<usize> {
        let end = self.amount_end(p, n, run_end)?;
        if end == run_end {
            return None;
        }
        let s = end + self.space(end);
        if is_currency_sign(self.at(s)) {
            if let Some(found) = self.amount_sign(p, end) {
                return Some(found);
            }
        }
        self.amount_unit(p, end).or_else(|| self.hourly(p, end))
    }

    /// `\s?:?\s?` then the amount and `\b` ([`Self::amount_then_boundary`]) after a currency
    /// code from `start` to `q`, with look-arounds: no digit within three bytes that are no
    /// letter or digit after the amount or before the code ("usd 336) 555) 0122",
    /// "5317524 usd 954": a number that close is likely a phone's group), and no age suffix
    /// (`y`) after the amount ("usd 16 years old" is an age).
    fn code_amount(&mut self, start: usize, q: usize) -> Option<usize> {
        let mut i = q + self.space(q);
        if self.at(i) == b':' {
            i += 1;
        }
        i += self.space(i);
        let end = self.amount_then_boundary(i)?;
        // Past the end of the text `at` reads 0, which is no digit and ends the search.
        let other = |b: u8| !is_lower(b) && !is_digit(b);
        let mut k = end;
        while k < end + 3 && k < self.text.len() && other(self.at(k)) {
            k += 1;
        }
        if is_digit(self.at(k)) {
            return None;
        }
        let mut k = start;
        while k > start.saturating_sub(3) && other(self.at(k - 1)) {
            k -= 1;
        }
        // An age suffix after the amount ("usd 16 years old") is the age alternative's.
        let age = self.at(end + self.space(end)) == b'y';
        let phone = age || (k > 0 && is_digit(self.at(k - 1)));
        (!phone).then_some(end)
    }

    /// `#\s?[0-9]+` at the `#` at `p`.
    fn hash_id(&self, p: usize) -> Option<usize> {
        let first = p + 1 + self.space(p + 1);
        if !is_digit(self.at(first)) {
            return None;
        }
        Some(self.run_end(first))
    }

    /// `\s-\s?[1-9][0-9]\s*$` at the space at `p`: a trailing " - 25" title age.
    fn dash_age_at_end(&mut self, p: usize) -> Option<usize> {
        if self.at(p + 1) != b'-' {
            return None;
        }
        let age = p + 2 + self.space(p + 2);
        let ok = matches!(self.at(age), b'1'..=b'9')
            && is_digit(self.at(age + 1))
            && self.only_space_from(age + 2);
        ok.then_some(self.text.len())
    }

    /// `\s?[:…]?\s?[$€£]?[1-9][0-9]{1,3}\b` after a price keyword ending at `q`; `:` and `extra`
    /// are the accepted separators.
    fn keyword_amount(&self, q: usize, extra: &[u8]) -> Option<usize> {
        let mut i = q + self.space(q);
        let sep = self.at(i);
        if sep == b':' || extra.contains(&sep) {
            i += 1;
        }
        i += self.space(i);
        if is_currency_sign(self.at(i)) {
            i += 1;
        }
        let len = self.digits_upto(i, 5);
        let ok = matches!(self.at(i), b'1'..=b'9')
            && (2..=4).contains(&len)
            && !is_word(self.at(i + len));
        ok.then_some(i + len)
    }

    /// `\s?:?\s?[1-9][0-9]\b` after an age keyword ending at `q`.
    fn keyword_age(&self, q: usize) -> Option<usize> {
        let mut i = q + self.space(q);
        if self.at(i) == b':' {
            i += 1;
        }
        i += self.space(i);
        let ok = matches!(self.at(i), b'1'..=b'9')
            && self.digits_upto(i, 3) == 2
            && !is_word(self.at(i + 2));
        ok.then_some(i + 2)
    }

    /// `\s?(?:#|no\.?|:)?\s?[0-9]+\b` after an ID keyword ending at `q`.
    fn keyword_id(&self, q: usize) -> Option<usize> {
        let mut i = q + self.space(q);
        match self.at(i) {
            b'#' | b':' => i += 1,
            b'n' if self.at(i + 1) == b'o' => i += 2 + usize::from(self.at(i + 2) == b'.'),
            _ => {}
        }
        i += self.space(i);
        if !is_digit(self.at(i)) {
            return None;
        }
        let end = self.run_end(i);
        (!is_word(self.at(end))).then_some(end)
    }
}

impl Iterator for Scanner<'_> {
    type Item = Trap;

    fn next(&mut self) -> Option<Trap> {
        let trap = self.find_from(self.pos)?;
        self.pos = trap.end;
        Some(trap)
    }
}

/// `0?[1-9]|1[0-2]` as a whole digit run.
fn is_month(m: &[u8]) -> bool {
    matches!(m, [b'1'..=b'9'] | [b'0', b'1'..=b'9'] | [b'1', b'0'..=b'2'])
}

/// `0?[1-9]|[12][0-9]|3[01]` as a whole digit run.
fn is_day(d: &[u8]) -> bool {
    matches!(
        d,
        [b'1'..=b'9'] | [b'0', b'1'..=b'9'] | [b'1' | b'2', b'0'..=b'9'] | [b'3', b'0' | b'1']
    )
}

fn is_amount_unit(word: &[u8]) -> bool {
    matches!(
        word,
        b"hhr"
            | b"hh"
            | b"hrs"
            | b"hr"
            | b"h"
            | b"qv"
            | b"qk"
            | b"qq"
            | b"ss"
            | b"roses"
            | b"rose"
            | b"usd"
            | b"dollars"
            | b"dollar"
            | b"bucks"
            | b"eur"
            | b"euros"
            | b"euro"
            | b"gbp"
            | b"quid"
    )
}

fn is_duration(word: &[u8]) -> bool {
    matches!(
        word,
        b"hours" | b"hour" | b"mins" | b"min" | b"minutes" | b"minute"
    )
}

fn is_weight_unit(word: &[u8]) -> bool {
    matches!(
        word,
        b"lbs" | b"lb" | b"kgs" | b"kg" | b"cm" | b"mm" | b"inches" | b"stars" | b"star"
    )
}

/// What a keyword introduces; each kind is one keyword-first alternative:
/// - `\b(?:qv|qk|qq|hhr|hh|hr|h|ss|half|hour|overnight|ovn)\s?[:=-]?\s?[$€£]?[1-9][0-9]{1,3}\b`
/// - `\b(?:donations?|roses)\s?:?\s?[$€£]?[1-9][0-9]{1,3}\b`
/// - `\b(?:i'?m|i am|age|aged)\s?:?\s?[1-9][0-9]\b`
/// - `\b(?:id|ref|order|case|zip|room|rm|apt|suite|ste|unit|invoice|ticket|listing|post)\s?(?:#|no\.?|:)?\s?[0-9]+\b`
///
/// The keyword sets are disjoint and a keyword is always a whole letter run (it is followed by
/// a separator or digit, or for IDs by "no"), so the run decides which alternative applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Keyword {
    None,
    Amount,
    Slang,
    Code,
    Age,
    Id,
}

/// The keywords of at most 8 letters ("donations" and "overnight" are told apart by
/// [`Scanner::keyword_kind`]; "i'm" and "i am" by [`Scanner::keyword_match`]).
const KEYWORDS: [(&[u8], Keyword); 34] = [
    (b"qv", Keyword::Amount),
    (b"qk", Keyword::Amount),
    (b"qq", Keyword::Amount),
    (b"hhr", Keyword::Amount),
    (b"hh", Keyword::Amount),
    (b"hr", Keyword::Amount),
    (b"h", Keyword::Amount),
    (b"ss", Keyword::Amount),
    (b"half", Keyword::Amount),
    (b"hour", Keyword::Amount),
    (b"ovn", Keyword::Amount),
    (b"donation", Keyword::Slang),
    (b"roses", Keyword::Slang),
    (b"usd", Keyword::Code),
    (b"eur", Keyword::Code),
    (b"gbp", Keyword::Code),
    (b"im", Keyword::Age),
    (b"age", Keyword::Age),
    (b"aged", Keyword::Age),
    (b"id", Keyword::Id),
    (b"ref", Keyword::Id),
    (b"order", Keyword::Id),
    (b"case", Keyword::Id),
    (b"zip", Keyword::Id),
    (b"room", Keyword::Id),
    (b"rm", Keyword::Id),
    (b"apt", Keyword::Id),
    (b"suite", Keyword::Id),
    (b"ste", Keyword::Id),
    (b"unit", Keyword::Id),
    (b"invoice", Keyword::Id),
    (b"ticket", Keyword::Id),
    (b"listing", Keyword::Id),
    (b"post", Keyword::Id),
];

/// A run of lowercase letters that may be a keyword.
struct LetterRun {
    start: usize,
    /// The [`word_key`] of its last (at most) eight letters.
    key: u64,
    /// Whether `\b` holds before it.
    boundary: bool,
}

/// The runs [`Scanner::keyword_match`] looks up end with one of these: every keyword, "donations"
/// and "overnight", "no" (alone before a number, or glued to an ID keyword), "am" and "m" (of
/// "i am" and "i'm").
const KEYWORD_ENDINGS: [&[u8]; 5] = [b"donations", b"overnight", b"no", b"am", b"m"];

/// For each last letter, the letters that may come before it in a run that
/// [`Scanner::keyword_match`] can accept; bit 26 stands for "no letter" (a one-letter run).
static ENDINGS: [u32; 26] = {
    let mut table = [0u32; 26];
    let mut i = 0;
    while i < KEYWORDS.len() + KEYWORD_ENDINGS.len() {
        let word = if i < KEYWORDS.len() {
            KEYWORDS[i].0
        } else {
            KEYWORD_ENDINGS[i - KEYWORDS.len()]
        };
        let last = (word[word.len() - 1] - b'a') as usize;
        let before = if word.len() >= 2 {
            word[word.len() - 2] - b'a'
        } else {
            26
        };
        table[last] |= 1 << before;
        i += 1;
    }
    table
};

/// Whether a lowercase run ending in `before_last`, `last` may be a keyword or lead to one.
fn may_end_keyword(before_last: u8, last: u8) -> bool {
    let before = if is_lower(before_last) {
        before_last - b'a'
    } else {
        26
    };
    ENDINGS
        .get(usize::from(last.wrapping_sub(b'a')))
        .is_some_and(|&mask| mask & (1 << before) != 0)
}

/// A word of at most 8 bytes as an integer, its bytes little-endian: distinct words (no NUL
/// bytes) have distinct keys.
const fn word_key(word: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = word.len();
    while i > 0 {
        i -= 1;
        key = (key << 8) | word[i] as u64;
    }
    key
}

const NO: u64 = word_key(b"no");
const AM: u64 = word_key(b"am");
const M: u64 = word_key(b"m");

/// Multiplicative hashing of the keys into 128 slots without collisions, so one multiply and
/// one comparison tell a keyword; the table below is checked at compile time.
const KEY_MAGIC: u64 = 0xca02_135e_92b1_d3f3;

const fn key_slot(key: u64) -> usize {
    (key.wrapping_mul(KEY_MAGIC) >> 57) as usize
}

static KEYWORD_SLOTS: [(u64, Keyword); 128] = {
    let mut slots = [(0u64, Keyword::None); 128];
    let mut i = 0;
    while i < KEYWORDS.len() {
        let key = word_key(KEYWORDS[i].0);
        let slot = key_slot(key);
        assert!(
            slots[slot].0 == 0,
            "two keywords share a slot: choose another KEY_MAGIC"
        );
        slots[slot] = (key, KEYWORDS[i].1);
        i += 1;
    }
    slots
};

/// The keyword whose [`word_key`] is `key`.
fn keyword_of(key: u64) -> Keyword {
    match KEYWORD_SLOTS.get(key_slot(key)) {
        Some(&(k, kind)) if k == key => kind,
        _ => Keyword::None,
    }
}
