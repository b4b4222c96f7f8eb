//! Unicode folding (design §4 steps 2–5) into one ASCII byte per unit, keeping for every unit
//! the byte range of the original text it came from.

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

/// The folded text: `bytes[i]` is lowercase ASCII and came from `text[start[i]..end[i]]`.
#[derive(Debug, Default)]
pub(crate) struct Folded {
    pub(crate) bytes: Vec<u8>,
    pub(crate) start: Vec<u32>,
    pub(crate) end: Vec<u32>,
    pub(crate) flags: Vec<u8>,
    /// Recent non-ASCII characters and their units (NFKC per character is costly and ads
    /// repeat the same few emoji and digit forms).
    cache: CharCache,
}

/// A direct-mapped cache from a character to the units it folds to (at most four).
#[derive(Debug, Default)]
struct CharCache {
    slots: Vec<CachedChar>,
}

#[derive(Clone, Copy, Debug)]
struct CachedChar {
    /// The character, or `u32::MAX` in an empty slot.
    code: u32,
    len: u8,
    bytes: [u8; 4],
    flags: [u8; 4],
}

impl CharCache {
    const SLOTS: usize = 256;

    fn slot(c: char) -> usize {
        let cp = c as usize;
        (cp ^ (cp >> 8)) % Self::SLOTS
    }

    fn get(&self, c: char) -> Option<&CachedChar> {
        self.slots
            .get(Self::slot(c))
            .filter(|entry| entry.code == c as u32)
    }

    fn put(&mut self, entry: CachedChar) {
        if self.slots.is_empty() {
            self.slots = vec![
                CachedChar {
                    code: u32::MAX,
                    len: 0,
                    bytes: [0; 4],
                    flags: [0; 4],
                };
                Self::SLOTS
            ];
        }
        if let Some(c) = char::from_u32(entry.code) {
            if let Some(slot) = self.slots.get_mut(Self::slot(c)) {
                *slot = entry;
            }
        }
    }
}

/// The ASCII digit of a non-ASCII code point whose numeric type is Decimal or Digit.
pub(crate) fn unicode_digit(c: char) -> Option<u8> {
    let cp = c as u32;
    let i = DIGIT_RANGES.partition_point(|&(_, last, _)| last < cp);
    let &(first, last, value) = DIGIT_RANGES.get(i)?;
    (first <= cp && cp <= last).then(|| value + (cp - first) as u8)
}

/// The length of the ASCII prefix of `bytes`, eight bytes at a time.
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    let mut n = 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if u64::from_le_bytes(word) & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        n += 8;
    }
    n + bytes[n..].iter().take_while(|b| b.is_ascii()).count()
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
        let limit = text.len().min(u32::MAX as usize - 1);
        let f = self;
        f.bytes.clear();
        f.start.clear();
        f.end.clear();
        f.flags.clear();
        f.bytes.reserve(limit);
        f.start.reserve(limit);
        f.end.reserve(limit);
        f.flags.reserve(limit);
        let bytes = text.as_bytes();
        let mut i = 0usize;
        while i < limit {
            if bytes[i] < 0x80 {
                let run = ascii_prefix_len(&bytes[i..limit]);
                f.push_ascii_run(&bytes[i..i + run], i);
                i += run;
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            let next = i + c.len_utf8();
            if next > limit {
                break;
            }
            f.push_char(c, i, next);
            i = next;
        }
        f.mark_pipe_lookalikes();
    }

    /// Drops buffers grown by a huge text so a long-lived scratch does not keep them.
    pub(crate) fn shrink(&mut self) {
        if self.bytes.capacity() > 1 << 20 {
            *self = Folded::default();
        }
    }

    /// A run of ASCII in bulk: one unit per byte, each loop simple enough to vectorise.
    fn push_ascii_run(&mut self, run: &[u8], start: usize) {
        let first = start as u32;
        let last = first + run.len() as u32;
        self.bytes.extend(run.iter().map(u8::to_ascii_lowercase));
        self.start.extend(first..last);
        self.end.extend(first + 1..last + 1);
        self.flags.resize(self.flags.len() + run.len(), 0);
    }

    fn push(&mut self, b: u8, start: usize, end: usize, flags: u8) {
        self.bytes.push(b);
        self.start.push(start as u32);
        self.end.push(end as u32);
        self.flags.push(flags);
    }

    fn push_char(&mut self, c: char, start: usize, end: usize) {
        match c {
            // Keycap parts and variation selectors: absorbed into the unit before them.
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
            _ => {
                if let Some(hit) = self.cache.get(c).copied() {
                    for k in 0..usize::from(hit.len) {
                        self.push(hit.bytes[k], start, end, hit.flags[k]);
                    }
                    return;
                }
                let first_unit = self.bytes.len();
                self.push_char_uncached(c, start, end);
                let units = first_unit..self.bytes.len();
                if units.len() <= 4 {
                    let mut entry = CachedChar {
                        code: c as u32,
                        len: units.len() as u8,
                        bytes: [0; 4],
                        flags: [0; 4],
                    };
                    entry.bytes[..units.len()].copy_from_slice(&self.bytes[units.clone()]);
                    entry.flags[..units.len()].copy_from_slice(&self.flags[units]);
                    self.cache.put(entry);
                }
            }
        }
    }

    /// The units of one character that has no special rule: a Unicode digit, or its NFKC
    /// form mapped to ASCII.
    fn push_char_uncached(&mut self, c: char, start: usize, end: usize) {
        if let Some(d) = unicode_digit(c) {
            self.push(b'0' + d, start, end, UNI);
            return;
        }
        for n in std::iter::once(c).nfkc() {
            if n.is_ascii() {
                let flags = if n.is_ascii_digit() { UNI } else { 0 };
                self.push((n as u8).to_ascii_lowercase(), start, end, flags);
            } else if let Some(d) = unicode_digit(n) {
                self.push(b'0' + d, start, end, UNI);
            } else if n.is_whitespace() {
                self.push(b' ', start, end, 0);
            } else if n.is_alphabetic() {
                let base = std::iter::once(n)
                    .nfd()
                    .next()
                    .filter(char::is_ascii_alphabetic);
                let b = base.map_or(OTHER_LETTER, |b| (b as u8).to_ascii_lowercase());
                self.push(b, start, end, 0);
            } else {
                self.push(OTHER_SYMBOL, start, end, 0);
            }
        }
    }

    /// `|` (up to three in a row) between two digits is a look-alike `1` (design §4 step 9).
    /// Runs of `|` are disjoint, so each is decided on its own; `memchr` finds them.
    fn mark_pipe_lookalikes(&mut self) {
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
                for k in i..run_end {
                    self.bytes[k] = b'1';
                    self.flags[k] |= LOOK;
                }
            }
            from = run_end;
        }
    }

    /// The folded-unit ranges of `unit_ranges` plus those covering the original-text `spans`,
    /// sorted and coalesced.
    pub(crate) fn merge_mask<'a>(
        &self,
        unit_ranges: &[(usize, usize)],
        spans: impl Iterator<Item = &'a std::ops::Range<usize>>,
    ) -> Vec<(usize, usize)> {
        let mut all: Vec<(usize, usize)> = unit_ranges.to_vec();
        for s in spans {
            let a = self.start.partition_point(|&x| (x as usize) < s.start);
            let b = self.start.partition_point(|&x| (x as usize) < s.end);
            if a < b {
                all.push((a, b));
            }
        }
        if all.len() == unit_ranges.len() {
            return all;
        }
        all.sort_unstable();
        let mut out: Vec<(usize, usize)> = Vec::with_capacity(all.len());
        for (a, b) in all {
            match out.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => out.push((a, b)),
            }
        }
        out
    }

    /// The original byte range covered by units `a..b` (non-empty).
    pub(crate) fn span(&self, a: usize, b: usize) -> std::ops::Range<usize> {
        self.start[a] as usize..self.end[b - 1] as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_digit_forms_to_ascii_with_original_spans() {
        let f = Folded::new("４⓿❶➁٤");
        assert_eq!(f.bytes, b"40124");
        assert_eq!(f.start, vec![0, 3, 6, 9, 12]);
        assert!(f.flags.iter().all(|fl| fl & UNI != 0));
    }

    #[test]
    fn keycaps_fold_into_their_digit() {
        let f = Folded::new("4\u{FE0F}\u{20E3}8\u{20E3}");
        assert_eq!(f.bytes, b"48");
        assert_eq!((f.start[0], f.end[0]), (0, 7));
        assert_eq!(f.flags[0] & UNI, UNI);
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
            proptest::prop_assert_eq!(&warm.start, &cold.start);
            proptest::prop_assert_eq!(&warm.end, &cold.end);
            proptest::prop_assert_eq!(&warm.flags, &cold.flags);
        }
    }

    #[test]
    fn ascii_prefix_is_measured_across_word_boundaries() {
        let text = "0123456789abcdefé and more";
        assert_eq!(ascii_prefix_len(text.as_bytes()), 16);
        assert_eq!(ascii_prefix_len(b"short"), 5);
        assert_eq!(ascii_prefix_len("1234567é".as_bytes()), 7);
        assert_eq!(ascii_prefix_len(b""), 0);
    }

    #[test]
    fn ten_emoji_is_two_digits() {
        assert_eq!(Folded::new("0🔟0").bytes, b"0100");
    }
}
