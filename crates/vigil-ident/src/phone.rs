//! Phone numbers (design §1, §4 steps 8–13): tokens of the folded text become digit groups
//! (digits, number words, leetspeak, homophones, look-alikes), groups join clusters across
//! separators and at most two words, and each cluster is segmented left-first into numbers that
//! validate. Every hit keeps its byte spans in the original text and the tricks it undid.
//!
//! Repeat words (`double`, `triple`, Spanish `doble`, `triple`) multiply the digit after them
//! inside a number (`convert_repeats`): `702 double five 5 0143` is 702 55 5 0143, `triple
//! siete` 777, `double oh` 00. A repeat word `R` converts when both hold:
//! - the item right after it, with only spaces or hyphens between, is one digit `D`: a
//!   one-digit token (`5`, `𝟓`), a one-digit number word (`five`, `cero`, `f1ve`), or `oh`/`o`,
//!   which then converts to 0 with it (not the look-alikes `l`, `i`);
//! - and it is inside a number: the item right after `D` is numeric (a digit group or a number
//!   word that converted) or a repeat word that converts (`triple seven double five 5 0143`);
//!   or `D` is spelled (a word, `oh`) and the item right before `R` is numeric (`702 555 01
//!   double four`, `seven oh two double five …`). Only spaces, hyphens, dots or brackets may
//!   stand between that numeric item and `D` or `R`.
//!
//! `R` then reads as `D` written once less (`double five`: a `5` from `double`, a `5` from
//! `five`), a group of its own with the `word` kind, so the groups are those of the digits
//! written out (`double five` groups as `5 5`). Prose keeps its words: `double session 200`,
//! `triple the fun`, `double room` (no digit after the word) and `double 5 star hotel` (a
//! numeral with no number after it, even right after one) give no digits. Ambiguous words
//! (`for`, `to`) are decided before repeat words, which are never their numeric neighbour; a
//! repeat word glued to its digit (`doublefive`, `double5`) is not read. The tokenizer tells a
//! repeat word from prose with the look-up it makes anyway on a token's first three letters
//! (`words::Trie::is_prose`); only tokens starting `dou`, `dob` or
//! `tri` take a whole-token walk, and the later pass runs only for texts with a repeat word.
//!
//! A word for hundreds writes the two digits after its unit (`convert_hundreds`, after the
//! tens are merged): `hundred` after a one-digit unit (`seven hundred two` is 7 02, `five
//! hundred fifty five` 5 55, `seven hundred` 7 00), and the Spanish words that hold their unit
//! (`setecientos dos` 702, `quinientos cincuenta y cinco` 555, `cien` 100). They too are no
//! prose to the tokenizer (their first three letters take the whole-token walk); `hundred`
//! stays one inert word where no unit comes before it (`a hundred roses`).

use std::fmt;
use std::ops::Range;

use crate::fold::{Folded, LOOK, UNI};
use crate::region::{is_calling_code, parse_international, Region, E164};
use crate::swar::{lowercase_bytes, word_at, HIGH};
use crate::words::{
    hundreds_word, lookup, probe, repeat_times, trie, unit_value, unit_word_value, Piece, Probe,
    Segmenter, WordInfo, WordKind,
};
use crate::Span;

/// One trick undone to read a number (design §1 `kinds`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneKind {
    /// Odd separators, single-digit spacing, run-on digits, non-standard grouping.
    Sep,
    /// Non-ASCII digit forms.
    Uni,
    /// Number words in any language.
    Word,
    Leet,
    /// Homophones (`for`, `to`).
    Homo,
    /// Letter look-alikes (`O`, `l`, `I`, `|`).
    Look,
    /// Word tokens between digit groups.
    Gap,
}

const ALL_KINDS: [PhoneKind; 7] = [
    PhoneKind::Sep,
    PhoneKind::Uni,
    PhoneKind::Word,
    PhoneKind::Leet,
    PhoneKind::Homo,
    PhoneKind::Look,
    PhoneKind::Gap,
];

impl PhoneKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneKind::Sep => "sep",
            PhoneKind::Uni => "uni",
            PhoneKind::Word => "word",
            PhoneKind::Leet => "leet",
            PhoneKind::Homo => "homo",
            PhoneKind::Look => "look",
            PhoneKind::Gap => "gap",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of [`PhoneKind`]s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PhoneKinds(u8);

impl PhoneKinds {
    pub fn contains(self, k: PhoneKind) -> bool {
        self.0 & k.bit() != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn iter(self) -> impl Iterator<Item = PhoneKind> {
        ALL_KINDS.into_iter().filter(move |k| self.contains(*k))
    }
    fn add(&mut self, k: PhoneKind) {
        self.0 |= k.bit();
    }
}

impl fmt::Display for PhoneKinds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(PhoneKind::as_str).collect();
        f.write_str(&names.join(","))
    }
}

/// Widens every occurrence's span (from the first to the last digit read) to the marks written
/// just before it that belong to the number: an ASCII `(` when the span holds a `)` it does not
/// open (`(918) 555-0171`, not `918) 555-0171`), then an ASCII `+` (`+1 (918) 555-0171`), as
/// libphonenumber's matcher reports them. `text` is the text the spans are in; a hit's `span` is
/// its first occurrence's.
pub fn include_marks(text: &str, hits: &mut [PhoneHit]) {
    let bytes = text.as_bytes();
    for hit in hits {
        for o in &mut hit.occurrences {
            o.span.start = marked_start(bytes, o.span.clone());
        }
        if let Some(first) = hit.occurrences.first() {
            hit.span = first.span.clone();
        }
    }
}

/// The start of `span` moved back over the `(` and `+` of [`include_marks`].
fn marked_start(bytes: &[u8], span: Span) -> usize {
    let mut start = span.start;
    let Some(inside) = bytes.get(span) else {
        return start;
    };
    if start > 0 && bytes[start - 1] == b'(' && unopened_close(inside) {
        start -= 1;
    }
    if start > 0 && bytes[start - 1] == b'+' {
        start -= 1;
    }
    start
}

/// True when `inside` has a `)` before any `(` that could open it.
fn unopened_close(inside: &[u8]) -> bool {
    let mut depth = 0usize;
    for &b in inside {
        match b {
            b'(' => depth += 1,
            b')' if depth == 0 => return true,
            b')' => depth -= 1,
            _ => {}
        }
    }
    false
}

/// One distinct phone number found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneHit {
    /// `+` country code and national number.
    pub e164: String,
    /// Bytes of the original text from the first to the last digit of the first occurrence,
    /// widened to a `+` and an opening `(` written just before them (see [`include_marks`]).
    pub span: Span,
    /// The original text at `span`.
    pub raw: String,
    /// Every occurrence, in order (the first is at `span`).
    pub occurrences: Vec<Occurrence>,
    /// True when a plain pass (ASCII digits in the shapes 3-3-4, 10 or 1+10 with separators
    /// from space - . ( ) +) would find no occurrence of this number.
    pub obfuscated: bool,
    /// The tricks undone, over all occurrences.
    pub kinds: PhoneKinds,
}

/// One place a number was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub span: Span,
    /// The original text at `span`.
    pub raw: String,
    pub obfuscated: bool,
    pub kinds: PhoneKinds,
}

/// One digit of a group and the original bytes it was read from.
#[derive(Clone, Copy, Debug)]
struct Digit {
    d: u8,
    start: u32,
    end: u32,
}

/// The most folded units of a text the phone stage reads. Items, groups and cluster members
/// store unit offsets, digit-buffer indices and item indices as `u32` ([`Units`],
/// [`DigitRange`], [`Member`]): a text of nothing but numbers has an item every few bytes, and
/// their size is most of this stage's memory. Within this many units all three fit: every item
/// covers at least one unit, and no item writes more digits than it has units (a numeral one
/// per unit, a number word fewer than its letters but `o`, a repeat word at most two, a word
/// for hundreds at most three and `cien` has four). A
/// text `vigil extract` reads has far fewer (its lines are capped at 16 MiB, and a character
/// folds to at most 18 units, `ﷺ`); only a text of gigabytes handed to [`crate::extract`] (the
/// fold reads up to 4 GiB of it) can have more, and its units past this are not read.
const MAX_UNITS: usize = u32::MAX as usize;

/// A folded unit or an index into the digits or the items as stored: at most [`MAX_UNITS`], so
/// the conversion is lossless.
#[inline]
fn narrow(n: usize) -> u32 {
    debug_assert!(n <= MAX_UNITS, "{n} is past the units read");
    n as u32
}

/// The folded units `a..b` an item covers (`u32`: see [`MAX_UNITS`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Units {
    a: u32,
    b: u32,
}

impl Units {
    #[inline]
    fn new(a: usize, b: usize) -> Self {
        Units {
            a: narrow(a),
            b: narrow(b),
        }
    }

    #[inline]
    fn a(self) -> usize {
        self.a as usize
    }

    #[inline]
    fn b(self) -> usize {
        self.b as usize
    }

    #[inline]
    fn range(self) -> Range<usize> {
        self.a()..self.b()
    }
}

/// A group's digits, `start..end` in the digit buffer (`u32`: see [`MAX_UNITS`]).
#[derive(Clone, Copy, Debug)]
struct DigitRange {
    start: u32,
    end: u32,
}

impl DigitRange {
    #[inline]
    fn new(start: usize, end: usize) -> Self {
        DigitRange {
            start: narrow(start),
            end: narrow(end),
        }
    }

    #[inline]
    fn start(self) -> usize {
        self.start as usize
    }

    #[inline]
    fn end(self) -> usize {
        self.end as usize
    }

    #[inline]
    fn len(self) -> usize {
        self.end() - self.start()
    }

    #[inline]
    fn range(self) -> Range<usize> {
        self.start()..self.end()
    }
}

#[derive(Clone, Debug)]
enum Item {
    Group(Group),
    /// A token that is not (yet) numeric; `standalone` is its reading if it turns out to stand
    /// alone between two numeric tokens (ambiguous words, single look-alike letters). Runs of
    /// inert words (no reading, not `y`) share one item: `count` words over `units`.
    Word {
        units: Units,
        standalone: Option<Standalone>,
        is_y: bool,
        count: u32,
    },
    /// A repeat word (`double`, `triple`, `doble`) that may multiply the digit after it
    /// ([`convert_repeats`]); until it does, one inert word.
    Repeat {
        units: Units,
        times: u8,
    },
    /// A word for hundreds, which writes the two digits after its unit ([`convert_hundreds`]):
    /// `unit` 1–9 for a Spanish word that holds it (`setecientos`), 0 for `hundred`, whose unit
    /// is the group before it; until it converts, one inert word.
    Hundred {
        units: Units,
        unit: u8,
    },
    /// Merged into the group before it (tens + unit, or what fills a hundred).
    Consumed,
}

/// The reading of a word that converts only standing alone, and what its dictionary entry
/// says about it (noted while tokenizing, so that [`convert_standalone`] needs no second
/// look-up).
#[derive(Clone, Copy, Debug)]
struct Standalone {
    digits: WordDigits,
    kind: PhoneKind,
    /// The word is a tens word (a misspelt one: "trenita").
    tens: bool,
    /// The word is a one-edit misspelling of a number word.
    typo: bool,
}

/// The one or two ASCII digits a word reads as (no dictionary entry has more), held in place
/// (the entry's `&'static str` would take two words of every item): one digit is followed by a
/// 0 byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct WordDigits([u8; 2]);

impl WordDigits {
    const ZERO: WordDigits = WordDigits([b'0', 0]);
    const ELEVEN: WordDigits = WordDigits(*b"11");

    /// The first two digits of `digits` (all of them: see the type).
    fn new(digits: &str) -> Self {
        debug_assert!(matches!(digits.len(), 1 | 2), "{digits:?}");
        match *digits.as_bytes() {
            [d] => WordDigits([d, 0]),
            [d, e, ..] => WordDigits([d, e]),
            [] => WordDigits::ZERO,
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            [d, 0] => std::slice::from_ref(d),
            both => both,
        }
    }

    /// The value of one digit 1–9.
    fn unit(self) -> Option<u8> {
        match self.0 {
            [d @ b'1'..=b'9', 0] => Some(d - b'0'),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
struct Group {
    /// Folded units covered.
    units: Units,
    digits: DigitRange,
    kinds: PhoneKinds,
    /// Ends in a tens word that a following unit word may complete.
    bare_tens: bool,
    /// The whole group is one plain unit word (value 1–9).
    unit_word: Option<u8>,
}

/// A group in a cluster, with what stood between it and the group before.
#[derive(Clone, Copy, Debug)]
struct Member {
    /// The group's index in the items (`u32`: see [`MAX_UNITS`]).
    item: u32,
    gap_words: u32,
    odd_sep: bool,
    /// Where what stood between it and the item before starts (a folded unit).
    sep_from: u32,
    intl: bool,
}

impl Member {
    #[inline]
    fn item(&self) -> usize {
        self.item as usize
    }

    #[inline]
    fn sep_from(&self) -> usize {
        self.sep_from as usize
    }
}

// What the `u32` offsets and the inline standalone digits bring the per-token structures to
// (with `usize` offsets and a `&'static str`: 48 bytes an item, 40 a group, 24 a member).
const _: () = assert!(size_of::<Item>() <= 24);
const _: () = assert!(size_of::<Group>() <= 20);
const _: () = assert!(size_of::<Member>() <= 16);

/// Buffers reused across calls of [`find`].
#[derive(Default)]
pub(crate) struct PhoneScratch {
    digits: Vec<Digit>,
    items: Vec<Item>,
    seg: Segmenter,
    pieces: Vec<Piece>,
    cluster: Vec<Member>,
    /// What [`convert_standalone`] and [`merge_tens`] need to look at.
    later: LaterPasses,
}

/// Found while tokenizing, for the passes over the items that follow: the few items they can
/// change, so that they need not walk every item.
#[derive(Default)]
struct LaterPasses {
    /// Indices of the words with a standalone reading, in order.
    standalone_words: Vec<usize>,
    /// Some group ends in a bare tens word.
    bare_tens: bool,
    /// Indices of the repeat words, in order.
    repeats: Vec<usize>,
    /// Indices of the words for hundreds, in order.
    hundreds: Vec<usize>,
}

impl LaterPasses {
    /// What a walk over every item would find (the debug builds' check of the tokenizer).
    fn lists_exactly(&self, items: &[Item]) -> bool {
        let standalone = items.iter().enumerate().filter_map(|(k, item)| {
            matches!(
                item,
                Item::Word {
                    standalone: Some(_),
                    ..
                }
            )
            .then_some(k)
        });
        let bare_tens = items
            .iter()
            .any(|item| matches!(item, Item::Group(g) if g.bare_tens));
        let indices = |is: fn(&Item) -> bool| {
            items
                .iter()
                .enumerate()
                .filter_map(move |(k, item)| is(item).then_some(k))
        };
        let repeats = indices(|item| matches!(item, Item::Repeat { .. }));
        let hundreds = indices(|item| matches!(item, Item::Hundred { .. }));
        standalone.eq(self.standalone_words.iter().copied())
            && bare_tens == self.bare_tens
            && repeats.eq(self.repeats.iter().copied())
            && hundreds.eq(self.hundreds.iter().copied())
    }
}

impl PhoneScratch {
    /// Drops buffers grown by a huge text.
    pub(crate) fn shrink(&mut self) {
        if self.digits.capacity() > 1 << 16 || self.items.capacity() > 1 << 16 {
            *self = PhoneScratch::default();
        }
    }
}

/// Finds the phone numbers of `folded` (strip mask applied) into `out`, replacing its hits and
/// reusing their strings and vectors.
pub(crate) fn find(
    folded: &Folded,
    mask: &[(usize, usize)],
    region: Region,
    candidates: &[Region],
    scratch: &mut PhoneScratch,
    out: &mut Vec<PhoneHit>,
) {
    read_items(folded, mask, scratch);
    let PhoneScratch {
        digits,
        items,
        cluster,
        ..
    } = scratch;
    cluster.clear();
    let (digits, items): (&Vec<Digit>, &Vec<Item>) = (digits, items);
    let mut hits = Hits {
        list: out,
        used: 0,
        index: rustc_hash::FxHashMap::default(),
    };
    let ctx = Ctx {
        bytes: &folded.bytes,
        digits,
        items,
        region,
        candidates,
    };
    let mut words_since = 0u32;
    let mut last_b = 0usize;
    for (idx, item) in items.iter().enumerate() {
        match item {
            Item::Group(g) => {
                if !cluster.is_empty() && words_since > 2 {
                    ctx.segment(cluster, &mut hits);
                    cluster.clear();
                }
                let sep_from = last_b.min(g.units.a());
                let sep = &folded.bytes[sep_from..g.units.a()];
                cluster.push(Member {
                    item: narrow(idx),
                    gap_words: words_since,
                    odd_sep: sep
                        .iter()
                        .any(|c| !matches!(c, b' ' | b'-' | b'.' | b'(' | b')' | b'+')),
                    sep_from: narrow(sep_from),
                    intl: intl_context(&folded.bytes[..g.units.a()]),
                });
                words_since = 0;
                last_b = g.units.b();
            }
            Item::Word { units, count, .. } => {
                words_since += count;
                last_b = units.b();
            }
            Item::Repeat { units, .. } | Item::Hundred { units, .. } => {
                words_since += 1;
                last_b = units.b();
            }
            Item::Consumed => {}
        }
    }
    if !cluster.is_empty() {
        ctx.segment(cluster, &mut hits);
    }
    let used = hits.used;
    hits.list.truncate(used);
}

/// The items and digits of `folded` (strip mask applied) into `scratch`: the tokens, each
/// converted on its own, then the passes over neighbouring items (standalone words, repeat
/// words, tens and their units, hundreds).
fn read_items(folded: &Folded, mask: &[(usize, usize)], scratch: &mut PhoneScratch) {
    tokenize_into(folded, mask, scratch);
    let PhoneScratch {
        digits,
        items,
        later,
        ..
    } = scratch;
    debug_assert!(
        later.lists_exactly(items),
        "standalone words, bare tens, repeat words or hundreds missed"
    );
    convert_standalone(
        items,
        &later.standalone_words,
        folded,
        digits,
        &mut later.bare_tens,
    );
    if !later.repeats.is_empty() {
        convert_repeats(items, &later.repeats, folded, digits);
    }
    if later.bare_tens {
        merge_tens(items, folded, digits);
    }
    if !later.hundreds.is_empty() {
        convert_hundreds(items, &later.hundreds, folded, digits);
    }
    debug_assert!(
        digits.len().max(items.len()) <= folded.bytes.len().min(MAX_UNITS),
        "more digits or items than units read (see MAX_UNITS)"
    );
}

/// The tokens of `folded` (strip mask applied), each converted on its own, into `scratch`,
/// replacing what its items, digits and lists for the later passes held.
fn tokenize_into(folded: &Folded, mask: &[(usize, usize)], scratch: &mut PhoneScratch) {
    let PhoneScratch {
        digits,
        items,
        seg,
        pieces,
        later,
        ..
    } = scratch;
    digits.clear();
    items.clear();
    later.standalone_words.clear();
    later.bare_tens = false;
    later.repeats.clear();
    later.hundreds.clear();
    tokenize(folded, mask, digits, items, seg, pieces, later);
}

/// True when the bytes before a group say it is written with its country code.
fn intl_context(before: &[u8]) -> bool {
    // The last byte tells which one ending to compare (most groups follow a space).
    match before.last() {
        Some(b'+') => true,
        Some(b'/') => before.ends_with(b"wa.me/"),
        Some(b'=') => before.ends_with(b"phone="),
        _ => false,
    }
}

/// Tokenizer byte classes: `a-z0-9`, `0-9`, the bytes a digit group may hold (`0-9oli`), and
/// `a-z`.
const ALNUM: u8 = 1;
const DIGIT: u8 = 2;
const DIGITISH: u8 = 4;
const LETTER: u8 = 8;

static CLASSES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_lowercase() {
            t[b] = ALNUM | LETTER;
        }
        if c.is_ascii_digit() {
            t[b] = ALNUM | DIGIT | DIGITISH;
        }
        if matches!(c, b'o' | b'l' | b'i') {
            t[b] = ALNUM | LETTER | DIGITISH;
        }
        b += 1;
    }
    t
};

/// What a token's bytes tell about it.
#[derive(Clone, Copy)]
struct TokenClass {
    has_digit: bool,
    /// It has a digit, and every byte may be read as one (`0-9oli`): all digits, or digits
    /// with look-alike letters.
    digit_group: bool,
}

impl TokenClass {
    /// The class of `token`, given whether it has a digit. Only a token with a digit (a few
    /// per text) is read again.
    fn of(token: &[u8], has_digit: bool) -> Self {
        TokenClass {
            has_digit,
            digit_group: has_digit
                && token
                    .iter()
                    .all(|&b| CLASSES[usize::from(b)] & DIGITISH != 0),
        }
    }
}

/// Pushes an inert word (one that can never read as digits), joining it to an inert run
/// just before it.
fn push_inert(items: &mut Vec<Item>, a: usize, b: usize) {
    push_inert_run(items, a, b, 1);
}

/// Pushes `count` inert words spanning `a..b`, joining them to an inert run just before.
fn push_inert_run(items: &mut Vec<Item>, a: usize, b: usize, count: u32) {
    if let Some(Item::Word {
        units: run,
        standalone: None,
        is_y: false,
        count: run_count,
        ..
    }) = items.last_mut()
    {
        *run = Units::new(run.a(), b);
        *run_count += count;
        return;
    }
    items.push(Item::Word {
        units: Units::new(a, b),
        standalone: None,
        is_y: false,
        count,
    });
}

/// Splits the folded text into items and converts each token on its own (design §4 steps 7–9).
/// Masked ranges are inert items; tokens never cross into a mask.
fn tokenize(
    folded: &Folded,
    mask: &[(usize, usize)],
    digits: &mut Vec<Digit>,
    items: &mut Vec<Item>,
    seg: &mut Segmenter,
    pieces: &mut Vec<Piece>,
    later: &mut LaterPasses,
) {
    // Units past `MAX_UNITS` are not read (see there; no text `vigil extract` reads has them).
    let end = folded.bytes.len().min(MAX_UNITS);
    let mut i = 0usize;
    for &(mask_start, mask_end) in mask.iter().chain(std::iter::once(&(end, 0))) {
        let (mask_start, mask_end) = (mask_start.min(end), mask_end.min(end));
        if i < mask_start {
            tokenize_unmasked(folded, i, mask_start, digits, items, seg, pieces, later);
            i = mask_start;
        }
        if mask_end > i {
            push_inert(items, i, mask_end);
            i = mask_end;
        }
    }
}

/// The tokens of `folded.bytes[from..to]`. Most tokens are prose: their classes and letters
/// tell ([`Trie::is_prose`](crate::words::Trie::is_prose), mostly one table look-up), and consecutive prose tokens are
/// counted into one inert run that is pushed when anything else comes (the same item a
/// `push_inert` per token would build). The rest go to [`read_candidate`].
#[allow(clippy::too_many_arguments)]
fn tokenize_unmasked(
    folded: &Folded,
    from: usize,
    to: usize,
    digits: &mut Vec<Digit>,
    items: &mut Vec<Item>,
    seg: &mut Segmenter,
    pieces: &mut Vec<Piece>,
    later: &mut LaterPasses,
) {
    let bytes = &folded.bytes[..to];
    let trie = trie();
    let mut run = InertRun::default();
    let mut i = from;
    while i < to {
        // Separators up to the token's first byte, whose class is kept.
        let first = CLASSES[usize::from(bytes[i])];
        if first & ALNUM == 0 {
            i += 1;
            continue;
        }
        let a = i;
        i += 1;
        // Letters first (most tokens have nothing else): the class of the byte that ends them
        // tells whether a digit follows, and only then does the token go on over digits.
        let mut stop = first;
        if first & LETTER != 0 {
            i = letters_end(&folded.bytes, i, to);
            stop = bytes.get(i).map_or(0, |&b| CLASSES[usize::from(b)]);
        }
        let has_digit = stop & DIGIT != 0;
        if has_digit {
            while i < to && CLASSES[usize::from(bytes[i])] & ALNUM != 0 {
                i += 1;
            }
        } else if trie.is_prose(&bytes[a..i]) {
            run.add(a, i);
            continue;
        }
        let class = TokenClass::of(&bytes[a..i], has_digit);
        read_candidate(
            folded,
            (a, i),
            class,
            &mut run,
            CandidateOut {
                digits: &mut *digits,
                items: &mut *items,
                seg: &mut *seg,
                pieces: &mut *pieces,
                later: &mut *later,
            },
        );
    }
    run.flush(items);
}

/// The first byte at or after `i` (and before `to`) that is not a letter `a-z`, or `to`.
/// Eight bytes at a time: most words end within the first eight, and a test of their mask is
/// cheaper than a byte loop, whose exit after a word of any length the branch predictor cannot
/// guess.
#[inline(always)]
fn letters_end(bytes: &[u8], mut i: usize, to: usize) -> usize {
    while i < to {
        let Some(word) = word_at(bytes, i) else {
            break;
        };
        let others = !lowercase_bytes(word) & HIGH;
        if others != 0 {
            return (i + others.trailing_zeros() as usize / 8).min(to);
        }
        i += 8;
    }
    while i < to && bytes[i].is_ascii_lowercase() {
        i += 1;
    }
    i.min(to)
}

/// Prose tokens read since the last item: `count` tokens from `a` to `b`.
#[derive(Clone, Copy, Default)]
struct InertRun {
    a: usize,
    b: usize,
    count: u32,
}

impl InertRun {
    #[inline]
    fn add(&mut self, a: usize, b: usize) {
        if self.count == 0 {
            self.a = a;
        }
        self.b = b;
        self.count += 1;
    }

    #[inline]
    fn flush(&mut self, items: &mut Vec<Item>) {
        if self.count > 0 {
            push_inert_run(items, self.a, self.b, self.count);
            self.count = 0;
        }
    }
}

/// Where [`read_candidate`] puts what it reads.
struct CandidateOut<'a> {
    digits: &'a mut Vec<Digit>,
    items: &'a mut Vec<Item>,
    seg: &'a mut Segmenter,
    pieces: &'a mut Vec<Piece>,
    later: &'a mut LaterPasses,
}

/// A token that may read as digits: a letters-only token is walked through the number-word
/// trie first ([`probe`]), for whether a segmentation may start with a word and for its
/// dictionary entry. Letters-only prose never comes here: the tokenizer counts it first
/// ([`Trie::is_prose`](crate::words::Trie::is_prose)); and if it did, [`convert_token`] would push it inert all the same.
///
/// Inlined into the tokenizer's loop: few tokens get here, and a call for each cost more
/// instructions than the code it adds to the loop.
#[inline]
fn read_candidate(
    folded: &Folded,
    (a, b): (usize, usize),
    class: TokenClass,
    run: &mut InertRun,
    out: CandidateOut<'_>,
) {
    let letters = (!class.has_digit).then(|| probe(&folded.bytes[a..b], false));
    run.flush(out.items);
    convert_token(
        folded,
        (a, b),
        class,
        letters,
        out.digits,
        out.seg,
        out.pieces,
        out.items,
        out.later,
    );
}

fn push_units(
    folded: &Folded,
    a: usize,
    b: usize,
    digits: &mut Vec<Digit>,
    kinds: &mut PhoneKinds,
) {
    // The common case, units copied from ASCII text byte for byte: no origin lookups.
    if let Some(start) = folded.plain_start(a, b) {
        for (k, &c) in (start..).zip(&folded.bytes[a..b]) {
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'o' => 0,
                _ => 1,
            };
            if !c.is_ascii_digit() {
                kinds.add(PhoneKind::Look);
            }
            digits.push(Digit {
                d,
                start: k,
                end: k + 1,
            });
        }
        return;
    }
    for (u, origin) in (a..b).zip(folded.origins(a..b)) {
        let c = folded.bytes[u];
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'o' => 0,
            _ => 1,
        };
        if !c.is_ascii_digit() || origin.flags & LOOK != 0 {
            kinds.add(PhoneKind::Look);
        }
        if origin.flags & UNI != 0 {
            kinds.add(PhoneKind::Uni);
        }
        digits.push(Digit {
            d,
            start: origin.start,
            end: origin.end,
        });
    }
}

fn word_kind(info: &WordInfo, len: usize) -> PhoneKind {
    match info.kind {
        WordKind::Leet => PhoneKind::Leet,
        WordKind::Homophone => PhoneKind::Homo,
        WordKind::Word if info.ambiguous && len == 1 => PhoneKind::Look,
        WordKind::Word | WordKind::Typo => PhoneKind::Word,
    }
}

/// Where a token's glued extension starts: an extension marker (`x`, `ext`, `extn`,
/// `extension`) right after a digit and before the one to six digits that end the token
/// (`0142x2`, `4805550142ext12`). Its digits are not part of the number: E.164 has no
/// extension, and libphonenumber's matcher reads the number before it the same way.
fn extension_start(tok: &[u8]) -> Option<usize> {
    let digits = tok.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    if !(1..=6).contains(&digits) {
        return None;
    }
    let before = &tok[..tok.len() - digits];
    let marker = [&b"extension"[..], b"extn", b"ext", b"x"]
        .into_iter()
        .find(|marker| before.ends_with(marker))?;
    let start = before.len() - marker.len();
    let after_digit = start
        .checked_sub(1)
        .is_some_and(|k| tok[k].is_ascii_digit());
    after_digit.then_some(start)
}

/// `letters` is the trie walk over a token without digits (`probe(token, false)`).
#[allow(clippy::too_many_arguments)]
fn convert_token(
    folded: &Folded,
    (a, b): (usize, usize),
    class: TokenClass,
    letters: Option<Probe>,
    digits: &mut Vec<Digit>,
    seg: &mut Segmenter,
    pieces: &mut Vec<Piece>,
    items: &mut Vec<Item>,
    later: &mut LaterPasses,
) {
    let tok = &folded.bytes[a..b];
    let first = digits.len();
    let mut kinds = PhoneKinds::default();
    let has_digit = class.has_digit;
    let group = |digits: &Vec<Digit>, kinds, bare_tens, unit_word| {
        Item::Group(Group {
            units: Units::new(a, b),
            digits: DigitRange::new(first, digits.len()),
            kinds,
            bare_tens,
            unit_word,
        })
    };
    if class.digit_group {
        push_units(folded, a, b, digits, &mut kinds);
        items.push(group(digits, kinds, false, None));
        return;
    }
    // A word for hundreds (`hundred`, `setecientos`): before segmentation, which would read a
    // Spanish one's first number word (`dos` of `doscientos`) or fail.
    if let Some(unit) = letters.and_then(|_| hundreds_word(tok)) {
        later.hundreds.push(items.len());
        items.push(Item::Hundred {
            units: Units::new(a, b),
            unit,
        });
        return;
    }
    // A letters-only token: one trie walk tells whether segmentation can succeed (it needs a
    // plain number word at the start) and gives the whole-token entry.
    // Prose tokens longer than any plausible run of number words are not tried.
    let may_segment = letters.is_none_or(|p| p.starts_with_word && tok.len() <= 64);
    // A token that is one plain number word ("cinco", "five") segments as itself (the first
    // path to its end is the whole word, and only an ambiguous word there could be replaced).
    let single_word = letters.and_then(|p| p.whole).filter(|info| !info.ambiguous);
    let segmented = match single_word {
        Some(info) => {
            pieces.clear();
            pieces.push(Piece {
                start: 0,
                end: tok.len(),
                word: Some(info),
            });
            true
        }
        None => may_segment && seg.segment(tok, pieces),
    };
    if segmented {
        let mut bare_tens = false;
        let mut k = 0;
        while k < pieces.len() {
            let p = pieces[k];
            match p.word {
                None => push_units(folded, a + p.start, a + p.end, digits, &mut kinds),
                Some(info) => {
                    kinds.add(word_kind(&info, p.end - p.start));
                    let span = folded.span(a + p.start, a + p.end);
                    for d in info.digits.bytes() {
                        digits.push(Digit {
                            d: d - b'0',
                            start: span.start as u32,
                            end: span.end as u32,
                        });
                    }
                    bare_tens = info.tens;
                    // tens + unit inside one token: "fortytwo"
                    if info.tens {
                        if let Some(next) = pieces.get(k + 1) {
                            let unit = &tok[next.start..next.end];
                            if let (Some(v), Some(last)) =
                                (unit_word_value(unit), digits.last_mut())
                            {
                                let span = folded.span(a + next.start, a + next.end);
                                *last = Digit {
                                    d: v,
                                    start: span.start as u32,
                                    end: span.end as u32,
                                };
                                bare_tens = false;
                                k += 1;
                            }
                        }
                    }
                    k += 1;
                    continue;
                }
            }
            bare_tens = false;
            k += 1;
        }
        let unit_word = match (single_word, pieces.len()) {
            (Some(info), _) => unit_value(&info),
            (None, 1) => unit_word_value(tok),
            _ => None,
        };
        later.bare_tens |= bare_tens;
        items.push(group(digits, kinds, bare_tens, unit_word));
        return;
    }
    // Letters glued to one digit run ("text4805550142now"): the run is a group of its own. A
    // glued extension ("0142x2", "4805550142ext12") goes with the letters after the run.
    let body = &tok[..extension_start(tok).unwrap_or(tok.len())];
    let one_run = has_digit && {
        let runs = body
            .windows(2)
            .filter(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit())
            .count();
        let starts_digit = body.first().is_some_and(u8::is_ascii_digit);
        // No change at all: digits and then their extension.
        runs <= 1 || (runs == 2 && !starts_digit)
    };
    if one_run {
        let da = a + tok.iter().position(u8::is_ascii_digit).unwrap_or(0);
        let db = da
            + folded.bytes[da..b]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
        if da > a {
            push_inert(items, a, da);
        }
        push_units(folded, da, db, digits, &mut kinds);
        items.push(Item::Group(Group {
            units: Units::new(da, db),
            digits: DigitRange::new(first, digits.len()),
            kinds,
            bare_tens: false,
            unit_word: None,
        }));
        if db < b {
            push_inert(items, db, b);
        }
        return;
    }
    let whole = match letters {
        Some(p) => p.whole,
        None => lookup(tok),
    };
    let reading = match tok {
        b"l" | b"i" => Some(("1", PhoneKind::Look)),
        _ => whole
            .filter(|info| info.ambiguous)
            .map(|info| (info.digits, word_kind(&info, tok.len()))),
    };
    let standalone = reading.map(|(digits, kind)| Standalone {
        digits: WordDigits::new(digits),
        kind,
        tens: whole.is_some_and(|i| i.tens),
        typo: whole.is_some_and(|i| i.kind == WordKind::Typo),
    });
    debug_assert!(
        standalone.is_none_or(|s| {
            let entry = lookup(tok);
            s.tens == entry.is_some_and(|i| i.tens)
                && s.typo == entry.is_some_and(|i| i.kind == WordKind::Typo)
        }),
        "the walk's entry is the token's dictionary entry"
    );
    let is_y = tok == b"y";
    if standalone.is_none() && !is_y {
        // The tokenizer sends a repeat word here (it is no prose); it stays a word of its own
        // for `convert_repeats`.
        if let Some(times) = letters.and(repeat_times(tok)) {
            later.repeats.push(items.len());
            items.push(Item::Repeat {
                units: Units::new(a, b),
                times,
            });
            return;
        }
        push_inert(items, a, b);
        return;
    }
    if standalone.is_some() {
        later.standalone_words.push(items.len());
    }
    items.push(Item::Word {
        units: Units::new(a, b),
        standalone,
        is_y,
        count: 1,
    });
}

/// Ambiguous words, typos and single look-alikes standing alone between two numeric tokens,
/// decided left to right so "oh oh" after a number reads as two zeros.
fn convert_standalone(
    items: &mut [Item],
    standalone_words: &[usize],
    folded: &Folded,
    digits: &mut Vec<Digit>,
    bare_tens: &mut bool,
) {
    convert_standalone_passes(items, standalone_words, folded, digits, bare_tens, false);
}

/// [`convert_standalone`]; `always_both_ways` walks right to left even when nothing changed
/// left to right (the tests' reference).
fn convert_standalone_passes(
    items: &mut [Item],
    standalone_words: &[usize],
    folded: &Folded,
    digits: &mut Vec<Digit>,
    bare_tens: &mut bool,
    always_both_ways: bool,
) {
    let is_group = |items: &[Item], k: usize| matches!(items.get(k), Some(Item::Group(_)));
    let is_word_group = |items: &[Item], k: usize| matches!(items.get(k), Some(Item::Group(g)) if g.kinds.contains(PhoneKind::Word));
    let is_y =
        |items: &[Item], k: usize| matches!(items.get(k), Some(Item::Word { is_y: true, .. }));
    // Left to right, then right to left for words whose numeric neighbour comes after them
    // ("site siiete cero": both misspell "siete"). Only the words with a standalone reading
    // (listed while tokenizing; most texts have none) can change; the others are skipped.
    // A word's verdict depends only on the items around it: when no word converted left to
    // right, the items are as they were and right to left every word sees what it saw, so
    // that pass is skipped (most texts with such words: "for", "to" in prose).
    let mut converted = false;
    let both_ways = standalone_words.iter().chain(standalone_words.iter().rev());
    for (visit, &k) in both_ways.enumerate() {
        if visit == standalone_words.len() && !converted && !always_both_ways {
            break;
        }
        let Some(&Item::Word {
            units,
            standalone:
                Some(Standalone {
                    digits: word_digits,
                    kind,
                    tens,
                    typo,
                }),
            ..
        }) = items.get(k)
        else {
            continue;
        };
        let unit = word_digits.unit();
        let prev = k > 0 && is_group(items, k - 1);
        // "trenita y nueve", "sesenta y sis": `y` joins a tens word and a unit.
        let next_via_y = tens && is_y(items, k + 1) && is_group(items, k + 2);
        let prev_via_y = unit.is_some() && k >= 2 && is_y(items, k - 1) && is_group(items, k - 2);
        let next = is_group(items, k + 1) || next_via_y;
        // A spoken zero ("oh") or a misspelt number word ("fiev") needs one numeric
        // neighbour; Spanish "once" needs a number word beside it ("cero uno once").
        let beside_word = (k > 0 && is_word_group(items, k - 1)) || is_word_group(items, k + 1);
        // The text's last token after a spelled number ("… zero one two for"): nothing
        // follows to be its other neighbour.
        let ends_spelled_number = k + 1 == items.len() && k > 0 && is_word_group(items, k - 1);
        let convert = (prev && next)
            || prev_via_y
            || ((word_digits == WordDigits::ZERO || typo) && (prev || next))
            || (word_digits == WordDigits::ELEVEN && beside_word)
            || ends_spelled_number;
        if !convert {
            continue;
        }
        let first = digits.len();
        let span = folded.span(units.a(), units.b());
        for &d in word_digits.as_bytes() {
            digits.push(Digit {
                d: d - b'0',
                start: span.start as u32,
                end: span.end as u32,
            });
        }
        let mut kinds = PhoneKinds::default();
        kinds.add(kind);
        let digits = DigitRange::new(first, digits.len());
        *bare_tens |= tens;
        converted = true;
        items[k] = Item::Group(Group {
            units,
            digits,
            kinds,
            bare_tens: tens,
            unit_word: unit,
        });
    }
}

/// Whether `bytes[a..b]` exists and holds only spaces and hyphens (the gap between the words
/// of one spelled number).
fn only_spaces_or_hyphens(bytes: &[u8], a: usize, b: usize) -> bool {
    bytes
        .get(a..b)
        .is_some_and(|s| s.iter().all(|c| matches!(c, b' ' | b'-')))
}

/// Repeat words inside a number (the rule is in the module docs): each one that converts
/// becomes a group of its digit written `times - 1` times, spanning the word, and an `oh`/`o`
/// after it converts to 0. Left to right, then right to left for a word whose numeric
/// neighbour is a repeat word after it that converted (`triple seven double five 0143`):
/// every word's left neighbour is settled by then, so two passes convert all there is.
fn convert_repeats(
    items: &mut [Item],
    repeats: &[usize],
    folded: &Folded,
    digits: &mut Vec<Digit>,
) {
    let bytes = &folded.bytes;
    let spaced = |a: usize, b: usize| only_spaces_or_hyphens(bytes, a, b);
    let plain = |a: usize, b: usize| {
        bytes.get(a..b).is_some_and(|s| {
            s.iter()
                .all(|c| matches!(c, b' ' | b'-' | b'.' | b'(' | b')'))
        })
    };
    let group_at = |items: &[Item], k: usize| match items.get(k) {
        Some(Item::Group(g)) => Some((g.units.a(), g.units.b())),
        _ => None,
    };
    let mut converted = false;
    for (visit, &k) in repeats.iter().chain(repeats.iter().rev()).enumerate() {
        if visit == repeats.len() && !converted {
            break;
        }
        let Some(&Item::Repeat { units, times }) = items.get(k) else {
            continue;
        };
        let (a, b) = (units.a(), units.b());
        // The one digit right after the word (not a look-alike letter, nor a repeat word
        // converted in the pass before: "double double five").
        let (d, d_units, d_kinds) = match items.get(k + 1) {
            Some(Item::Group(g))
                if g.digits.len() == 1
                    && !matches!(&bytes[g.units.range()], b"l" | b"i")
                    && repeat_times(&bytes[g.units.range()]).is_none() =>
            {
                (digits[g.digits.start()].d, g.units, g.kinds)
            }
            Some(&Item::Word {
                units: d_units,
                standalone:
                    Some(Standalone {
                        digits: WordDigits::ZERO,
                        kind,
                        ..
                    }),
                ..
            }) => {
                let mut kinds = PhoneKinds::default();
                kinds.add(kind);
                (0, d_units, kinds)
            }
            _ => continue,
        };
        let (d_a, d_b) = (d_units.a(), d_units.b());
        if !spaced(b, d_a) {
            continue;
        }
        // A numeral after the word needs the number to go on after it: "0143 double 5 star
        // hotel" is prose after a number, "01 double four" the number's end.
        let spelled = bytes[d_a..d_b].iter().any(u8::is_ascii_lowercase);
        let left = spelled
            && k.checked_sub(1)
                .and_then(|j| group_at(items, j))
                .is_some_and(|(_, g_b)| plain(g_b, a));
        let right = group_at(items, k + 2).is_some_and(|(g_a, _)| plain(d_b, g_a));
        if !(left || right) {
            continue;
        }
        let span = folded.span(a, b);
        let first = digits.len();
        for _ in 1..times {
            digits.push(Digit {
                d,
                start: span.start as u32,
                end: span.end as u32,
            });
        }
        let mut kinds = PhoneKinds::default();
        kinds.add(PhoneKind::Word);
        items[k] = Item::Group(Group {
            units,
            digits: DigitRange::new(first, digits.len()),
            kinds,
            bare_tens: false,
            unit_word: None,
        });
        // An `oh` not yet read becomes its zero.
        if matches!(items.get(k + 1), Some(Item::Word { .. })) {
            let span = folded.span(d_a, d_b);
            let first = digits.len();
            digits.push(Digit {
                d: 0,
                start: span.start as u32,
                end: span.end as u32,
            });
            items[k + 1] = Item::Group(Group {
                units: d_units,
                digits: DigitRange::new(first, digits.len()),
                kinds: d_kinds,
                bare_tens: false,
                unit_word: None,
            });
        }
        converted = true;
    }
}

/// A bare tens word followed by a unit word (space, hyphen or Spanish `y` between) merges:
/// `forty-two` → 42, `cincuenta y cinco` → 55.
fn merge_tens(items: &mut [Item], folded: &Folded, digits: &mut [Digit]) {
    // Items lie in text order, so each gap tested runs forward.
    let only_space_or_hyphen = |a: usize, b: usize| only_spaces_or_hyphens(&folded.bytes, a, b);
    let mut k = 0;
    while k + 1 < items.len() {
        let Item::Group(g) = &items[k] else {
            k += 1;
            continue;
        };
        if !g.bare_tens {
            k += 1;
            continue;
        }
        let (g_b, g_last) = (g.units.b(), g.digits.end().saturating_sub(1));
        let (unit_at, via_y) = match &items[k + 1] {
            Item::Group(u) if u.unit_word.is_some() && only_space_or_hyphen(g_b, u.units.a()) => {
                (k + 1, false)
            }
            Item::Word {
                is_y: true,
                units: y,
                ..
            } if only_space_or_hyphen(g_b, y.a()) => match items.get(k + 2) {
                Some(Item::Group(u))
                    if u.unit_word.is_some() && only_space_or_hyphen(y.b(), u.units.a()) =>
                {
                    (k + 2, true)
                }
                _ => {
                    k += 1;
                    continue;
                }
            },
            _ => {
                k += 1;
                continue;
            }
        };
        let Item::Group(u) = &items[unit_at] else {
            break;
        };
        let (u_b, u_kinds, u_digit) = (u.units.b(), u.kinds, digits.get(u.digits.start()).copied());
        if let (Some(ud), Some(last)) = (u_digit, digits.get_mut(g_last)) {
            *last = ud;
        }
        if let Item::Group(g) = &mut items[k] {
            g.units = Units::new(g.units.a(), u_b);
            g.bare_tens = false;
            g.kinds.0 |= u_kinds.0;
        }
        items[k + 1] = Item::Consumed;
        if via_y {
            items[k + 2] = Item::Consumed;
        }
        k = unit_at + 1;
    }
}

/// A word for hundreds writes the two digits after its unit (`seven hundred` 700,
/// `setecientos` 700), filled by one or two digits right after it (`seven hundred two` 702,
/// `five hundred fifty five` 555 once the tens are merged, `seven hundred twelve` 712, `seven
/// hundred and two`, `setecientos cincuenta y cinco` 755). The unit of `hundred` is a group of
/// one digit 1–9 before it (a unit word or a numeral, not a look-alike letter), or of two digits
/// read from number words, a teen or tens with their unit (`nineteen hundred` 1900, `twenty one
/// hundred five` 2105), with only spaces or hyphens between, and keeps its digits: the hundred
/// becomes a group of its own after it. A Spanish word holds its unit and becomes one group with
/// it. The filling group has one or two digits, with only spaces or hyphens (and an `and`)
/// before it; its digits follow the unit's (`0` and the filling digit when it has one), or `00`
/// when there is none. A `hundred` that does not follow a unit stays a word (`a hundred
/// roses`).
fn convert_hundreds(
    items: &mut [Item],
    hundreds: &[usize],
    folded: &Folded,
    digits: &mut Vec<Digit>,
) {
    let bytes = &folded.bytes;
    let spaced = |a: usize, b: usize| only_spaces_or_hyphens(bytes, a, b);
    for &k in hundreds {
        let Some(&Item::Hundred { units, unit: held }) = items.get(k) else {
            continue;
        };
        let (a, b) = (units.a(), units.b());
        // `hundred`'s unit: the group right before it, of one digit (`seven hundred`), or of two
        // read from number words (`nineteen hundred`, `twenty one hundred` once the tens are
        // merged; not bare tens, `twenty hundred` being a clock time).
        let unit_before = |u: &Group| {
            let len = u.digits.len();
            let from_words = len == 2 && !u.bare_tens && u.kinds.contains(PhoneKind::Word);
            (len == 1 || from_words)
                && digits.get(u.digits.start()).is_some_and(|d| d.d != 0)
                && !matches!(&bytes[u.units.range()], b"l" | b"i")
                && spaced(u.units.b(), a)
        };
        // (Merged tens leave their unit's item consumed between the group and the hundred.)
        let before = items[..k]
            .iter()
            .rev()
            .find(|item| !matches!(item, Item::Consumed));
        let unit = held > 0 || matches!(before, Some(Item::Group(u)) if unit_before(u));
        if !unit {
            continue;
        }
        // An `and` right after: "seven hundred and two".
        let mut next = k + 1;
        let mut from = b;
        if let Some(&Item::Word {
            units: and,
            count: 1,
            ..
        }) = items.get(next)
        {
            if &bytes[and.range()] == b"and" && spaced(b, and.a()) {
                next += 1;
                from = and.b();
            }
        }
        let fill = match items.get(next) {
            Some(Item::Group(g))
                if (1..=2).contains(&g.digits.len()) && spaced(from, g.units.a()) =>
            {
                Some((g.digits, g.units.b(), g.kinds))
            }
            _ => None,
        };
        let span = folded.span(a, b);
        let zero = Digit {
            d: 0,
            start: span.start as u32,
            end: span.end as u32,
        };
        let first = digits.len();
        if held > 0 {
            digits.push(Digit { d: held, ..zero });
        }
        let mut kinds = PhoneKinds::default();
        kinds.add(PhoneKind::Word);
        let end = match fill {
            Some((fill_digits, g_b, g_kinds)) => {
                if fill_digits.len() == 1 {
                    digits.push(zero);
                }
                digits.extend_from_within(fill_digits.range());
                kinds.0 |= g_kinds.0;
                for consumed in &mut items[k + 1..=next] {
                    *consumed = Item::Consumed;
                }
                g_b
            }
            None => {
                digits.push(zero);
                digits.push(zero);
                b
            }
        };
        items[k] = Item::Group(Group {
            units: Units::new(a, end),
            digits: DigitRange::new(first, digits.len()),
            kinds,
            bare_tens: false,
            unit_word: None,
        });
    }
}

struct Ctx<'a> {
    /// The folded text.
    bytes: &'a [u8],
    digits: &'a [Digit],
    items: &'a [Item],
    region: Region,
    candidates: &'a [Region],
}

/// Largest number of digits any number (with trunk or country code) may have.
const MAX_DIGITS: usize = 17;

/// Largest number of digits a run may have before those, for an international prefix dialled
/// from the region (`011`, `00`, `0011`, and carrier-select forms of up to eight digits).
const MAX_IDD: usize = 8;

/// The ASCII digits of a candidate run of groups (at most [`MAX_DIGITS`] + [`MAX_IDD`]).
#[derive(Default)]
struct DigitBuf {
    len: usize,
    bytes: [u8; MAX_DIGITS + MAX_IDD],
}

impl DigitBuf {
    fn clear(&mut self) {
        self.len = 0;
    }

    fn len(&self) -> usize {
        self.len
    }

    /// Appends the digits (the caller keeps the total within the buffer; any excess is
    /// dropped).
    fn extend(&mut self, digits: &[Digit]) {
        for d in digits {
            if let Some(slot) = self.bytes.get_mut(self.len) {
                *slot = b'0' + d.d;
                self.len += 1;
            }
        }
    }

    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl Ctx<'_> {
    fn group(&self, m: &Member) -> Option<&Group> {
        match self.items.get(m.item()) {
            Some(Item::Group(g)) => Some(g),
            _ => None,
        }
    }

    fn parse(&self, ds: &[u8], intl: bool) -> Option<E164> {
        if intl {
            return parse_international(ds);
        }
        self.region
            .parse_national(ds)
            .or_else(|| self.candidates.iter().find_map(|r| r.parse_national(ds)))
    }

    /// Design §4 step 11: left-first, shortest run of groups that validates (longest for
    /// numbers outside NANP, whose lengths vary); 12–19-digit groups are never split; groups of
    /// 20 or more are split only into whole valid 10/11-digit chunks.
    fn segment(&self, cluster: &[Member], hits: &mut Hits<'_>) {
        let mut buf = DigitBuf::default();
        let mut i = 0;
        while i < cluster.len() {
            let Some(gi) = self.group(&cluster[i]) else {
                i += 1;
                continue;
            };
            let len_i = gi.digits.len();
            if len_i >= 20 {
                self.split_run(gi, hits);
                i += 1;
                continue;
            }
            let Some((j, e164)) = self.candidate(cluster, i, &mut buf) else {
                match self.after_bare_calling_code(cluster, i, &mut buf) {
                    Some((k, e164)) => {
                        self.emit(e164, &cluster[i..=k], false, hits);
                        i = k + 1;
                    }
                    None => i += 1,
                }
                continue;
            };
            // A stray group before a cleaner number ("60. 20 yrs. contact n1ne seven …",
            // "synth8668 947 555 0174"): prefer the candidate one group later when it has
            // no word gap or a standard shape and this one does not, or when, as flawed, it
            // takes the one group this one would strand (below).
            let (standard, flaws) = self.shape_and_flaws(&cluster[i..=j]);
            if flaws > 0 {
                if let Some((j2, e2)) = self.candidate(cluster, i + 1, &mut buf) {
                    let (standard2, flaws2) = self.shape_and_flaws(&cluster[i + 1..=j2]);
                    if flaws2 < flaws
                        || (flaws2 == flaws && self.strands_last(cluster, i, j, j2, &mut buf))
                    {
                        self.emit(e2, &cluster[i + 1..=j2], standard2, hits);
                        i = j2 + 1;
                        continue;
                    }
                }
                if let Some((k, j3, e3, standard3)) =
                    self.cleaner_inside(cluster, i, j, flaws, &mut buf)
                {
                    self.emit(e3, &cluster[k..=j3], standard3, hits);
                    i = j3 + 1;
                    continue;
                }
            }
            self.emit(e164, &cluster[i..=j], standard, hits);
            i = j + 1;
        }
    }

    /// Stray groups before a word gap inside the number read from group `i` to `j`, with
    /// `flaws` ("seis: snapname, forty, donations 702/555/cero 1 nine 1"): the first number
    /// that starts after one of its gaps and has fewer flaws; or, anywhere inside it, a number
    /// with none, a plain shape and no gap ("ages 21-25, 702-555-0143" read 212 570 2555).
    /// Never one that runs into a number written with its country code. Its first and last
    /// group, the number, and whether its shape is standard.
    fn cleaner_inside(
        &self,
        cluster: &[Member],
        i: usize,
        j: usize,
        flaws: u8,
        buf: &mut DigitBuf,
    ) -> Option<(usize, usize, E164, bool)> {
        (i + 2..=j).find_map(|k| {
            let after_gap = cluster[k].gap_words > 0;
            // A plain shape starts with a group of 3, 10 or 11 digits.
            let plain_start = self
                .group(&cluster[k])
                .is_some_and(|g| matches!(g.digits.len(), 3 | 10 | 11));
            // (A gap before group `k` is a gap inside this reading: two flaws.)
            if !(plain_start || after_gap) {
                return None;
            }
            let (j3, e3) = self.candidate(cluster, k, buf)?;
            let (standard3, flaws3) = self.shape_and_flaws(&cluster[k..=j3]);
            let into_intl = cluster[k + 1..=j3].iter().any(|m| m.intl);
            let better = flaws3 == 0 || (after_gap && flaws3 < flaws);
            (!into_intl && better).then_some((k, j3, e3, standard3))
        })
    }

    /// Whether the number read from group `i` to `j` strands the group after it, which the
    /// number read from group `i + 1` to `j2` ends with: a lone group before a number written
    /// in single digits, after a clause mark ("open till nine. seven oh two five five five oh
    /// one four three" is 702 555 0143, not 970 255 5014 and a stray 3). So when the later
    /// number ends exactly one group later, a clause mark stands before its first group and
    /// none before its last, which no number starts at.
    fn strands_last(
        &self,
        cluster: &[Member],
        i: usize,
        j: usize,
        j2: usize,
        buf: &mut DigitBuf,
    ) -> bool {
        let (Some(second), Some(last)) = (cluster.get(i + 1), cluster.get(j + 1)) else {
            return false;
        };
        j2 == j + 1
            && self.clause_mark_before(second)
            && !self.clause_mark_before(last)
            && last.gap_words == 0
            && self.candidate(cluster, j + 1, buf).is_none()
    }

    /// Whether what stood before member `m` holds a clause mark: `.`, `,`, `:`, `;`, `!`, `?`,
    /// `/`, a line break, or a hyphen set off by a space (`nine - seven …`; not the hyphen
    /// inside `seven-oh-two`).
    fn clause_mark_before(&self, m: &Member) -> bool {
        self.group(m).is_some_and(|g| {
            let sep = &self.bytes[m.sep_from().min(g.units.a())..g.units.a()];
            sep.iter()
                .any(|c| matches!(c, b'.' | b',' | b':' | b';' | b'!' | b'?' | b'/' | b'\n'))
                || (sep.contains(&b'-') && sep.contains(&b' '))
        })
    }

    /// A foreign number written with its calling code but no `+` or prefix in a NANP ad ("44 20
    /// 7946 0018"), starting at group `i`, which no number starts at otherwise: its last group
    /// and the number. Read so only when NANP would read the number's last ten digits from the
    /// next group instead (+1 207 946 0018), with a first group that no NANP number has (not
    /// the three digits of an area code, ten or eleven digits, or a trunk 1: "44 702 555 0143"
    /// stays a NANP number), and when group `i` is a calling code of two or three digits (not
    /// starting with 1), the foreign number ends no earlier, and it is written plainly: ASCII
    /// digits (no number words, look-alikes or other scripts: "ninety 4704 165641" is no
    /// Turkish number) joined by plain separators with no word between. Where NANP reads
    /// nothing, nothing is read: bare digits are no evidence of a calling code.
    fn after_bare_calling_code(
        &self,
        cluster: &[Member],
        i: usize,
        buf: &mut DigitBuf,
    ) -> Option<(usize, E164)> {
        if !self.region.is_nanp() {
            return None;
        }
        let code = self.group(cluster.get(i)?)?;
        let next = cluster.get(i + 1)?;
        let next_len = self.group(next).map(|g| g.digits.len())?;
        if next.gap_words > 0 || next.intl || matches!(next_len, 1 | 3 | 10 | 11) {
            return None;
        }
        buf.clear();
        buf.extend(&self.digits[code.digits.range()]);
        let calling_code = buf.as_slice();
        if !matches!(calling_code.len(), 2 | 3)
            || calling_code[0] == b'1'
            || !is_calling_code(calling_code)
        {
            return None;
        }
        let (nanp_last, _) = self.candidate(cluster, i + 1, buf)?;
        // The same groups, read as written after a `+`.
        let mut written = cluster[i..].to_vec();
        written[0].intl = true;
        let (last, e164) = self.candidate(&written, 0, buf)?;
        let plain = |m: &Member| self.group(m).is_some_and(|g| g.kinds.is_empty());
        let joined = written[1..=last]
            .iter()
            .all(|m| m.gap_words == 0 && !m.odd_sep && plain(m));
        (joined && plain(&written[0]) && i + last >= nanp_last).then_some((i + last, e164))
    }

    /// The length of the international prefix, dialled from the default region or from one of
    /// the candidate regions, that a run starting with the digits of `group` (its first group)
    /// is read past; 0 when there is none. The prefix is a group of its own ("011 44 20 7946
    /// 0018"), or is followed in its group by a two- or three-digit calling code ("0044 7911
    /// 123456") or by a whole number ("011442079460018"); it is never the start of another
    /// short group ("0115", the end of a 555-0115 cut short).
    ///
    /// `00`, the prefix of most of the world, also counts in a region that dials another one
    /// when its group is `00` and a two- or three-digit calling code ("0044 20 7946 0018" in a
    /// US ad): so written it names a foreign number, not the NANP number its last ten digits
    /// make. There a group `00` of its own or a long run starting with `00` does not count (an
    /// order or reference number may start so).
    fn dialled_prefix(&self, group: &[u8]) -> usize {
        let k = std::iter::once(&self.region)
            .chain(self.candidates)
            .find_map(|r| r.idd_len(group))
            .or_else(|| {
                let calling_code = group.strip_prefix(b"00").filter(|cc| cc.len() <= 3)?;
                is_calling_code(calling_code).then_some(2)
            })
            .unwrap_or(0);
        let rest = group.get(k..).unwrap_or_default();
        let whole = rest.is_empty() || group.len() >= 11;
        if k > 0 && (whole || (rest.len() >= 2 && is_calling_code(rest))) {
            k
        } else {
            0
        }
    }

    /// The number that starts at group `i`: shortest valid run for NANP, longest otherwise
    /// (and for numbers written with their calling code, after `+` or an international prefix
    /// such as `011`).
    // Inlined into `segment`: a call (its arguments and the returned number) cost about as
    // much as the work on a short run.
    #[inline(always)]
    fn candidate(&self, cluster: &[Member], i: usize, buf: &mut DigitBuf) -> Option<(usize, E164)> {
        let first = cluster.get(i)?;
        let g = self.group(first)?;
        let len_i = g.digits.len();
        if len_i >= 20 {
            return None;
        }
        buf.clear();
        buf.extend(&self.digits[g.digits.range()]);
        let intl = first.intl;
        let idd = if intl {
            0
        } else {
            self.dialled_prefix(buf.as_slice())
        };
        let international = intl || idd > 0;
        if len_i >= 12 && !(international && len_i <= 15 + idd) {
            return None;
        }
        let nanp_shortest = !international && self.region.is_nanp();
        // A NANP number written nationally has 10 digits, or 11 with the trunk 1: with no
        // other region to try, no other length can parse, so it is not tried.
        let nanp_only = nanp_shortest && self.candidates.is_empty();
        let mut best: Option<(usize, E164)> = None;
        for (j, m) in cluster.iter().enumerate().skip(i) {
            if j > i {
                let Some(g) = self.group(m) else { break };
                let len = g.digits.len();
                // Groups after an international prefix are joined only by separators.
                if len >= 12 || buf.len() + len > MAX_DIGITS + idd || (idd > 0 && m.gap_words > 0) {
                    break;
                }
                buf.extend(&self.digits[g.digits.range()]);
            }
            if nanp_only && !matches!(buf.len(), 10 | 11) {
                continue;
            }
            let parsed = match buf.as_slice().get(idd..) {
                Some(dialled) if idd > 0 => parse_international(dialled),
                _ => self.parse(buf.as_slice(), intl),
            };
            if let Some(e164) = parsed {
                best = Some((j, e164));
                if nanp_shortest {
                    break;
                }
            }
        }
        best
    }

    /// Whether a run of groups has a standard shape ([`Ctx::is_standard_shape`]), and how
    /// suspect it is as one number: 2 for a word gap inside, 1 for a non-standard grouping
    /// (NANP), 0 for a clean 3-3-4 / 10 / 1+10.
    fn shape_and_flaws(&self, members: &[Member]) -> (bool, u8) {
        let standard = self.is_standard_shape(members);
        let gap = members.iter().skip(1).any(|m| m.gap_words > 0);
        (standard, 2 * u8::from(gap) + u8::from(!standard))
    }

    /// True when the groups' lengths are a plain NANP shape: 3-3-4, 10, 1-3-3-4, 11, 1-10.
    fn is_standard_shape(&self, members: &[Member]) -> bool {
        let lengths = members
            .iter()
            .filter_map(|m| self.group(m))
            .map(|g| g.digits.len());
        let mut shape = [0usize; 4];
        let mut n = 0;
        for len in lengths {
            if n == shape.len() {
                return false;
            }
            shape[n] = len;
            n += 1;
        }
        matches!(
            &shape[..n],
            [3, 3, 4] | [10] | [1, 3, 3, 4] | [11] | [1, 10]
        )
    }

    /// A run of 20+ digits that is nothing but repeated/adjacent whole numbers.
    fn split_run(&self, g: &Group, hits: &mut Hits<'_>) {
        let run = &self.digits[g.digits.range()];
        let ascii: Vec<u8> = run.iter().map(|d| b'0' + d.d).collect();
        let n = ascii.len();
        // reach[p]: chunk length that ends at p on a complete path from 0 (0 = unreachable).
        let mut reach = vec![0u8; n + 1];
        let mut ok = vec![false; n + 1];
        ok[0] = true;
        for p in 0..n {
            if !ok[p] {
                continue;
            }
            for len in [10usize, 11] {
                if p + len <= n && !ok[p + len] && self.parse(&ascii[p..p + len], false).is_some() {
                    ok[p + len] = true;
                    reach[p + len] = len as u8;
                }
            }
        }
        if !ok[n] {
            return;
        }
        let mut chunks = Vec::new();
        let mut q = n;
        while q > 0 {
            let len = reach[q] as usize;
            if len == 0 {
                return;
            }
            chunks.push((q - len, q));
            q -= len;
        }
        chunks.reverse();
        for (a, b) in chunks {
            if let Some(e164) = self.parse(&ascii[a..b], false) {
                let mut kinds = g.kinds;
                kinds.add(PhoneKind::Sep);
                let span = run[a].start as usize..run[b - 1].end as usize;
                add_hit(hits, e164, span, kinds);
            }
        }
    }

    /// `standard` is [`Ctx::is_standard_shape`] of `members`.
    fn emit(&self, e164: E164, members: &[Member], standard: bool, hits: &mut Hits<'_>) {
        let mut kinds = PhoneKinds::default();
        let (mut start, mut end) = (usize::MAX, 0usize);
        for (k, m) in members.iter().enumerate() {
            let Some(g) = self.group(m) else { continue };
            kinds.0 |= g.kinds.0;
            if k > 0 {
                if m.gap_words > 0 {
                    kinds.add(PhoneKind::Gap);
                }
                if m.odd_sep {
                    kinds.add(PhoneKind::Sep);
                }
            }
            if let (Some(first), Some(last)) = (
                self.digits.get(g.digits.start()),
                self.digits.get(g.digits.end().wrapping_sub(1)),
            ) {
                start = start.min(first.start as usize);
                end = end.max(last.end as usize);
            }
        }
        // The plain shapes (3-3-4, 10, 1+10) are NANP's; elsewhere any grouping of ASCII digits
        // with plain separators counts as plain.
        if !standard && e164.is_nanp() {
            kinds.add(PhoneKind::Sep);
        }
        add_hit(hits, e164, start..end.max(start), kinds);
    }
}

/// Hits so far, de-duplicated by E.164 in order of first appearance: `list[..used]` (entries
/// past `used` are the previous text's, kept for their buffers). Texts with few numbers are
/// searched by a scan; the index is built only past [`Hits::SCAN`] distinct numbers.
struct Hits<'a> {
    list: &'a mut Vec<PhoneHit>,
    used: usize,
    index: rustc_hash::FxHashMap<E164, usize>,
}

impl Hits<'_> {
    const SCAN: usize = 16;

    fn position(&self, e164: &E164) -> Option<usize> {
        if self.used <= Self::SCAN {
            self.list[..self.used]
                .iter()
                .position(|h| h.e164.as_bytes() == e164.as_bytes())
        } else {
            self.index.get(e164).copied()
        }
    }

    /// A new hit with one occurrence, in a reused entry when there is one.
    fn push(&mut self, number: E164, span: Span, obfuscated: bool, kinds: PhoneKinds) {
        let occurrence = Occurrence {
            raw: String::new(),
            span: span.clone(),
            obfuscated,
            kinds,
        };
        match self.list.get_mut(self.used) {
            Some(hit) => {
                hit.e164.clear();
                number.push_to(&mut hit.e164);
                hit.span = span;
                hit.raw.clear();
                hit.occurrences.clear();
                hit.occurrences.push(occurrence);
                hit.obfuscated = obfuscated;
                hit.kinds = kinds;
            }
            None => self.list.push(PhoneHit {
                e164: number.to_string_lossless(),
                span,
                raw: String::new(),
                occurrences: vec![occurrence],
                obfuscated,
                kinds,
            }),
        }
        self.used += 1;
        if self.used == Self::SCAN + 1 {
            for (i, h) in self.list[..self.used].iter().enumerate() {
                if let Some(n) = E164::from_str(&h.e164) {
                    self.index.insert(n, i);
                }
            }
        } else if self.used > Self::SCAN + 1 {
            self.index.insert(number, self.used - 1);
        }
    }
}

fn add_hit(hits: &mut Hits<'_>, e164: E164, span: Span, kinds: PhoneKinds) {
    let obfuscated = !kinds.is_empty();
    if let Some(h) = hits.position(&e164).and_then(|i| hits.list.get_mut(i)) {
        h.occurrences.push(Occurrence {
            raw: String::new(),
            span,
            obfuscated,
            kinds,
        });
        h.obfuscated &= obfuscated;
        h.kinds.0 |= kinds.0;
        return;
    }
    hits.push(e164, span, obfuscated, kinds);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each number's raw occurrences in `text` (region US), in order.
    fn raws(text: &str) -> Vec<(String, Vec<String>)> {
        crate::extract(text, &crate::Options::default())
            .phones
            .into_iter()
            .map(|p| (p.e164, p.occurrences.into_iter().map(|o| o.raw).collect()))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn letters_end_is_the_first_non_letter(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b'a'), proptest::strategy::Just(b'z'),
                    proptest::strategy::Just(b'`'), proptest::strategy::Just(b'{'),
                    proptest::strategy::Just(b'5'), proptest::prelude::any::<u8>()
                ],
                0..40,
            ),
            i in 0usize..40,
            to in 0usize..40,
        ) {
            let to = to.min(bytes.len());
            let i = i.min(to);
            let expected = (i..to).find(|&k| !bytes[k].is_ascii_lowercase()).unwrap_or(to);
            proptest::prop_assert_eq!(letters_end(&bytes, i, to), expected);
        }
    }

    #[test]
    fn spans_include_the_plus_and_the_opening_paren() {
        let one = |e164: &str, raw: &[&str]| {
            (
                e164.to_owned(),
                raw.iter().map(|r| (*r).to_owned()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            raws("call (918) 555-0171 or +1 (918) 555-0171 or (918)555-0172"),
            [
                one("+19185550171", &["(918) 555-0171", "+1 (918) 555-0171"]),
                one("+19185550172", &["(918)555-0172"]),
            ]
        );
        assert_eq!(
            raws("tel:+14805550142, +1-212-555-0199"),
            [
                one("+14805550142", &["+14805550142"]),
                one("+12125550199", &["+1-212-555-0199"]),
            ]
        );
        // A balanced or absent `)` inside leaves a `(` before it out; a `(` after the start
        // is not one to include.
        assert_eq!(
            raws("(note 480-555-0142) and (480 (555) 0143"),
            [
                one("+14805550142", &["480-555-0142"]),
                one("+14805550143", &["480 (555) 0143"]),
            ]
        );
    }

    #[test]
    fn a_homophone_ending_the_text_after_a_spelled_number() {
        let e164s = |text: &str| -> Vec<String> { raws(text).into_iter().map(|p| p.0).collect() };
        assert_eq!(
            e164s("private rooms call two one zero five five five zero one two for"),
            ["+12105550124"]
        );
        // Not in prose, nor after digits, nor with anything after it.
        assert!(e164s("text me before nine for").is_empty());
        assert!(e164s("call 210 555 012 for").is_empty());
        assert!(e164s("call two one zero five five five zero one two for fun").is_empty());
    }

    /// The E.164 numbers `extract` reads in `text` with the default region `region`.
    fn e164s_in(text: &str, region: &str) -> Vec<String> {
        crate::extract(text, &crate::Options::default().with_region(region))
            .phones
            .into_iter()
            .map(|p| p.e164)
            .collect()
    }

    #[test]
    fn numbers_dialled_with_an_international_prefix() {
        let e164s = e164s_in;
        // Read as foreign numbers, not as the NANP numbers their last ten digits make.
        assert_eq!(e164s("call 011 44 20 7946 0018", "US"), ["+442079460018"]);
        assert_eq!(
            e164s("011-52-55-1234-5678 whatsapp", "US"),
            ["+525512345678"]
        );
        assert_eq!(e164s("ring 00 44 7911 123456", "GB"), ["+447911123456"]);
        assert_eq!(e164s("ring 0044 7911 123456", "FR"), ["+447911123456"]);
        // A prefix that does not lead to a valid number leaves the rest to the national reading.
        assert_eq!(e164s("code 011 480 555 0142", "US"), ["+14805550142"]);
        // A short group that merely starts like a prefix ("0115") is not one, and a prefix does
        // not reach across words.
        assert_eq!(
            e164s("call 555-0115 or 480 555 0142", "US"),
            ["+14805550142"]
        );
        assert_eq!(
            e164s("011 then 44 20 7946 0018", "US"),
            e164s("44 20 7946 0018", "US")
        );
        // `00` glued to a calling code is international in any region.
        assert_eq!(e164s("call 0044 20 7946 0018", "US"), ["+442079460018"]);
        assert_eq!(e164s("whatsapp 0033 6 12 34 56 78", "US"), ["+33612345678"]);
        // Not a calling code after `00` ("12"), `00` on its own, or a long run starting with
        // `00`: the national reading, which finds the number or nothing.
        assert_eq!(e164s("ref 0012 702 555 0143", "US"), ["+17025550143"]);
        assert_eq!(e164s("00 702 555 0143", "US"), ["+17025550143"]);
        assert!(e164s("order 00442079460018", "US").is_empty());
        // Where `00` is the region's own prefix, the long run is a number as before.
        assert_eq!(e164s("call 00442079460018", "FR"), ["+442079460018"]);
    }

    #[test]
    fn a_bare_calling_code_before_a_foreign_grouping() {
        let e164s = |text: &str| e164s_in(text, "US");
        // Read as the foreign number, not as the NANP number its last ten digits make
        // (+12079460018, +15512345678 before).
        assert_eq!(e164s("uk girl 44 20 7946 0018 call"), ["+442079460018"]);
        assert_eq!(e164s("whatsapp 52 55 1234 5678"), ["+525512345678"]);
        assert_eq!(e164s("44-20-7946-0018"), ["+442079460018"]);
        // The span takes the calling code.
        let hit = &crate::extract("uk 44 20 7946 0018", &crate::Options::default()).phones[0];
        assert_eq!(hit.span, 3..18);
        // A NANP grouping after it stays a NANP number; a word between, or a group that is no
        // calling code, leaves the national reading; where NANP reads nothing, so does this.
        assert_eq!(e164s("44 702 555 0143"), ["+17025550143"]);
        assert_eq!(e164s("44 7025550143"), ["+17025550143"]);
        assert_eq!(e164s("44 and 20 7946 0018"), ["+12079460018"]);
        assert_eq!(e164s("28 20 7946 0018"), ["+12079460018"]);
        assert_eq!(e164s("11 20 7946 0018"), ["+12079460018"]);
        assert!(e164s("33 6 12 34 56 78").is_empty());
        // Written otherwise than plainly, it is no calling code.
        for text in [
            "ninety 20 7946 0018",
            "４４ 20 7946 0018",
            "44 2o 7946 0018",
            "44~20~7946~0018",
        ] {
            assert!(
                e164s(text)
                    .iter()
                    .all(|e| !e.starts_with("+44") && !e.starts_with("+90")),
                "{text}"
            );
        }
        // Any NANP region reads so; a region of its own reads it nationally, as before.
        assert_eq!(e164s_in("52 55 1234 5678", "CA"), ["+525512345678"]);
        assert_eq!(e164s_in("44 20 7946 0018", "GB"), ["+442079460018"]);
    }

    #[test]
    fn a_glued_extension_is_not_part_of_the_number() {
        let e164s = |text: &str| -> Vec<String> { raws(text).into_iter().map(|p| p.0).collect() };
        for text in [
            "702.555.0143x2",
            "call 7025550143ext12 today",
            "7025550143extn3",
            "office 702-555-0143extension 204",
            "call7025550143x21",
        ] {
            assert_eq!(e164s(text), ["+17025550143"], "{text}");
        }
        assert_eq!(raws("702.555.0143x2")[0].1, ["702.555.0143"]);
        // Not an extension: no digit before the marker, or too many after it.
        assert_eq!(super::extension_start(b"box12"), None);
        assert_eq!(super::extension_start(b"0143x1234567"), None);
        assert_eq!(super::extension_start(b"0143x2"), Some(4));
        assert_eq!(super::extension_start(b"0143ext12"), Some(4));
        // A glued extension after a lone digit stays as inert as the letters after it were.
        assert_eq!(e164s("photos 4x6 702 555 0143"), ["+17025550143"]);
    }

    #[test]
    fn a_trunk_zero_after_the_country_code_is_dropped() {
        let e164s = |text: &str| -> Vec<String> { raws(text).into_iter().map(|p| p.0).collect() };
        assert_eq!(e164s("call +44 (0)20 7946 0018 now"), ["+442079460018"]);
        assert_eq!(e164s("+33 (0)1 23 45 67 89"), ["+33123456789"]);
        assert_eq!(
            raws("ring +44 (0)20 7946 0018")[0].1,
            ["+44 (0)20 7946 0018"]
        );
    }

    /// A standalone reading keeps its digits in place ([`WordDigits`]), which holds two.
    #[test]
    fn no_dictionary_entry_reads_as_more_than_two_digits() {
        for (word, info) in crate::words::dictionary() {
            assert!(
                matches!(info.digits.len(), 1 | 2),
                "{}",
                String::from_utf8_lossy(word)
            );
        }
    }

    /// `text` folded, and its tokens in a scratch.
    fn tokenized(text: &str) -> (Folded, PhoneScratch) {
        let mut folded = Folded::default();
        folded.refill(text);
        let mut scratch = PhoneScratch::default();
        tokenize_into(&folded, &[], &mut scratch);
        (folded, scratch)
    }

    /// The digits of each group of `text` once every pass has run (no strip mask).
    fn groups_read(text: &str) -> Vec<String> {
        let mut folded = Folded::default();
        folded.refill(text);
        let mut scratch = PhoneScratch::default();
        read_items(&folded, &[], &mut scratch);
        let digits_of = |g: &Group| {
            scratch.digits[g.digits.range()]
                .iter()
                .map(|d| char::from(b'0' + d.d))
                .collect()
        };
        scratch
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Group(g) => Some(digits_of(g)),
                _ => None,
            })
            .collect()
    }

    /// The items and digits after converting standalone words, with the right-to-left pass
    /// skipped when nothing changed (as `find` does) or always taken.
    fn standalone_converted(text: &str, always_both_ways: bool) -> String {
        let (folded, mut scratch) = tokenized(text);
        let PhoneScratch {
            digits,
            items,
            later,
            ..
        } = &mut scratch;
        let mut bare_tens = later.bare_tens;
        convert_standalone_passes(
            items,
            &later.standalone_words,
            &folded,
            digits,
            &mut bare_tens,
            always_both_ways,
        );
        format!("{items:?} {digits:?} {bare_tens}")
    }

    #[test]
    fn skipping_the_still_right_to_left_pass_changes_nothing() {
        for text in [
            "site siiete cero",
            "call for 480 to 555 oh one four two",
            "oh oh 4805550142 for you",
            "tree for to won ate once cero uno once",
            "trenita y nueve sesenta y sis",
            "i l 4 l i",
            "",
        ] {
            assert_eq!(
                standalone_converted(text, false),
                standalone_converted(text, true),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn skipping_the_still_right_to_left_pass_changes_nothing_on_word_salad(
            words in proptest::collection::vec(
                "(o|oh|to|too|for|fore|won|ate|tree|once|y|i|l|siiete|site|fiev|cero|uno|four|trenita|sis|forty|the|call|480|5|55|0142)",
                0..14,
            )
        ) {
            let text = words.join(" ");
            proptest::prop_assert_eq!(
                standalone_converted(&text, false),
                standalone_converted(&text, true)
            );
        }
    }

    /// How many repeat words of `text` converted.
    fn repeats_converted(text: &str) -> usize {
        let (folded, mut scratch) = tokenized(text);
        let PhoneScratch {
            digits,
            items,
            later,
            ..
        } = &mut scratch;
        assert!(later.lists_exactly(items));
        convert_standalone(items, &later.standalone_words, &folded, digits, &mut false);
        convert_repeats(items, &later.repeats, &folded, digits);
        later
            .repeats
            .iter()
            .filter(|&&k| matches!(items[k], Item::Group(_)))
            .count()
    }

    fn e164s(text: &str) -> Vec<String> {
        raws(text).into_iter().map(|p| p.0).collect()
    }

    /// The numbers the phone stage reads in `text` (region US) with no strip mask.
    fn unmasked_e164s(text: &str) -> Vec<String> {
        let folded = Folded::new(text);
        let mut hits = Vec::new();
        find(
            &folded,
            &[],
            Region::us(),
            &[],
            &mut PhoneScratch::default(),
            &mut hits,
        );
        hits.into_iter().map(|p| p.e164).collect()
    }

    #[test]
    fn repeat_words_inside_numbers() {
        for (text, expected) in [
            ("txt 702 double five 5 0143", "+17025550143"),
            ("702 double 5 5 0143", "+17025550143"),
            ("702-double-five-5-0143", "+17025550143"),
            (
                "seven oh two double five five oh one four three",
                "+17025550143",
            ),
            ("702 555 01 double four", "+17025550144"),
            ("call 480 triple seven 0142", "+14807770142"),
            (
                "four eight oh Triple Seven zero one four two",
                "+14807770142",
            ),
            ("480 555 double oh 42", "+14805550042"),
            ("480 555 double zero 42", "+14805550042"),
            ("702 555 01 double oh", "+17025550100"),
            ("(702) double five 5-0143", "+17025550143"),
            // Spanish.
            (
                "cuatro ocho cero doble cinco cinco cero uno cuatro dos",
                "+14805550142",
            ),
            (
                "dos uno dos triple siete cero uno nueve nueve",
                "+12127770199",
            ),
            ("480 555 doble cero 42", "+14805550042"),
            // A repeat word whose number goes on through another one.
            ("triple eight double five 5 0142", "+18885550142"),
        ] {
            assert_eq!(e164s(text), [expected], "{text}");
        }
        // Spans run from the repeat word, kinds name it.
        let ex = crate::extract("txt 702 double five 5 0143!", &crate::Options::default());
        assert_eq!(ex.phones[0].raw, "702 double five 5 0143");
        assert_eq!(ex.phones[0].kinds.to_string(), "sep,word");
        assert!(ex.phones[0].obfuscated);
        let ex = crate::extract("call triple eight 555 0142", &crate::Options::default());
        assert_eq!(ex.phones[0].e164, "+18885550142");
        assert_eq!(ex.phones[0].raw, "triple eight 555 0142");
    }

    #[test]
    fn repeat_words_in_prose_change_nothing() {
        let real = ["+17025550143"];
        for text in [
            "double session 200 call 702 555 0143",
            "call 702 555 0143 double session 200",
            "triple the fun 702 555 0143",
            "702 555 0143 triple the fun",
            "double room, call 702-555-0143",
            "702-555-0143 double room",
            "double 5 star hotel 702 555 0143",
            "702 555 0143 double 5 star hotel",
            "702 555 0143, double five star hotel",
            "doble habitación 702 555 0143",
            "702 555 0143 triple x",
            "double l 702 555 0143",
        ] {
            assert_eq!(e164s(text), real, "{text}");
            assert_eq!(repeats_converted(text), 0, "{text}");
        }
        // Glued, doubled, or with no number around: not read.
        for text in [
            "double five",
            "triple seven",
            "702 doublefive 5 0143",
            "702 double5 5 0143",
            "double, five 5 0143",
        ] {
            assert_eq!(repeats_converted(text), 0, "{text}");
        }
        // Of two repeat words in a row only the second has a digit after it.
        assert_eq!(repeats_converted("double double five 5 0143"), 1);
    }

    #[test]
    fn hundreds_after_a_unit() {
        for (text, expected) in [
            (
                "seven hundred two five five five zero one four three",
                "+17025550143",
            ),
            ("call seven hundred two 555 0143", "+17025550143"),
            ("seven hundred and two, 555-0143", "+17025550143"),
            (
                "seven-hundred-two five five five oh one four three",
                "+17025550143",
            ),
            (
                "seven oh two five hundred fifty five oh one four three",
                "+17025550143",
            ),
            (
                "seven oh two five hundred fifty-five zero one forty three",
                "+17025550143",
            ),
            ("seven hundred twelve 555 0143", "+17125550143"),
            ("nine hundred fifty 555 0143", "+19505550143"),
            ("7 hundred 2 555 0143", "+17025550143"),
            ("702 five hundred 55 0143", "+17025550143"),
            ("702 555 zero one hundred", "+17025550100"),
            (
                "setecientos dos cinco cinco cinco cero uno cuatro tres",
                "+17025550143",
            ),
            (
                "siete cero dos quinientos cincuenta y cinco cero uno cuatro tres",
                "+17025550143",
            ),
            ("novecientos cincuenta 555 0143", "+19505550143"),
            ("702 555 0 ciento veinte", "+17025550120"),
            // Two digits from words before `hundred` (tens merged with their unit).
            ("forty eight hundred five 55 0142", "+14805550142"),
            (
                "seventy-two hundred five, five five zero one four three",
                "+17205550143",
            ),
            (
                "forty-eight hundred and five, five five, zero one four two",
                "+14805550142",
            ),
            // The feminine Spanish forms.
            ("setecientas dos 555 0143", "+17025550143"),
            ("702 quinientas cincuenta y cinco 0143", "+17025550143"),
        ] {
            assert_eq!(e164s(text), [expected], "{text}");
            assert!(
                crate::extract(text, &crate::Options::default()).obfuscated,
                "{text}"
            );
        }
    }

    /// Every area code from 100 to 999 that `spell` writes out (from its hundreds, tens and
    /// units digits) reads as the same code written in digits; how many codes were read.
    fn spelled_codes_read_as_digits(
        spell: impl Fn(usize, usize, usize) -> Option<String>,
    ) -> usize {
        let mut read = 0;
        for npa in 100..1000usize {
            let Some(spelled) = spell(npa / 100, npa / 10 % 10, npa % 10) else {
                continue;
            };
            let written = e164s(&format!("call {npa} 555 0143"));
            assert_eq!(
                e164s(&format!("call {spelled} 555 0143")),
                written,
                "{spelled}"
            );
            read += written.len();
        }
        read
    }

    /// An area code spelled with `hundred` (`seven hundred two`, `four hundred and eighty`,
    /// `nine hundred fifty-five`, `two hundred`) reads as the same code written in digits.
    #[test]
    fn area_codes_spelled_with_hundred_read_as_their_digits() {
        use crate::words::{EN_TEENS, EN_TENS, EN_UNITS};
        let read = spelled_codes_read_as_digits(|h, t, u| {
            let rest = match (t, u) {
                (0, 0) => String::new(),
                (0, u) => format!(" {}", EN_UNITS[u]),
                (1, u) => format!(" {}", EN_TEENS[u]),
                (t, 0) => format!(" {}", EN_TENS[t - 2]),
                (t, u) if u % 2 == 0 => format!(" {}-{}", EN_TENS[t - 2], EN_UNITS[u]),
                (t, u) => format!(" {} {}", EN_TENS[t - 2], EN_UNITS[u]),
            };
            let and = if (t + u) % 3 == 0 && !rest.is_empty() {
                " and"
            } else {
                ""
            };
            Some(format!("{} hundred{and}{rest}", EN_UNITS[h]))
        });
        // Most codes from 200 on are valid (691 of them when this was written): the comparison is
        // not between two empty lists.
        assert!(read > 600, "{read} codes read");
    }

    /// The same in Spanish, whose words for hundreds hold their unit (`setecientos dos`,
    /// `cuatrocientos ochenta`, `novecientos cincuenta y cinco`); the tens from thirty on.
    #[test]
    fn area_codes_spelled_with_spanish_hundreds_read_as_their_digits() {
        use crate::words::{ES_TENS, ES_UNITS};
        const HUNDREDS: [&str; 8] = [
            "doscientos",
            "trescientos",
            "cuatrocientos",
            "quinientos",
            "seiscientos",
            "setecientos",
            "ochocientos",
            "novecientos",
        ];
        let read = spelled_codes_read_as_digits(|h, t, u| {
            let rest = match (t, u) {
                (0, 0) => String::new(),
                (0, u) => format!(" {}", ES_UNITS[u]),
                (1 | 2, _) => return None,
                (t, 0) => format!(" {}", ES_TENS[t - 3]),
                (t, u) => format!(" {} y {}", ES_TENS[t - 3], ES_UNITS[u]),
            };
            Some(format!("{}{rest}", HUNDREDS.get(h.checked_sub(2)?)?))
        });
        assert!(read > 400, "{read} codes read");
    }

    /// A lone number before a number written in single digits, after a clause mark, is not the
    /// number's start (it would take the first nine digits and strand the last).
    #[test]
    fn a_lone_group_after_a_clause_mark_is_not_the_start_of_a_spelled_number() {
        let real = ["+17025550143"];
        for text in [
            "open till nine. seven oh two five five five oh one four three",
            "call at eight, seven oh two five five five oh one four three",
            "call after six: seven oh two five five five oh one four three",
            "call after 6. seven oh two five five five oh one four three",
            "text me at 8! 7 0 2 5 5 5 0 1 4 3",
            "open till nine\nseven oh two five five five oh one four three",
            "till nine / seven oh two five five five oh one four three",
            "till nine - seven zero two - five five five - zero one four three",
            // Unchanged: nothing stranded, or nothing before.
            "seven, oh two five five five oh one four three",
            "seven oh two five five five oh one four three. one",
            "seven oh two. five five five. oh one four three",
        ] {
            assert_eq!(e164s(text), real, "{text}");
        }
        // With no clause mark the lone word is no stray: the number is read from it, as before.
        assert_ne!(
            e164s("call at eight seven oh two five five five oh one four three"),
            real
        );
    }

    /// Stray groups before a word gap inside the first number read are dropped for a number
    /// that starts after the gap and has fewer flaws, and strays before a plain number inside
    /// it for that number.
    #[test]
    fn stray_groups_before_a_word_gap_give_way_to_a_cleaner_number() {
        for (text, expected) in [
            (
                "six, ok, forty, call 702 555 zero one nine one",
                "+17025550191",
            ),
            (
                "seis: snapname, forty, donations 702/555/cero 1 nine 1",
                "+17025550191",
            ),
            // A plain number inside the first reading, after strays without a word gap.
            ("ages 21-25, 702-555-0143", "+17025550143"),
            ("ages 21-25 702 555 0143", "+17025550143"),
            // Unchanged: no stray before the number.
            ("call 702 555 zero one nine one", "+17025550191"),
            ("1 702 555 0143", "+17025550143"),
        ] {
            assert_eq!(e164s(text), [expected], "{text}");
        }
    }

    /// The groups that two digits from words before `hundred` write: a teen, or tens merged
    /// with their unit; bare tens, numerals and look-alikes are no such unit.
    #[test]
    fn hundreds_after_two_digits_from_words() {
        for (text, groups) in [
            ("nineteen hundred", &["19", "00"][..]),
            ("twenty one hundred five", &["21", "05"]),
            ("forty-eight hundred and twelve", &["48", "12"]),
            ("veintiuno", &["21"]),
            ("twenty hundred", &["20"]),
            ("21 hundred", &["21"]),
            ("ten hundred", &["10", "00"]),
        ] {
            assert_eq!(groups_read(text), groups, "{text}");
        }
    }

    #[test]
    fn hundreds_without_a_unit_before_change_nothing() {
        let real = ["+17025550143"];
        for text in [
            "a hundred roses, call 702 555 0143",
            "hundred percent real 702 555 0143",
            "702 555 0143 hundreds of happy clients",
            "702 555 0143 one hundred percent real",
            "702 555 0143, two hundred roses",
            "twenty one hundred 702 555 0143",
            "l hundred 702 555 0143",
            "cien por ciento real 702 555 0143",
            "100% real, cien rosas 702 555 0143",
            "llama 702 555 0143 doscientos la hora",
            "702 555 0143 y quinientos",
            // A clock time: bare tens are no unit, and a time stands apart from the number.
            "twenty hundred hours, 702 555 0143",
            "meet at nineteen hundred hours, call 702 555 0143",
        ] {
            assert_eq!(e164s(text), real, "{text}");
        }
        // No unit right before: the numbers read as they did.
        assert!(e164s("seven, hundred two 555 0143").is_empty());
        assert!(e164s("a hundred two 555 0143").is_empty());
    }

    /// The rule on whole tokens, spelled out: each repeat word that converts (see the module
    /// docs) is replaced by its digit written out once less, and each other one by a prose
    /// word (one word between groups, as it was); the rewritten text reads the same numbers.
    /// Tokens are single-space separated, `oh` comes only right after a repeat word, no other
    /// ambiguous word occurs, and both texts are read by the phone stage alone, without the
    /// strip pass's mask: the strip pass sees digit shapes that the rewrite changes (a bare
    /// 4-4-4 run followed by a digit, `0199 0143 0142 doble eight` against `0199 0143 0142 8
    /// eight`), so every neighbour is what the rule sees.
    fn rewrite_repeats(tokens: &[&str]) -> String {
        let digit = |t: &str| -> Option<(u8, bool)> {
            match t.as_bytes() {
                [d @ b'0'..=b'9'] => Some((d - b'0', false)),
                _ => crate::words::unit_word_value(t.as_bytes())
                    .or((matches!(t, "zero" | "cero" | "oh")).then_some(0))
                    .map(|d| (d, true)),
            }
        };
        let times = |t: &str| repeat_times(t.as_bytes());
        let mut out: Vec<String> = tokens.iter().map(|t| (*t).to_owned()).collect();
        let mut converted = vec![false; tokens.len()];
        // Numeric: digits, a number word, a converted repeat word or the digit after one.
        let numeric = |k: usize, converted: &[bool]| {
            let t = tokens[k];
            if t == "oh" {
                return k > 0 && converted[k - 1];
            }
            converted[k]
                || t.bytes().all(|b| b.is_ascii_digit())
                || crate::words::lookup(t.as_bytes()).is_some_and(|w| !w.ambiguous)
        };
        loop {
            let mut changed = false;
            for k in 0..tokens.len() {
                let (Some(n), false) = (times(tokens[k]), converted[k]) else {
                    continue;
                };
                let Some((d, spelled)) = tokens.get(k + 1).and_then(|t| digit(t)) else {
                    continue;
                };
                if times(tokens[k + 1]).is_some() {
                    continue;
                }
                let left = spelled && k > 0 && numeric(k - 1, &converted);
                let right = k + 2 < tokens.len() && numeric(k + 2, &converted);
                if left || right {
                    converted[k] = true;
                    out[k] =
                        std::iter::repeat_n(char::from(b'0' + d), usize::from(n - 1)).collect();
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for (k, t) in tokens.iter().enumerate() {
            if times(t).is_some() && !converted[k] {
                out[k] = "zzz".to_owned();
            }
        }
        out.join(" ")
    }

    proptest::proptest! {
        #[test]
        fn repeat_words_read_as_their_digits_written_out(
            tokens in proptest::collection::vec(
                "(480|555|0142|212|0199|702|0143|5|0|7|8|four|five|seven|eight|cero|cinco|nueve|zero|double|triple|doble|double oh|triple oh|hotel|nice|the|call)",
                0..16,
            )
        ) {
            let text = tokens.join(" ");
            let split: Vec<&str> = text.split(' ').filter(|t| !t.is_empty()).collect();
            let rewritten = rewrite_repeats(&split);
            proptest::prop_assert_eq!(
                unmasked_e164s(&text),
                unmasked_e164s(&rewritten),
                "{} / {}",
                text,
                rewritten
            );
        }
    }

    #[test]
    fn intl_context_is_any_of_the_three_endings() {
        for before in [
            "",
            "+",
            "call +",
            "wa.me/",
            "https://wa.me/",
            "a.me/",
            "/",
            "phone=",
            "?phone=",
            "hone=",
            "=",
            "x",
            "tel ",
            "+ ",
        ] {
            let b = before.as_bytes();
            let expected = b.ends_with(b"+") || b.ends_with(b"wa.me/") || b.ends_with(b"phone=");
            assert_eq!(intl_context(b), expected, "{before:?}");
        }
    }
}
