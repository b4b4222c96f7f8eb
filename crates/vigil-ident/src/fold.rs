//! Unicode folding (design §4 steps 2–5) into one lowercase ASCII byte per unit, keeping for
//! every unit the byte range of the original text it came from.
//!
//! Nearly every unit is a *plain* unit: one ASCII byte of the text, lowercased, whose range is
//! that byte and which carries no flags. Only the units' bytes are stored densely; the other
//! units are *exceptions*, kept sparsely in unit order with their range and flags:
//! - the units of a non-ASCII character (digit forms, NFKC expansions such as "ﬁ" → "fi" with
//!   one range for both, 🔟 → "10", emoji, accented letters);
//! - an ASCII unit that absorbed a keycap or variation selector after it ("4️⃣" is one unit);
//! - an ASCII `|` between digits read as `1` (flag [`LOOK`]);
//! - an ASCII unit that does not start where the unit before it ends (only after a keycap part
//!   at the very start of the text, which has nothing to attach to and is dropped).
//!
//! Units tile the text (each starts where the one before it ends, the first at 0) and their
//! starts never decrease, so a plain unit's range follows from the last exception before it.
//! Folding an ad is then a vectorised copy-and-lowercase of its ASCII runs plus a few
//! exception records (one per non-ASCII character, about three an ad), and looking a unit up
//! is a short search over those few exceptions.

use unicode_normalization::UnicodeNormalization;

use crate::digit_table::DIGIT_RANGES;

/// The unit came from a non-ASCII digit form (keycap, fullwidth, math, circled, any `Nd`).
pub(crate) const UNI: u8 = 1;
/// The unit is a `|` between digits read as `1`.
pub(crate) const LOOK: u8 = 2;

/// Placeholder for a non-ASCII letter with no ASCII base: a letter that is in no number word.
const OTHER_LETTER: u8 = b'j';
/// Placeholder for any other non-ASCII symbol (emoji, dingbats): an odd separator.
const OTHER_SYMBOL: u8 = b'~';
/// The unit of `€` (and of what NFKC maps to it). Prices need the sign told apart from other
/// symbols, and every printable ASCII byte already stands for itself; this control byte (the
/// record separator) is one no ad types, and like `~` it is no word char, space or digit to the
/// other passes.
pub(crate) const EURO_SIGN: u8 = 0x1E;
/// The unit of `£` (and of fullwidth `￡`, which NFKC maps to it), for the same reason; the unit
/// separator control byte.
pub(crate) const POUND_SIGN: u8 = 0x1F;

/// The folded text: `bytes[u]` is lowercase ASCII; [`Folded::origins`] and [`Folded::span`]
/// tell where in the original text units came from.
#[derive(Debug, Default)]
pub(crate) struct Folded {
    pub(crate) bytes: Vec<u8>,
    /// The units that are not plain, sorted by unit (see the module doc).
    exceptions: Vec<Exception>,
    /// Whether an exception's unit is `|` (`｜` folds to one): see [`Folded::push_char_missed`].
    pipe_exceptions: bool,
    /// Whether the text holds a character of East Asian script or a fullwidth colon
    /// ([`is_east_asian_key`]): only such texts can hold the handle cues written that way.
    pub(crate) east_asian: bool,
    /// Whether the text holds a fullwidth `＠` or `．` (see `email::find_with`).
    pub(crate) fullwidth_email_signs: bool,
    /// Whether the text holds the ghost emoji, [`SNAPCHAT_GHOST`] (see `handle::find_with`).
    pub(crate) snapchat_ghost: bool,
    /// Whether the text may hold a letter of a spaced script (a character of U+0080–U+05BF or
    /// U+1E00–U+1EFF; see `word_char`): only such texts can hold a name or address that runs
    /// into one.
    pub(crate) spaced_letters: bool,
    /// Scratch: the text followed by [`PADDING`] (see [`Folded::refill`]).
    padded: Vec<u8>,
    /// Recent non-ASCII characters and their units (NFKC per character is costly and ads
    /// repeat the same few emoji and digit forms).
    cache: CharCache,
}

/// Where a unit came from: `text[start..end]`, with its [`UNI`] and [`LOOK`] flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Origin {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) flags: u8,
}

/// A unit whose origin is not that of a plain unit.
#[derive(Clone, Copy, Debug)]
struct Exception {
    unit: usize,
    origin: Origin,
}

/// The iterator of [`Folded::origins`].
pub(crate) struct Origins<'a> {
    exceptions: &'a [Exception],
    units: std::ops::Range<usize>,
    /// The index in `exceptions` of the first exception not before the next unit.
    next_exception: usize,
    /// That exception's unit (`usize::MAX` if there is none).
    next_exception_unit: usize,
    /// Where the next unit starts if it is plain.
    plain_start: u32,
}

impl Iterator for Origins<'_> {
    type Item = Origin;

    fn next(&mut self) -> Option<Origin> {
        let unit = self.units.next()?;
        if unit != self.next_exception_unit {
            let start = self.plain_start;
            self.plain_start += 1;
            return Some(Origin {
                start,
                end: start + 1,
                flags: 0,
            });
        }
        let origin = self.exceptions.get(self.next_exception)?.origin;
        self.next_exception += 1;
        self.next_exception_unit = self
            .exceptions
            .get(self.next_exception)
            .map_or(usize::MAX, |e| e.unit);
        self.plain_start = origin.end;
        Some(origin)
    }
}

/// The origin of plain unit `unit`, given the last exception before it: plain units follow
/// one byte apart from where that exception ends (or from 0).
fn plain_origin(unit: usize, preceding: Option<&Exception>) -> Origin {
    let start = match preceding {
        Some(p) => p.origin.end as usize + (unit - p.unit - 1),
        None => unit,
    } as u32;
    Origin {
        start,
        end: start + 1,
        flags: 0,
    }
}

/// A direct-mapped cache from a character to the units it folds to (at most four), keyed
/// by the character's UTF-8 bytes so that a hit needs no decoding.
#[derive(Debug)]
struct CharCache {
    slots: Box<[CachedChar; CharCache::SLOTS]>,
}

#[derive(Clone, Copy, Debug, Default)]
struct CachedChar {
    /// The character's UTF-8 bytes, little-endian ([`utf8_key`]); 0 in an empty slot (NUL is
    /// ASCII, never cached).
    key: u32,
    len: u8,
    bytes: [u8; 4],
    flags: [u8; 4],
}

/// The UTF-8 bytes of the non-ASCII character that starts `padded` (at least four bytes
/// long) as one number, and their count.
fn utf8_key(padded: &[u8]) -> (u32, usize) {
    let mut word = [0u8; 4];
    word.copy_from_slice(&padded[..4]);
    // The lead byte tells the length: 110xxxxx two bytes, 1110xxxx three, 11110xxx four.
    let len = 2 + u32::from(padded[0] >= 0xE0) + u32::from(padded[0] >= 0xF0);
    let key = u32::from_le_bytes(word) & (u32::MAX >> (32 - 8 * len));
    (key, len as usize)
}

/// Whether `c` is of U+3000–U+D7FF (CJK punctuation, kana, CJK ideographs, Hangul) or the
/// fullwidth colon: what [`Folded::east_asian`] flags.
pub(crate) fn is_east_asian(c: char) -> bool {
    ('\u{3000}'..='\u{D7FF}').contains(&c) || c == '\u{FF1A}'
}

/// The fullwidth `＠` and `．` that ads typed with an East Asian keyboard write for `@` and `.`
/// (`janedoe＠gmail．com`).
pub(crate) const FULLWIDTH_AT: char = '\u{FF20}';
pub(crate) const FULLWIDTH_DOT: char = '\u{FF0E}';

/// Whether `c` is [`FULLWIDTH_AT`] or [`FULLWIDTH_DOT`]: what [`Folded::fullwidth_email_signs`]
/// flags.
pub(crate) fn is_fullwidth_email_sign(c: char) -> bool {
    c == FULLWIDTH_AT || c == FULLWIDTH_DOT
}

/// The ghost emoji, Snapchat's logo, that ads write for "Snapchat" (`👻: jane_22`).
pub(crate) const SNAPCHAT_GHOST: char = '\u{1F47B}';

/// The [`utf8_key`] of [`SNAPCHAT_GHOST`] (its four bytes, F0 9F 91 BB, little-endian).
const SNAPCHAT_GHOST_KEY: u32 = 0xBB_91_9F_F0;

/// [`is_east_asian`] of the character whose [`utf8_key`] is `key`, without decoding it: the
/// lead byte of a three-byte character tells the range (0xE3–0xED), the whole key the colon.
fn is_east_asian_key(key: u32) -> bool {
    let lead = key as u8;
    (0xE3..=0xED).contains(&lead) || key == 0x9A_BC_EF
}

/// Whether the character whose [`utf8_key`] is `key` is of U+0080–U+05BF (lead bytes
/// 0xC2–0xD6) or U+1E00–U+1EFF (0xE1 then 0xB8–0xBB): what [`Folded::spaced_letters`] flags,
/// a superset of `word_char::continues_word`.
fn may_be_spaced_letter_key(key: u32) -> bool {
    let [lead, second, ..] = key.to_le_bytes();
    (0xC2..=0xD6).contains(&lead) || (lead == 0xE1 && (0xB8..=0xBB).contains(&second))
}

/// [`is_fullwidth_email_sign`] of the character whose [`utf8_key`] is `key`.
fn is_fullwidth_email_sign_key(key: u32) -> bool {
    key == 0xA0_BC_EF || key == 0x8E_BC_EF
}

impl Default for CharCache {
    // Not inlined: the array must not become a stack temporary (and a stack probe) of every
    // function that may create a `Folded`.
    #[inline(never)]
    fn default() -> Self {
        let slots = vec![CachedChar::default(); CharCache::SLOTS].into_boxed_slice();
        CharCache {
            // The conversion cannot fail (the length is right); the fallback only avoids a
            // panic path.
            slots: slots
                .try_into()
                .unwrap_or_else(|_| Box::new([CachedChar::default(); CharCache::SLOTS])),
        }
    }
}

impl CharCache {
    /// Ads use a few hundred distinct non-ASCII characters at most; with this many slots
    /// they seldom evict each other.
    const SLOTS_LOG2: u32 = 11;
    const SLOTS: usize = 1 << Self::SLOTS_LOG2;

    fn slot(key: u32) -> usize {
        // Multiplicative (Fibonacci) hashing: the top bits of the product mix all of `key`.
        (key.wrapping_mul(0x9E37_79B1) >> (32 - Self::SLOTS_LOG2)) as usize
    }

    fn get(&self, key: u32) -> Option<&CachedChar> {
        Some(&self.slots[Self::slot(key)]).filter(|entry| entry.key == key)
    }

    fn put(&mut self, entry: CachedChar) {
        self.slots[Self::slot(entry.key)] = entry;
    }
}

/// The ASCII digit of a non-ASCII code point whose numeric type is Decimal or Digit.
pub(crate) fn unicode_digit(c: char) -> Option<u8> {
    let cp = c as u32;
    let i = DIGIT_RANGES.partition_point(|&(_, last, _)| last < cp);
    let &(first, last, value) = DIGIT_RANGES.get(i)?;
    (first <= cp && cp <= last).then(|| value + (cp - first) as u8)
}

/// ASCII runs are lowercased this many bytes at a time (the width of the vectorised loop).
const BLOCK: usize = 32;
/// Non-ASCII bytes after the copy of the text that [`Folded::refill`] reads: every ASCII run
/// ends before them, a run's last block can be read whole, and every character has four
/// bytes to read.
const PADDING: [u8; BLOCK] = [0x80; BLOCK];
// The high bit of each byte of a word: set only in the non-ASCII ones.
use crate::swar::HIGH as HIGH_BITS;

/// The length of the ASCII prefix of `bytes`, thirty-two bytes at a time.
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    let mut n = 0;
    for block in bytes.chunks_exact(BLOCK) {
        let mut words = [0u64; BLOCK / 8];
        for (word, chunk) in words.iter_mut().zip(block.chunks_exact(8)) {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(chunk);
            *word = u64::from_le_bytes(eight);
        }
        if words.iter().fold(0, |any, word| any | word) & HIGH_BITS != 0 {
            for word in words {
                let high = word & HIGH_BITS;
                if high != 0 {
                    return n + (high.trailing_zeros() / 8) as usize;
                }
                n += 8;
            }
        }
        n += BLOCK;
    }
    n + bytes[n..].iter().take_while(|b| b.is_ascii()).count()
}

/// `b.to_ascii_lowercase()`, in a form that vectorises to one signed comparison instead of
/// the two operations of an unsigned one: the capitals are exactly the bytes that land below
/// -102 when shifted by 63 (`A` + 63 = 128 = -128, `Z` + 63 = 153 = -103).
fn to_lowercase(b: u8) -> u8 {
    let capital = (b.wrapping_add(63) as i8) < -102;
    b | (u8::from(capital) << 5)
}

/// What [`push_ascii_run`] saw in a run that the fold must look at again.
#[derive(Clone, Copy, Default)]
struct RunMarks {
    /// A `|`, which may be a look-alike `1` ([`Folded::mark_pipe_lookalikes`]).
    pipes: bool,
    /// A raw [`EURO_SIGN`] or [`POUND_SIGN`] control byte ([`Folded::mark_raw_sign_units`]).
    sign_bytes: bool,
}

/// Appends the ASCII run that starts `rest` to `units`, lowercased, and returns its length and
/// what in it the fold must look at again.
///
/// When `rest` has a whole block past the run's end the run is lowercased in whole blocks,
/// in a loop LLVM vectorises with no byte-by-byte tail, and the units past its end are cut
/// off again (a `|` or control byte among them only costs a needless search).
fn push_ascii_run(units: &mut Vec<u8>, rest: &[u8]) -> (usize, RunMarks) {
    let run = ascii_prefix_len(rest);
    let first_unit = units.len();
    let window = rest
        .get(..run.next_multiple_of(BLOCK))
        .unwrap_or(&rest[..run]);
    let mut pipes = false;
    let mut sign_bytes = false;
    units.extend(window.iter().map(|&b| {
        pipes |= b == b'|';
        // The two control bytes are the ones that are 0x1F with their low bit set.
        sign_bytes |= (b | 1) == POUND_SIGN;
        to_lowercase(b)
    }));
    units.truncate(first_unit + run);
    (run, RunMarks { pipes, sign_bytes })
}

impl Folded {
    /// Folds `text`. Texts past 4 GiB are folded up to that point only (offsets are `u32`).
    #[cfg(test)]
    pub(crate) fn new(text: &str) -> Self {
        let mut f = Folded::default();
        f.refill(text);
        f
    }

    /// Folds `text` into this value, reusing its buffers.
    pub(crate) fn refill(&mut self, text: &str) {
        // Offsets are `u32`: a longer text is folded up to there only. A character boundary,
        // so that no character straddles it.
        let limit = (0..=text.len().min(u32::MAX as usize - 1))
            .rev()
            .find(|&k| text.is_char_boundary(k))
            .unwrap_or(0);
        self.bytes.clear();
        self.exceptions.clear();
        self.pipe_exceptions = false;
        self.east_asian = false;
        self.fullwidth_email_signs = false;
        self.snapchat_ghost = false;
        self.spaced_letters = false;
        self.bytes.reserve(limit + BLOCK);
        // Runs and characters are read from a copy of the text padded with non-ASCII bytes,
        // so every run ends in a whole block and every character has four bytes to read.
        self.padded.clear();
        self.padded.extend_from_slice(&text.as_bytes()[..limit]);
        self.padded.extend_from_slice(&PADDING);
        let mut ascii_pipes = false;
        let mut ascii_sign_bytes = false;
        let mut i = 0;
        while i < limit {
            let rest = &self.padded[i..];
            if rest[0] < 0x80 {
                // Units tile the text, except that keycap parts at its very start have no unit
                // to join and are dropped: then the first unit does not start at 0.
                if i != 0 && self.bytes.is_empty() {
                    self.exceptions.push(Exception {
                        unit: self.bytes.len(),
                        origin: Origin {
                            start: i as u32,
                            end: i as u32 + 1,
                            flags: 0,
                        },
                    });
                }
                let (run, marks) = push_ascii_run(&mut self.bytes, rest);
                ascii_pipes |= marks.pipes;
                ascii_sign_bytes |= marks.sign_bytes;
                i += run;
                continue;
            }
            let (key, len) = utf8_key(rest);
            self.east_asian |= is_east_asian_key(key);
            self.fullwidth_email_signs |= is_fullwidth_email_sign_key(key);
            self.snapchat_ghost |= key == SNAPCHAT_GHOST_KEY;
            self.spaced_letters |= may_be_spaced_letter_key(key);
            let next = i + len;
            self.push_char(text, key, i, next);
            i = next;
        }
        if ascii_pipes || self.pipe_exceptions {
            self.mark_pipe_lookalikes();
        }
        if ascii_sign_bytes {
            self.mark_raw_sign_units(text);
        }
    }

    /// Makes the units of raw [`EURO_SIGN`] / [`POUND_SIGN`] control bytes in `text` (which the
    /// ASCII path copied as they are) [`OTHER_SYMBOL`]s, so that those units come only from `€`
    /// and `£` and only the signs give a price its currency. Texts rarely hold such a byte, so
    /// this runs only when an ASCII run may have held one.
    fn mark_raw_sign_units(&mut self, text: &str) {
        let raw = text.as_bytes();
        for u in 0..self.bytes.len() {
            let b = self.bytes[u];
            if (b == EURO_SIGN || b == POUND_SIGN)
                && raw.get(self.origin(u).start as usize) == Some(&b)
            {
                self.bytes[u] = OTHER_SYMBOL;
            }
        }
    }

    /// Drops buffers grown by a huge text so a long-lived scratch does not keep them.
    pub(crate) fn shrink(&mut self) {
        if self.bytes.capacity().max(self.padded.capacity()) > 1 << 20
            || self.exceptions.capacity() > 1 << 16
        {
            self.release_buffers();
        }
    }

    /// Frees the buffers (not the character cache). Out of line: it is rare, and inlined
    /// it would make every caller of [`Folded::shrink`] bigger.
    #[cold]
    #[inline(never)]
    fn release_buffers(&mut self) {
        self.bytes = Vec::new();
        self.padded = Vec::new();
        self.exceptions = Vec::new();
    }

    /// How many exceptions come before unit `unit`.
    fn exceptions_before(&self, unit: usize) -> usize {
        // A text has a handful of exceptions at most, as a rule: then a linear scan is
        // cheaper than the branches of a binary search.
        const LINEAR: usize = 8;
        match self.exceptions.get(..LINEAR) {
            Some(_) => self.exceptions.partition_point(|e| e.unit < unit),
            None => self.exceptions.iter().take_while(|e| e.unit < unit).count(),
        }
    }

    /// Where unit `unit` (< `bytes.len()`) came from, given how many exceptions come before it.
    fn origin_with(&self, unit: usize, before: usize) -> Origin {
        debug_assert!(unit < self.bytes.len());
        match self.exceptions.get(before) {
            Some(e) if e.unit == unit => e.origin,
            _ => plain_origin(
                unit,
                before.checked_sub(1).and_then(|k| self.exceptions.get(k)),
            ),
        }
    }

    /// Where unit `unit` (< `bytes.len()`) came from.
    fn origin(&self, unit: usize) -> Origin {
        self.origin_with(unit, self.exceptions_before(unit))
    }

    /// Where each of `units` (within `bytes`) came from, in order: one search, then constant
    /// time per unit.
    pub(crate) fn origins(&self, units: std::ops::Range<usize>) -> Origins<'_> {
        debug_assert!(units.end <= self.bytes.len());
        let next_exception = self.exceptions_before(units.start);
        let preceding = next_exception
            .checked_sub(1)
            .and_then(|k| self.exceptions.get(k));
        Origins {
            exceptions: &self.exceptions,
            next_exception,
            next_exception_unit: self
                .exceptions
                .get(next_exception)
                .map_or(usize::MAX, |e| e.unit),
            plain_start: plain_origin(units.start, preceding).start,
            units,
        }
    }

    /// Where units `a..b` (within `bytes`) start in the text when every one of them is
    /// plain: one byte each, contiguous, no flags. `None` when one of them is an exception.
    pub(crate) fn plain_start(&self, a: usize, b: usize) -> Option<u32> {
        let before = self.exceptions_before(a);
        match self.exceptions.get(before) {
            Some(e) if e.unit < b => None,
            _ => Some(
                plain_origin(
                    a,
                    before.checked_sub(1).and_then(|k| self.exceptions.get(k)),
                )
                .start,
            ),
        }
    }

    /// The original byte range covered by units `a..b` (non-empty).
    pub(crate) fn span(&self, a: usize, b: usize) -> std::ops::Range<usize> {
        let before = self.exceptions_before(a);
        let start = self.origin_with(a, before).start as usize;
        match self.exceptions.get(before) {
            // Units `a..b` hold an exception: look the last one up too.
            Some(e) if e.unit < b => start..self.origin(b - 1).end as usize,
            // All plain: one byte each, contiguous.
            _ => start..start + (b - a),
        }
    }

    /// The first unit starting at or after byte `offset` of the text (`bytes.len()` if none).
    fn first_unit_from(&self, offset: usize) -> usize {
        // Starts never decrease, so every unit up to the last exception starting before
        // `offset` starts before it too; after that exception come plain units, one byte
        // apart, up to the next exception (which starts at or after `offset`).
        let after = self
            .exceptions
            .partition_point(|e| (e.origin.start as usize) < offset);
        let preceding = after.checked_sub(1).and_then(|k| self.exceptions.get(k));
        let next_exception = self
            .exceptions
            .get(after)
            .map_or(self.bytes.len(), |e| e.unit);
        let first_plain = preceding.map_or(0, |p| p.unit + 1);
        let first_plain_start = plain_origin(first_plain, preceding).start as usize;
        (first_plain + offset.saturating_sub(first_plain_start)).min(next_exception)
    }

    /// The origin of the last unit, in constant time (it is the last exception or after it).
    fn last_origin(&self) -> Option<Origin> {
        let unit = self.bytes.len().checked_sub(1)?;
        let preceding = self.exceptions.last();
        Some(match preceding {
            Some(e) if e.unit == unit => e.origin,
            _ => plain_origin(unit, preceding),
        })
    }

    /// Appends a unit that is an exception.
    fn push(&mut self, b: u8, start: usize, end: usize, flags: u8) {
        self.exceptions.push(Exception {
            unit: self.bytes.len(),
            origin: Origin {
                start: start as u32,
                end: end as u32,
                flags,
            },
        });
        self.bytes.push(b);
    }

    /// Extends the last unit over `text[start..end]` if it ends at `start`.
    fn absorb_into_last(&mut self, start: usize, end: usize, flags: u8) {
        let (Some(unit), Some(last)) = (self.bytes.len().checked_sub(1), self.last_origin()) else {
            return;
        };
        if last.end as usize != start {
            return;
        }
        let extended = Origin {
            end: end as u32,
            flags: last.flags | flags,
            ..last
        };
        match self.exceptions.last_mut() {
            Some(e) if e.unit == unit => e.origin = extended,
            _ => self.exceptions.push(Exception {
                unit,
                origin: extended,
            }),
        }
    }

    /// Folds the non-ASCII character `text[start..end]`, whose [`utf8_key`] is `key`.
    fn push_char(&mut self, text: &str, key: u32, start: usize, end: usize) {
        // Characters with a rule of their own below are never cached, so a hit is the answer.
        if let Some(hit) = self.cache.get(key).copied() {
            for k in 0..usize::from(hit.len) {
                self.push(hit.bytes[k], start, end, hit.flags[k]);
            }
            return;
        }
        self.push_char_missed(text, key, start, end);
    }

    /// [`Folded::push_char`] for a character not in the cache: kept out of line so that the
    /// loop of [`Folded::refill`] stays small.
    #[cold]
    #[inline(never)]
    fn push_char_missed(&mut self, text: &str, key: u32, start: usize, end: usize) {
        let Some(c) = text.get(start..).and_then(|rest| rest.chars().next()) else {
            return;
        };
        match c {
            // Keycap parts and variation selectors: absorbed into the unit before them.
            '\u{FE0F}' | '\u{FE0E}' => self.absorb_into_last(start, end, 0),
            '\u{20E3}' => self.absorb_into_last(start, end, UNI),
            '\u{1F51F}' => {
                self.push(b'1', start, end, UNI);
                self.push(b'0', start, end, UNI);
            }
            '\u{2018}' | '\u{2019}' | '\u{2032}' => self.push(b'\'', start, end, 0),
            '\u{201C}' | '\u{201D}' | '\u{2033}' => self.push(b'"', start, end, 0),
            _ => {
                let first_unit = self.bytes.len();
                let first_exception = self.exceptions.len();
                fold_plain_char(c, |b, flags| self.push(b, start, end, flags));
                let units = first_unit..self.bytes.len();
                // A character folding to a `|` (`｜`) is never cached, so that only this path
                // has to note exceptions that are `|`.
                let pipe = self.bytes[units.clone()].contains(&b'|');
                self.pipe_exceptions |= pipe;
                if units.len() <= 4 && !pipe {
                    let mut entry = CachedChar {
                        key,
                        len: units.len() as u8,
                        bytes: [0; 4],
                        flags: [0; 4],
                    };
                    entry.bytes[..units.len()].copy_from_slice(&self.bytes[units.clone()]);
                    // Every unit of a non-ASCII character is an exception.
                    for (flags, e) in entry
                        .flags
                        .iter_mut()
                        .zip(&self.exceptions[first_exception..])
                    {
                        *flags = e.origin.flags;
                    }
                    self.cache.put(entry);
                }
            }
        }
    }

    /// `|` (up to three in a row) between two digits is a look-alike `1` (design §4 step 9).
    /// Runs of `|` are disjoint, so each is decided on its own; `memchr` finds them. Out of
    /// line: most texts have no `|`.
    #[inline(never)]
    fn mark_pipe_lookalikes(&mut self) {
        // The exceptions are rebuilt in unit order as look-alikes are found (each one gets
        // [`LOOK`]); the new buffer has the old one's capacity so it need not grow later.
        let mut merged: Vec<Exception> = Vec::new();
        let mut moved = 0;
        let mut from = 1;
        while let Some(off) = self
            .bytes
            .get(from..)
            .and_then(|rest| memchr::memchr(b'|', rest))
        {
            let i = from + off;
            let run_end = i + self.bytes[i..].iter().take_while(|&&b| b == b'|').count();
            if self.bytes[i - 1].is_ascii_digit()
                && run_end - i <= 3
                && self.bytes.get(run_end).is_some_and(u8::is_ascii_digit)
            {
                if merged.capacity() == 0 {
                    merged.reserve(self.exceptions.capacity().max(self.exceptions.len() + 4));
                }
                for unit in i..run_end {
                    self.bytes[unit] = b'1';
                    while let Some(&e) = self.exceptions.get(moved).filter(|e| e.unit < unit) {
                        merged.push(e);
                        moved += 1;
                    }
                    let mut origin = match self.exceptions.get(moved).filter(|e| e.unit == unit) {
                        Some(e) => {
                            moved += 1;
                            e.origin
                        }
                        None => plain_origin(unit, merged.last()),
                    };
                    origin.flags |= LOOK;
                    merged.push(Exception { unit, origin });
                }
            }
            from = run_end;
        }
        if !merged.is_empty() {
            merged.extend_from_slice(&self.exceptions[moved..]);
            self.exceptions = merged;
        }
    }

    /// The folded-unit ranges of `unit_ranges` plus those covering the original-text `spans`,
    /// sorted and coalesced.
    #[cfg(test)]
    pub(crate) fn merge_mask<'a>(
        &self,
        unit_ranges: &[(usize, usize)],
        spans: impl Iterator<Item = &'a std::ops::Range<usize>>,
    ) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        self.merged_mask(unit_ranges, spans, &mut out).to_vec()
    }

    /// [`Folded::merge_mask`] without a copy where it can: `unit_ranges` itself when no span
    /// covers a unit (most texts have no e-mail, handle or wallet), else the merge, made in
    /// `out` (cleared first).
    pub(crate) fn merged_mask<'m, 'a>(
        &self,
        unit_ranges: &'m [(usize, usize)],
        spans: impl Iterator<Item = &'a std::ops::Range<usize>>,
        out: &'m mut Vec<(usize, usize)>,
    ) -> &'m [(usize, usize)] {
        out.clear();
        for s in spans {
            let a = self.first_unit_from(s.start);
            let b = self.first_unit_from(s.end);
            if a < b {
                out.push((a, b));
            }
        }
        if out.is_empty() {
            return unit_ranges;
        }
        out.extend_from_slice(unit_ranges);
        out.sort_unstable();
        // Coalesce in place: `kept` ranges are final, each later one joins the last or follows.
        let mut kept = 0usize;
        for r in 0..out.len() {
            let (a, b) = out[r];
            match kept.checked_sub(1).and_then(|last| out.get_mut(last)) {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => {
                    out[kept] = (a, b);
                    kept += 1;
                }
            }
        }
        out.truncate(kept);
        out
    }
}

/// The units of one character that has no rule of its own, as `(byte, flags)` to `emit`: a
/// Unicode digit, or its NFKC form mapped to ASCII. The fold and its dense test oracle share
/// it (the oracle checks the sparse representation and the cache, not this mapping).
fn fold_plain_char(c: char, mut emit: impl FnMut(u8, u8)) {
    if let Some(d) = unicode_digit(c) {
        emit(b'0' + d, UNI);
        return;
    }
    for n in std::iter::once(c).nfkc() {
        if n.is_ascii() {
            let flags = if n.is_ascii_digit() { UNI } else { 0 };
            emit((n as u8).to_ascii_lowercase(), flags);
        } else if let Some(d) = unicode_digit(n) {
            emit(b'0' + d, UNI);
        } else if n == '€' {
            emit(EURO_SIGN, 0);
        } else if n == '£' {
            emit(POUND_SIGN, 0);
        } else if n.is_whitespace() {
            emit(b' ', 0);
        } else if n.is_alphabetic() {
            let base = std::iter::once(n)
                .nfd()
                .next()
                .filter(char::is_ascii_alphabetic);
            emit(
                base.map_or(OTHER_LETTER, |b| (b as u8).to_ascii_lowercase()),
                0,
            );
        } else {
            emit(OTHER_SYMBOL, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dense fold this representation replaced, kept as the oracle: every unit's byte,
    /// start, end and flags in four arrays, one character at a time, no cache.
    #[derive(Debug, Default)]
    struct DenseFold {
        bytes: Vec<u8>,
        start: Vec<u32>,
        end: Vec<u32>,
        flags: Vec<u8>,
    }

    impl DenseFold {
        fn new(text: &str) -> Self {
            let mut f = DenseFold::default();
            for (i, c) in text.char_indices() {
                f.push_char(c, i, i + c.len_utf8());
            }
            let mut i = 1;
            while i < f.bytes.len() {
                if f.bytes[i] != b'|' || !f.bytes[i - 1].is_ascii_digit() {
                    i += 1;
                    continue;
                }
                let run_end = i + f.bytes[i..].iter().take_while(|&&b| b == b'|').count();
                if run_end - i <= 3 && f.bytes.get(run_end).is_some_and(u8::is_ascii_digit) {
                    for k in i..run_end {
                        f.bytes[k] = b'1';
                        f.flags[k] |= LOOK;
                    }
                }
                i = run_end;
            }
            f
        }

        fn push(&mut self, b: u8, start: usize, end: usize, flags: u8) {
            self.bytes.push(b);
            self.start.push(start as u32);
            self.end.push(end as u32);
            self.flags.push(flags);
        }

        fn push_char(&mut self, c: char, start: usize, end: usize) {
            match c {
                '\u{FE0F}' | '\u{FE0E}' | '\u{20E3}' => {
                    if let Some(last) = self.end.last_mut() {
                        if *last as usize == start {
                            *last = end as u32;
                            if c == '\u{20E3}' {
                                if let Some(fl) = self.flags.last_mut() {
                                    *fl |= UNI;
                                }
                            }
                        }
                    }
                }
                '\u{1F51F}' => {
                    self.push(b'1', start, end, UNI);
                    self.push(b'0', start, end, UNI);
                }
                '\u{2018}' | '\u{2019}' | '\u{2032}' => self.push(b'\'', start, end, 0),
                '\u{201C}' | '\u{201D}' | '\u{2033}' => self.push(b'"', start, end, 0),
                '\u{1E}' | '\u{1F}' => self.push(OTHER_SYMBOL, start, end, 0),
                c if c.is_ascii() => self.push(c.to_ascii_lowercase() as u8, start, end, 0),
                c => fold_plain_char(c, |b, flags| self.push(b, start, end, flags)),
            }
        }

        fn origin(&self, u: usize) -> Origin {
            Origin {
                start: self.start[u],
                end: self.end[u],
                flags: self.flags[u],
            }
        }
    }

    /// Asserts that `folded` answers every question the dense oracle answers, identically.
    fn assert_matches_dense(
        folded: &Folded,
        text: &str,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let dense = DenseFold::new(text);
        proptest::prop_assert_eq!(&folded.bytes, &dense.bytes);
        let n = dense.bytes.len();
        for u in 0..n {
            proptest::prop_assert_eq!(folded.origin(u), dense.origin(u), "unit {}", u);
        }
        for a in 0..=n {
            let expected: Vec<Origin> = (a..n).map(|u| dense.origin(u)).collect();
            let origins: Vec<Origin> = folded.origins(a..n).collect();
            proptest::prop_assert_eq!(origins, expected, "from unit {}", a);
            proptest::prop_assert_eq!(folded.origins(a..a).count(), 0);
        }
        for a in 0..n {
            for b in a + 1..=n {
                let expected = dense.start[a] as usize..dense.end[b - 1] as usize;
                proptest::prop_assert_eq!(folded.span(a, b), expected);
                // A range reported plain is one byte per unit, contiguous, with no flags.
                if let Some(start) = folded.plain_start(a, b) {
                    for u in a..b {
                        let plain = Origin {
                            start: start + (u - a) as u32,
                            end: start + (u - a) as u32 + 1,
                            flags: 0,
                        };
                        proptest::prop_assert_eq!(dense.origin(u), plain, "unit {}", u);
                    }
                }
            }
        }
        for offset in 0..=text.len() + 1 {
            let expected = dense.start.partition_point(|&s| (s as usize) < offset);
            proptest::prop_assert_eq!(
                folded.first_unit_from(offset),
                expected,
                "offset {}",
                offset
            );
        }
        Ok(())
    }

    /// Text rich in everything folding treats specially, mixed with arbitrary characters.
    const TRICKY: &str = "([0-9a-zA-Z|]{1,12}|[ |#*.]|[\u{20e3}\u{fe0f}\u{fe0e}🔟①❶⓿➁４٤४𝟘𝟡𝟙｜ﬁﬃ½²Ⅳ№㍻\u{fdfa}\u{301}\u{345}é\u{a0}\u{3000}‘’“”′″💯🔥👑€£￡\u{1e}\u{1f}]|4\u{fe0f}\u{20e3}|\\PC){0,40}";

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(1024))]

        /// The sparse representation answers origins, spans and offset look-ups exactly as
        /// the dense fold did, cold and after a warm-up text has filled the character cache.
        #[test]
        fn sparse_fold_equals_the_dense_reference(warm_up in TRICKY, text in TRICKY) {
            assert_matches_dense(&Folded::new(&text), &text)?;
            let mut warm = Folded::default();
            warm.refill(&warm_up);
            warm.refill(&text);
            assert_matches_dense(&warm, &text)?;
        }

        /// The masks built from original-text spans equal those of the dense start array.
        #[test]
        fn merge_mask_equals_the_dense_reference(
            text in TRICKY,
            spans in proptest::collection::vec((0usize..200, 0usize..40), 0..4),
        ) {
            let folded = Folded::new(&text);
            let dense = DenseFold::new(&text);
            let spans: Vec<std::ops::Range<usize>> =
                spans.into_iter().map(|(s, len)| s..s + len).collect();
            let unit_of = |offset: usize| dense.start.partition_point(|&s| (s as usize) < offset);
            let mut expected: Vec<(usize, usize)> = spans
                .iter()
                .map(|s| (unit_of(s.start), unit_of(s.end)))
                .filter(|(a, b)| a < b)
                .collect();
            expected.sort_unstable();
            let mut coalesced: Vec<(usize, usize)> = Vec::new();
            for (a, b) in expected {
                match coalesced.last_mut() {
                    Some(last) if a <= last.1 => last.1 = last.1.max(b),
                    _ => coalesced.push((a, b)),
                }
            }
            proptest::prop_assert_eq!(folded.merge_mask(&[], spans.iter()), coalesced);
        }
    }

    #[test]
    fn folds_digit_forms_to_ascii_with_original_spans() {
        let f = Folded::new("４⓿❶➁٤");
        assert_eq!(f.bytes, b"40124");
        let starts: Vec<u32> = (0..5).map(|u| f.origin(u).start).collect();
        assert_eq!(starts, vec![0, 3, 6, 9, 12]);
        assert!((0..5).all(|u| f.origin(u).flags & UNI != 0));
    }

    #[test]
    fn keycaps_fold_into_their_digit() {
        let f = Folded::new("4\u{FE0F}\u{20E3}8\u{20E3}");
        assert_eq!(f.bytes, b"48");
        assert_eq!((f.origin(0).start, f.origin(0).end), (0, 7));
        assert_eq!(f.origin(0).flags & UNI, UNI);
        assert_eq!((f.origin(1).start, f.origin(1).end), (7, 11));
    }

    #[test]
    fn plain_units_follow_the_exception_before_them() {
        let f = Folded::new("é12 ﬁ\u{FE0F}x");
        assert_eq!(f.bytes, b"e12 fix");
        let ranges: Vec<(u32, u32)> = (0..7)
            .map(|u| (f.origin(u).start, f.origin(u).end))
            .collect();
        assert_eq!(
            ranges,
            [(0, 2), (2, 3), (3, 4), (4, 5), (5, 8), (5, 11), (11, 12)]
        );
    }

    #[test]
    fn keycap_parts_at_the_start_are_dropped() {
        let f = Folded::new("\u{20E3}\u{FE0F}ab");
        assert_eq!(f.bytes, b"ab");
        assert_eq!(f.span(0, 2), 6..8);
        assert_eq!(f.first_unit_from(0), 0);
        assert_eq!(f.first_unit_from(7), 1);
    }

    #[test]
    fn roman_numerals_stay_letters() {
        assert_eq!(Folded::new("Ⅳ").bytes, b"iv");
        assert_eq!(Folded::new("Ⅻ").bytes, b"xii");
    }

    #[test]
    fn pipes_between_digits_are_ones() {
        assert_eq!(Folded::new("0||9 a|b 1|").bytes, b"0119 a|b 1|");
        assert_eq!(Folded::new("|1|2||||3|").bytes, b"|112||||3|");
        let f = Folded::new("é1|2");
        let flags: Vec<u8> = (0..4).map(|u| f.origin(u).flags).collect();
        assert_eq!(flags, [0, 0, LOOK, 0]);
        assert_eq!((f.origin(2).start, f.origin(3).start), (3, 4));
    }

    #[test]
    fn a_fullwidth_pipe_between_digits_is_a_one_warm_or_cold() {
        let mut f = Folded::default();
        for _ in 0..2 {
            f.refill("4｜5 é");
            assert_eq!(f.bytes, b"415 e");
            let origins: Vec<Origin> = f.origins(0..3).collect();
            let range = |start, end, flags| Origin { start, end, flags };
            assert_eq!(origins, [range(0, 1, 0), range(1, 4, LOOK), range(4, 5, 0)]);
        }
    }

    #[test]
    fn many_exceptions_are_searched_like_few() {
        let text = "a💯1🔥2👑3४4５5é6①7❶8ﬁ9½0 tail 12|34 end";
        let (folded, dense) = (Folded::new(text), DenseFold::new(text));
        assert!(folded.exceptions.len() > 8);
        for u in 0..dense.bytes.len() {
            assert_eq!(folded.origin(u), dense.origin(u), "unit {u}");
            let tail: Vec<Origin> = folded.origins(u..dense.bytes.len()).collect();
            assert_eq!(tail[0], dense.origin(u));
        }
    }

    /// The byte-by-byte definition the `memchr` version must equal.
    fn pipes_reference(bytes: &mut [u8]) {
        let mut i = 1;
        while i < bytes.len() {
            if bytes[i] != b'|' || !bytes[i - 1].is_ascii_digit() {
                i += 1;
                continue;
            }
            let run_end = i + bytes[i..].iter().take_while(|&&b| b == b'|').count();
            if run_end - i <= 3 && bytes.get(run_end).is_some_and(u8::is_ascii_digit) {
                bytes[i..run_end].fill(b'1');
            }
            i = run_end;
        }
    }

    proptest::proptest! {
        #[test]
        fn pipe_lookalikes_equal_the_bytewise_definition(text in "[0-9|a ]{0,24}") {
            let mut expected = text.clone().into_bytes();
            pipes_reference(&mut expected);
            proptest::prop_assert_eq!(Folded::new(&text).bytes, expected);
        }
    }

    proptest::proptest! {
        /// A warm character cache folds exactly as a cold one does.
        #[test]
        fn cached_folding_equals_uncached(
            warm_up in "([💯🔥👑४５é①❶ﬁ½²Ⅳ№\u{20e3}\u{fe0f}\u{a0}a1 ]|\\PC){0,40}",
            text in "([💯🔥👑४５é①❶ﬁ½²Ⅳ№\u{20e3}\u{fe0f}\u{a0}a1 ]|\\PC){0,40}",
        ) {
            let mut warm = Folded::default();
            warm.refill(&warm_up);
            warm.refill(&text);
            let cold = Folded::new(&text);
            proptest::prop_assert_eq!(&warm.bytes, &cold.bytes);
            for u in 0..cold.bytes.len() {
                proptest::prop_assert_eq!(warm.origin(u), cold.origin(u));
            }
        }
    }

    #[test]
    fn lowercases_every_byte_as_std_does() {
        for b in 0..=u8::MAX {
            assert_eq!(to_lowercase(b), b.to_ascii_lowercase(), "{b:#x}");
        }
    }

    /// Only `€` and `£` fold to the currency units; the control bytes that stand for them
    /// inside the fold are an odd symbol when a text holds them raw.
    #[test]
    fn raw_currency_unit_bytes_are_symbols() {
        assert_eq!(Folded::new("€5 £5").bytes, b"\x1e5 \x1f5");
        assert_eq!(Folded::new("\u{1e}5 \u{1f}5 A").bytes, b"~5 ~5 a");
        assert_eq!(Folded::new("\u{1e}é").bytes, b"~e");
        // After a keycap part absorbed into it, the unit is still the raw byte's.
        assert_eq!(Folded::new("\u{1f}\u{fe0f}5€").bytes, b"~5\x1e");
    }

    #[test]
    fn ascii_prefix_is_measured_across_word_boundaries() {
        let text = "0123456789abcdefé and more";
        assert_eq!(ascii_prefix_len(text.as_bytes()), 16);
        assert_eq!(ascii_prefix_len(b"short"), 5);
        assert_eq!(ascii_prefix_len("1234567é".as_bytes()), 7);
        assert_eq!(ascii_prefix_len(b""), 0);
    }

    /// Runs shorter than, equal to and longer than a block, ending at the end of the text or
    /// before a non-ASCII character with and without a whole block of text after them.
    #[test]
    fn ascii_runs_of_every_length_fold_exactly() {
        let letters = "The Quick Brown Fox Jumps Over The Lazy Dog 0123456789 AND MORE!";
        for len in 0..=letters.len() {
            let run = &letters[..len];
            for text in [
                run.to_string(),
                format!("{run}é"),
                format!("{run}é{letters}"),
                format!("é{run}💯{run}"),
            ] {
                let expected = DenseFold::new(&text);
                let folded = Folded::new(&text);
                assert_eq!(folded.bytes, expected.bytes, "{text}");
                let origins: Vec<Origin> = folded.origins(0..folded.bytes.len()).collect();
                let dense: Vec<Origin> = (0..expected.bytes.len())
                    .map(|u| expected.origin(u))
                    .collect();
                assert_eq!(origins, dense, "{text}");
            }
        }
    }

    #[test]
    fn east_asian_texts_are_flagged() {
        for (text, expected) in [
            ("微信 jane88", true),
            ("ライン", true),
            ("카톡", true),
            ("wechat\u{ff1a}jane88", true),
            ("　", true),
            ("call ７０２ 💯 café ✨", false),
            ("plain", false),
        ] {
            let mut f = Folded::new("微信");
            f.refill(text);
            assert_eq!(f.east_asian, expected, "{text}");
        }
    }

    /// The flags read from the keys mean what their character definitions say, for every
    /// non-ASCII character.
    #[test]
    fn key_tests_equal_their_character_definitions() {
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let mut padded = [0u8; 8];
            c.encode_utf8(&mut padded);
            let (key, _) = utf8_key(&padded);
            assert_eq!(is_east_asian_key(key), is_east_asian(c), "{c:?}");
            assert_eq!(
                is_fullwidth_email_sign_key(key),
                is_fullwidth_email_sign(c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn the_snapchat_ghost_is_flagged() {
        let mut key = [0u8; 4];
        SNAPCHAT_GHOST.encode_utf8(&mut key);
        assert_eq!(u32::from_le_bytes(key), SNAPCHAT_GHOST_KEY);
        for (text, expected) in [
            ("👻 jane_22", true),
            ("snap👻", true),
            ("🎃 jane_22", false),
            ("plain text", false),
        ] {
            assert_eq!(Folded::new(text).snapchat_ghost, expected, "{text}");
        }
    }

    #[test]
    fn spaced_letters_are_flagged_for_every_character_that_continues_a_word() {
        for c in (0x80..0x2000).filter_map(char::from_u32) {
            if crate::word_char::continues_word(c) {
                let text = format!("a{c}b");
                assert!(Folded::new(&text).spaced_letters, "{c:?}");
            }
        }
        for text in ["plain text", "💋 👻 微信 ๓", "×"] {
            let flagged = Folded::new(text).spaced_letters;
            assert_eq!(flagged, text == "×", "{text}");
        }
    }

    #[test]
    fn fullwidth_email_signs_are_flagged() {
        for (text, expected) in [
            ("jane\u{ff20}gmail", true),
            ("gmail\u{ff0e}com", true),
            ("jane@gmail.com \u{ff1a}", false),
        ] {
            assert_eq!(Folded::new(text).fullwidth_email_signs, expected, "{text}");
        }
    }

    #[test]
    fn ten_emoji_is_two_digits() {
        assert_eq!(Folded::new("0🔟0").bytes, b"0100");
    }
}
