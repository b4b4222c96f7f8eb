//! Number words (design §4 steps 7–8): English and Spanish units, teens and tens, homophones
//! and leetspeak spellings, and the per-token segmentation that rewrites a token only when it
//! splits completely into digits and number words.
//!
//! The repeat words `double`, `triple` (English) and `doble`, `triple` (Spanish) are no
//! dictionary entries (they segment nothing and are never glued to digits): [`repeat_times`]
//! names them, and [`Trie::is_prose`] does not count them as prose so that the phone tokenizer
//! keeps them as items of their own; `phone` decides whether one multiplies the digit after it.
//! So with the words for hundreds ([`hundreds_word`]): `hundred`, which `phone` reads after a
//! unit (`seven hundred two`), and the Spanish words that hold their unit (`setecientos dos`).

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// How a word came to stand for digits (feeds a phone hit's `kinds`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WordKind {
    Word,
    /// A one-edit misspelling of a number word.
    Typo,
    Leet,
    Homophone,
}

/// One dictionary entry.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WordInfo {
    pub(crate) digits: &'static str,
    pub(crate) kind: WordKind,
    /// Converts only glued to a digit, or alone between two numeric tokens.
    pub(crate) ambiguous: bool,
    /// A tens word (`forty`, `cincuenta`): a following unit word merges into it.
    pub(crate) tens: bool,
}

pub(crate) const EN_UNITS: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];
pub(crate) const EN_TEENS: [&str; 10] = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
pub(crate) const EN_TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
pub(crate) const ES_UNITS: [&str; 10] = [
    "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
];
const ES_TEENS: [&str; 10] = [
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciseis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
];
const ES_TWENTIES: [&str; 10] = [
    "veinte",
    "veintiuno",
    "veintidos",
    "veintitres",
    "veinticuatro",
    "veinticinco",
    "veintiseis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
];
pub(crate) const ES_TENS: [&str; 7] = [
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
];
/// "00" through "99" back to back; `two_digits(n)` slices one pair out.
static PAIRS: &str = "00010203040506070809101112131415161718192021222324252627282930313233343536373839\
404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

fn two_digits(n: usize) -> &'static str {
    PAIRS.get(2 * n..2 * n + 2).unwrap_or("00")
}
const ONE_DIGIT: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
/// Homophones and other words that are ordinary words too: (word, digits).
const AMBIGUOUS: [(&str, &str, WordKind); 10] = [
    ("tree", "3", WordKind::Homophone),
    ("oh", "0", WordKind::Word),
    ("o", "0", WordKind::Word),
    ("for", "4", WordKind::Homophone),
    ("fore", "4", WordKind::Homophone),
    ("to", "2", WordKind::Homophone),
    ("too", "2", WordKind::Homophone),
    ("won", "1", WordKind::Homophone),
    ("ate", "8", WordKind::Homophone),
    ("once", "11", WordKind::Word),
];

fn insert(map: &mut FxHashMap<&'static [u8], WordInfo>, word: &'static str, info: WordInfo) {
    map.entry(word.as_bytes()).or_insert(info);
}

/// Leetspeak spellings (`o`→`0`, `i`→`1`, `e`→`3`, at least one swap) of an English word.
fn leet_variants(word: &str) -> Vec<String> {
    let positions: Vec<usize> = word
        .bytes()
        .enumerate()
        .filter(|(_, b)| matches!(b, b'o' | b'i' | b'e'))
        .map(|(i, _)| i)
        .collect();
    let mut out = Vec::new();
    for mask in 1u32..(1 << positions.len()) {
        let mut bytes = word.as_bytes().to_vec();
        for (bit, &p) in positions.iter().enumerate() {
            if mask & (1 << bit) != 0 {
                bytes[p] = match bytes[p] {
                    b'o' => b'0',
                    b'i' => b'1',
                    _ => b'3',
                };
            }
        }
        out.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    out
}

/// The dictionary as a trie over `a-z0-9` in one flat transition table indexed by state and
/// byte, so segmentation and the tokenizer walk each byte with one load and stop at the first
/// byte no word continues with. State 0 is dead (every transition from it leads back to it,
/// as does any byte outside `a-z0-9`); state 1 is the root.
pub(crate) struct Trie {
    /// `next[state << 7 | byte]` for ASCII bytes: the next state, with [`PLAIN_WORD`] set when
    /// the text read to reach it is a plain (not ambiguous) number word, one a segmentation of
    /// a token without digits may start with.
    next: Vec<u16>,
    /// The dictionary entry that ends at each state.
    word: Vec<Option<WordInfo>>,
    /// Which tokens of letters only are prose (see [`Trie::is_prose`]), by length and first
    /// letters.
    prose: ProseTables,
}

/// The answers behind [`Trie::is_prose`], indexed by [`letters_index`] of a token's first (up
/// to) three letters. A token of one, two or three letters is prose or not by its letters
/// alone; a longer one by its first three letters and, when a number word may still go on
/// from them, the rest of the walk.
struct ProseTables {
    /// Tokens of one, two or three letters (their indices differ: a missing letter is 0).
    short: Box<[bool; LETTER_INDICES]>,
    /// Tokens of four or more letters: [`PROSE`] when the walk is dead after three letters
    /// without a plain number word, [`NOT_PROSE`] when a plain number word ends within them,
    /// [`WALK`] when they start a repeat word or a word for hundreds, otherwise the live trie
    /// state after them (the walk goes on from there).
    longer: Box<[u16; LETTER_INDICES]>,
}

/// [`ProseTables::longer`]: the token is certainly prose.
const PROSE: u16 = Trie::DEAD;
/// [`ProseTables::longer`]: the token is not prose (a plain number word starts it).
const NOT_PROSE: u16 = u16::MAX;

/// Indices of the prose tables: five bits for each of three letters.
const LETTER_INDICES: usize = 1 << 15;

/// The prose-table index of (up to) three lowercase letters: `a`..`z` have distinct low five
/// bits (1..26); a missing letter is 0.
#[inline]
fn letters_index(b0: u8, b1: u8, b2: u8) -> usize {
    (usize::from(b0 & 31) << 10 | usize::from(b1 & 31) << 5 | usize::from(b2 & 31))
        & (LETTER_INDICES - 1)
}

/// [`ProseTables::longer`]: the first three letters start a repeat word (`dou`, `dob`, `tri`)
/// or a word for hundreds (`hun`, `cie`, `qui`, `set`, `nov`, …; see [`HUNDREDS_WORDS`]);
/// the whole token is walked ([`Trie::is_prose_walk`]). Above every state (which leave the
/// [`PLAIN_WORD`] bit free).
const WALK: u16 = u16::MAX - 1;

/// The words for hundreds and their units: `hundred` (0: its unit is the word or words before
/// it, `seven hundred`, `twenty one hundred`) and the Spanish words that hold theirs (`cien`,
/// `ciento` 1, `doscientos` 2, … `novecientos` 9, and the feminine forms `doscientas` …
/// `novecientas`). Each writes the two digits after its unit (`phone::convert_hundreds`). No
/// dictionary words (they segment nothing and are never glued), and no prose to the phone
/// tokenizer.
const HUNDREDS_WORDS: [(&[u8], u8); 19] = [
    (b"hundred", 0),
    (b"cien", 1),
    (b"ciento", 1),
    (b"doscientos", 2),
    (b"trescientos", 3),
    (b"cuatrocientos", 4),
    (b"quinientos", 5),
    (b"seiscientos", 6),
    (b"setecientos", 7),
    (b"ochocientos", 8),
    (b"novecientos", 9),
    (b"doscientas", 2),
    (b"trescientas", 3),
    (b"cuatrocientas", 4),
    (b"quinientas", 5),
    (b"seiscientas", 6),
    (b"setecientas", 7),
    (b"ochocientas", 8),
    (b"novecientas", 9),
];

/// Whether `token` (folded, lower case) is one digit written as a word: `zero` … `nine`, `oh`,
/// `cero` … `nueve`.
pub(crate) fn is_digit_word(token: &[u8]) -> bool {
    token == b"oh"
        || EN_UNITS
            .iter()
            .chain(ES_UNITS.iter())
            .any(|w| w.as_bytes() == token)
}

/// The unit of a whole token that is a word for hundreds ([`HUNDREDS_WORDS`]; 0 for
/// `hundred`, whose unit is the word before it), `None` for any other token.
#[inline]
pub(crate) fn hundreds_word(token: &[u8]) -> Option<u8> {
    value_of_word(&HUNDREDS_WORDS, token)
}

/// The value `table` gives the whole `token`, if it lists it.
#[inline]
fn value_of_word(table: &[(&[u8], u8)], token: &[u8]) -> Option<u8> {
    table
        .iter()
        .find(|(word, _)| *word == token)
        .map(|&(_, value)| value)
}

/// The repeat words (see [`repeat_times`]).
const REPEAT_WORDS: [(&[u8], u8); 3] = [(b"double", 2), (b"doble", 2), (b"triple", 3)];

/// How many times a repeat word (`double`, `doble`: 2; `triple`: 3) writes the digit after it,
/// for a whole token; `None` for any other token.
#[inline]
pub(crate) fn repeat_times(token: &[u8]) -> Option<u8> {
    value_of_word(&REPEAT_WORDS, token)
}

/// Flag bit of a transition whose target state ends a plain number word.
const PLAIN_WORD: u16 = 1 << 15;
/// Transitions per state: one per ASCII byte.
const COLUMNS: usize = 128;

/// One transition of the trie.
#[derive(Clone, Copy)]
pub(crate) struct Step {
    pub(crate) state: u16,
    /// The text read to reach `state` is a plain number word.
    pub(crate) plain_word: bool,
}

impl Trie {
    pub(crate) const DEAD: u16 = 0;
    pub(crate) const ROOT: u16 = 1;

    /// The state after reading `byte` in `state`.
    #[inline]
    pub(crate) fn step(&self, state: u16, byte: u8) -> Step {
        let next = if byte < 0x80 {
            let slot = usize::from(state) * COLUMNS + usize::from(byte);
            self.next.get(slot).copied().unwrap_or(Self::DEAD)
        } else {
            Self::DEAD
        };
        Step {
            state: next & !PLAIN_WORD,
            plain_word: next & PLAIN_WORD != 0,
        }
    }

    /// The dictionary entry of the text read to reach `state`.
    #[inline]
    pub(crate) fn word(&self, state: u16) -> Option<WordInfo> {
        self.word.get(usize::from(state)).copied().flatten()
    }

    /// True when `token` (letters `a-z` only) is prose to the phone tokenizer: no plain number
    /// word starts it, it is no dictionary word, it is not one of the single letters read on
    /// their own (`l`, `i`, `y`), and it is no repeat word ([`repeat_times`]); exactly what the
    /// full walk ([`probe`]) and the repeat-word list tell (the tests compare the two), mostly
    /// from one table look-up. Tokens starting `dou`, `dob` or `tri` take the whole walk.
    #[inline]
    pub(crate) fn is_prose(&self, token: &[u8]) -> bool {
        let prose = &self.prose;
        match *token {
            [] => false,
            [b0] => prose.short[letters_index(b0, 0, 0)],
            [b0, b1] => prose.short[letters_index(b0, b1, 0)],
            [b0, b1, b2] => prose.short[letters_index(b0, b1, b2)],
            [b0, b1, b2, ref rest @ ..] => match prose.longer[letters_index(b0, b1, b2)] {
                PROSE => true,
                NOT_PROSE => false,
                WALK => self.is_prose_walk(token),
                state => self.is_prose_from(state, rest),
            },
        }
    }

    /// The rest of [`Trie::is_prose`] for a token whose first three letters lead to the live
    /// `state` with no plain number word among them: prose unless a plain word ends further
    /// on or the whole token is a word.
    #[inline(never)]
    fn is_prose_from(&self, mut state: u16, rest: &[u8]) -> bool {
        for &byte in rest {
            let step = self.step(state, byte);
            if step.plain_word {
                return false;
            }
            state = step.state;
            if state == Self::DEAD {
                return true;
            }
        }
        self.word(state).is_none()
    }

    /// [`Trie::is_prose`] of a token of four or more letters whose first three letters start
    /// a repeat word or a word for hundreds (`double`, `doubt`, `trip`, `hunt`, `quite`,
    /// `settle`, `november`): not prose when it is one, otherwise what the walk from the root
    /// tells.
    #[cold]
    #[inline(never)]
    fn is_prose_walk(&self, token: &[u8]) -> bool {
        if repeat_times(token).is_some() || hundreds_word(token).is_some() {
            return false;
        }
        let p = probe(token, false);
        !p.starts_with_word && p.whole.is_none()
    }

    /// Fills `prose` from the transitions (see [`ProseTables`]).
    fn fill_prose(&mut self) {
        let mut short = Box::new([false; LETTER_INDICES]);
        let mut longer = Box::new([NOT_PROSE; LETTER_INDICES]);
        let single = |b: u8| matches!(b, b'l' | b'i' | b'y');
        for b0 in b'a'..=b'z' {
            let s1 = self.step(Self::ROOT, b0);
            short[letters_index(b0, 0, 0)] =
                !s1.plain_word && self.word(s1.state).is_none() && !single(b0);
            for b1 in b'a'..=b'z' {
                let s2 = self.step(s1.state, b1);
                let plain_2 = s1.plain_word || s2.plain_word;
                short[letters_index(b0, b1, 0)] = !plain_2 && self.word(s2.state).is_none();
                if s2.state == Self::DEAD {
                    // Most two-letter prefixes: every third letter stays dead, with no word.
                    for b2 in b'a'..=b'z' {
                        let index = letters_index(b0, b1, b2);
                        short[index] = !plain_2;
                        longer[index] = if plain_2 { NOT_PROSE } else { Self::DEAD };
                    }
                    continue;
                }
                for b2 in b'a'..=b'z' {
                    let s3 = self.step(s2.state, b2);
                    let plain_3 = plain_2 || s3.plain_word;
                    let index = letters_index(b0, b1, b2);
                    short[index] = !plain_3 && self.word(s3.state).is_none();
                    longer[index] = if plain_3 { NOT_PROSE } else { s3.state };
                }
            }
        }
        // The first three letters of the repeat words and of the words for hundreds: the rest
        // of the token decides (where a number word does not already end within them: `dos`).
        let whole_words = REPEAT_WORDS.iter().map(|&(word, _)| word);
        for word in whole_words.chain(HUNDREDS_WORDS.iter().map(|&(word, _)| word)) {
            if let [b0, b1, b2, ..] = *word {
                let entry = &mut longer[letters_index(b0, b1, b2)];
                if *entry != NOT_PROSE {
                    *entry = WALK;
                }
            }
        }
        self.prose = ProseTables { short, longer };
    }

    /// Builds the trie of [`dictionary`].
    fn build() -> Trie {
        let dict = dictionary();
        // Every state but the dead one and the root is entered by one byte of some word, so
        // the words' total length bounds the states: the table is allocated zeroed (every
        // transition dead) at that bound once, instead of growing 128 slots per state.
        let max_states = 2 + dict.keys().map(|w| w.len()).sum::<usize>();
        let mut next = vec![Self::DEAD; max_states * COLUMNS];
        // The dictionary entry of each state, from the dead state and the root on.
        let mut word: Vec<Option<WordInfo>> = vec![None, None];
        // The slot of the one transition into each state (a trie state has exactly one), so
        // that the states ending plain words flag their transitions without a pass over every
        // slot of the table.
        let mut incoming: Vec<usize> = vec![0, 0];
        for (w, info) in dict {
            let mut state = Self::ROOT;
            for &b in w.iter() {
                if !(b.is_ascii_lowercase() || b.is_ascii_digit()) {
                    break;
                }
                let slot = usize::from(state) * COLUMNS + usize::from(b);
                state = match next[slot] {
                    Self::DEAD => {
                        let id = word.len() as u16;
                        word.push(None);
                        incoming.push(slot);
                        next[slot] = id;
                        id
                    }
                    known => known,
                };
            }
            word[usize::from(state)] = Some(*info);
        }
        // The state numbers must leave the flag bit free.
        debug_assert!(word.len() < usize::from(PLAIN_WORD));
        // Flag the transition into each state that ends a plain word.
        for (entry, &slot) in word.iter().zip(&incoming).skip(2) {
            if entry.is_some_and(|w| !w.ambiguous) {
                next[slot] |= PLAIN_WORD;
            }
        }
        next.truncate(word.len() * COLUMNS);
        next.shrink_to_fit();
        let mut t = Trie {
            next,
            word,
            prose: ProseTables {
                short: Box::new([false; LETTER_INDICES]),
                longer: Box::new([NOT_PROSE; LETTER_INDICES]),
            },
        };
        t.fill_prose();
        t
    }
}

pub(crate) fn trie() -> &'static Trie {
    static T: OnceLock<Trie> = OnceLock::new();
    T.get_or_init(Trie::build)
}

/// The dictionary entry for a whole token, walking the trie (fails fast on ordinary words).
pub(crate) fn lookup(token: &[u8]) -> Option<WordInfo> {
    probe(token, false).whole
}

/// What one trie walk over a token tells: whether a segmentation may start with a dictionary
/// word, and the entry for the whole token.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Probe {
    /// Some prefix (possibly the whole token) is a number word a segmentation may start with:
    /// a plain one, or any one when ambiguous words are allowed. When false,
    /// [`Segmenter::segment`] fails for a token that does not start with a digit.
    pub(crate) starts_with_word: bool,
    /// The dictionary entry of the whole token.
    pub(crate) whole: Option<WordInfo>,
}

/// One trie walk from the start of `token`, stopping where no word continues (most prose
/// words stop within two or three steps). `allow_ambiguous` is whether an ambiguous word
/// ("for", "to") may start a segmentation, as it may in a token that holds a digit.
#[inline]
pub(crate) fn probe(token: &[u8], allow_ambiguous: bool) -> Probe {
    let t = trie();
    let mut state = Trie::ROOT;
    let mut starts_with_word = false;
    for &b in token {
        let step = t.step(state, b);
        state = step.state;
        if state == Trie::DEAD {
            return Probe {
                starts_with_word,
                whole: None,
            };
        }
        starts_with_word |= step.plain_word || (allow_ambiguous && t.word(state).is_some());
    }
    Probe {
        starts_with_word,
        whole: t.word(state),
    }
}

/// The number-word dictionary (built once).
pub(crate) fn dictionary() -> &'static FxHashMap<&'static [u8], WordInfo> {
    static DICT: OnceLock<FxHashMap<&'static [u8], WordInfo>> = OnceLock::new();
    DICT.get_or_init(|| {
        let mut map = FxHashMap::default();
        let plain = |digits, tens| WordInfo {
            digits,
            kind: WordKind::Word,
            ambiguous: false,
            tens,
        };
        for (i, w) in EN_UNITS.iter().chain(ES_UNITS.iter()).enumerate() {
            insert(&mut map, w, plain(ONE_DIGIT[i % 10], false));
        }
        for (i, w) in EN_TEENS.iter().enumerate() {
            insert(&mut map, w, plain(two_digits(10 + i), false));
        }
        for (i, w) in ES_TEENS.iter().enumerate().filter(|(_, w)| **w != "once") {
            insert(&mut map, w, plain(two_digits(10 + i), false));
        }
        for (i, w) in ES_TWENTIES.iter().enumerate() {
            insert(&mut map, w, plain(two_digits(20 + i), i == 0));
        }
        for (i, w) in EN_TENS.iter().enumerate() {
            insert(&mut map, w, plain(two_digits(20 + 10 * i), true));
        }
        for (i, w) in ES_TENS.iter().enumerate() {
            insert(&mut map, w, plain(two_digits(30 + 10 * i), true));
        }
        for (w, digits, kind) in AMBIGUOUS {
            map.insert(
                w.as_bytes(),
                WordInfo {
                    digits,
                    kind,
                    ambiguous: true,
                    tens: false,
                },
            );
        }
        // Leetspeak: leak the few hundred generated spellings once for 'static keys.
        let english: Vec<(&str, &'static str, bool)> = EN_UNITS
            .iter()
            .enumerate()
            .map(|(i, w)| (*w, ONE_DIGIT[i], false))
            .chain(
                EN_TEENS
                    .iter()
                    .enumerate()
                    .map(|(i, w)| (*w, two_digits(10 + i), false)),
            )
            .chain(
                EN_TENS
                    .iter()
                    .enumerate()
                    .map(|(i, w)| (*w, two_digits(20 + 10 * i), true)),
            )
            .collect();
        for (w, digits, tens) in english {
            for v in leet_variants(w) {
                let key: &'static str = Box::leak(v.into_boxed_str());
                insert(
                    &mut map,
                    key,
                    WordInfo {
                        digits,
                        kind: WordKind::Leet,
                        ambiguous: false,
                        tens,
                    },
                );
            }
        }
        // Typos (one adjacent transposition, doubled letter or dropped letter) of words of four
        // or more letters: ambiguous, so they need a digit in the token or numeric neighbours.
        // A misspelling that two words of different values share is no word at all: `seenta`
        // is `sesenta` (60) and `setenta` (70) with one letter dropped, and reading either
        // would name a number the ad may not hold.
        let words: Vec<(&'static [u8], WordInfo)> = map
            .iter()
            .filter(|(w, i)| w.len() >= 4 && !i.ambiguous && i.kind == WordKind::Word)
            .map(|(w, i)| (*w, *i))
            .collect();
        let mut typos: FxHashMap<Vec<u8>, Option<WordInfo>> = FxHashMap::default();
        for (w, info) in words {
            for_each_typo(w, |v| {
                if map.contains_key(v) {
                    return;
                }
                match typos.get_mut(v) {
                    None => {
                        typos.insert(v.to_vec(), Some(info));
                    }
                    Some(slot) => {
                        if slot.is_some_and(|first| {
                            (first.digits, first.tens) != (info.digits, info.tens)
                        }) {
                            *slot = None;
                        }
                    }
                }
            });
        }
        for (v, info) in typos {
            if let Some(info) = info {
                let key: &'static [u8] = Box::leak(v.into_boxed_slice());
                map.insert(
                    key,
                    WordInfo {
                        ambiguous: true,
                        kind: WordKind::Typo,
                        ..info
                    },
                );
            }
        }
        map
    })
}

/// Calls `each` with every one-edit misspelling of `w` (adjacent transposition, doubled
/// letter, dropped letter), in that order at each position, built in one reused buffer: only
/// the new ones are copied into the dictionary.
fn for_each_typo(w: &[u8], mut each: impl FnMut(&[u8])) {
    let mut v = Vec::with_capacity(w.len() + 1);
    for i in 0..w.len() {
        if i + 1 < w.len() && w[i] != w[i + 1] {
            v.clear();
            v.extend_from_slice(w);
            v.swap(i, i + 1);
            each(&v);
        }
        v.clear();
        v.extend_from_slice(&w[..=i]);
        v.extend_from_slice(&w[i..]);
        each(&v);
        v.clear();
        v.extend_from_slice(&w[..i]);
        v.extend_from_slice(&w[i + 1..]);
        each(&v);
    }
}

/// The unit value (1–9) of a whole token that is a plain unit word, for tens merging.
pub(crate) fn unit_word_value(token: &[u8]) -> Option<u8> {
    unit_value(&lookup(token)?)
}

/// The unit value (1–9) of a dictionary entry that is a plain unit word.
pub(crate) fn unit_value(info: &WordInfo) -> Option<u8> {
    (!info.ambiguous && info.digits.len() == 1 && info.digits != "0")
        .then(|| info.digits.as_bytes()[0] - b'0')
}

/// One piece of a segmented token: units `start..end` of the token read as `digits`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Piece {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// `None` for a run of literal digits.
    pub(crate) word: Option<WordInfo>,
}

/// Reusable buffers for [`segment`].
#[derive(Default)]
pub(crate) struct Segmenter {
    back: Vec<u32>,
    words: Vec<Option<WordInfo>>,
}

const UNREACHED: u32 = u32::MAX;

impl Segmenter {
    /// Splits `token` (lowercase ASCII letters and digits) completely into digit runs and number
    /// words, or returns false. Ambiguous words are allowed only when the token holds a digit.
    pub(crate) fn segment(&mut self, token: &[u8], pieces: &mut Vec<Piece>) -> bool {
        pieces.clear();
        let n = token.len();
        let has_digit = token.iter().any(u8::is_ascii_digit);
        let trie = trie();
        // Fast reject before any allocation: the token must start with a digit or with a
        // usable dictionary word (most prose words fail within two or three trie steps).
        let starts_ok = token.first().is_some_and(u8::is_ascii_digit)
            || probe(token, has_digit).starts_with_word;
        if !starts_ok {
            return false;
        }
        self.back.clear();
        self.back.resize(n + 1, UNREACHED);
        self.words.clear();
        self.words.resize(n + 1, None);
        self.back[0] = 0;
        for p in 0..n {
            if self.back[p] == UNREACHED {
                continue;
            }
            if token[p].is_ascii_digit() && self.back[p + 1] == UNREACHED {
                self.back[p + 1] = p as u32;
                self.words[p + 1] = None;
            }
            let mut state = Trie::ROOT;
            for (len, &b) in token[p..].iter().enumerate().map(|(i, b)| (i + 1, b)) {
                state = trie.step(state, b).state;
                if state == Trie::DEAD {
                    break;
                }
                let Some(info) = trie.word(state) else {
                    continue;
                };
                if info.ambiguous && !has_digit {
                    continue;
                }
                // The first path to a position wins, except that a plain word replaces an
                // ambiguous one ("for"+"to" over "fort"+"o").
                let replaces_ambiguous =
                    !info.ambiguous && self.words[p + len].is_some_and(|w| w.ambiguous);
                if self.back[p + len] == UNREACHED || replaces_ambiguous {
                    self.back[p + len] = p as u32;
                    self.words[p + len] = Some(info);
                }
            }
        }
        if self.back[n] == UNREACHED || n == 0 {
            return false;
        }
        let mut q = n;
        while q > 0 {
            let p = self.back[q] as usize;
            pieces.push(Piece {
                start: p,
                end: q,
                word: self.words[q],
            });
            q = p;
        }
        pieces.reverse();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(token: &str) -> Option<String> {
        let mut seg = Segmenter::default();
        let mut pieces = Vec::new();
        seg.segment(token.as_bytes(), &mut pieces).then(|| {
            pieces
                .iter()
                .map(|p| {
                    p.word
                        .map_or_else(|| token[p.start..p.end].to_owned(), |w| w.digits.to_owned())
                })
                .collect()
        })
    }

    #[test]
    fn segments_only_complete_tokens() {
        assert_eq!(digits("fivefivefive").as_deref(), Some("555"));
        assert_eq!(digits("five5five").as_deref(), Some("555"));
        assert_eq!(digits("zero1for2").as_deref(), Some("0142"));
        assert_eq!(digits("n1ne").as_deref(), Some("9"));
        assert_eq!(digits("0ne").as_deref(), Some("1"));
        assert_eq!(digits("fourteen").as_deref(), Some("14"));
        assert_eq!(digits("someone"), None);
        assert_eq!(digits("often"), None);
        assert_eq!(
            digits("for"),
            None,
            "ambiguous word needs a digit in the token"
        );
    }

    /// The trie built with one transition per state noted holds every word and flags exactly
    /// the transitions a pass over every slot would flag.
    #[test]
    fn trie_holds_every_word_and_flags_exactly_the_plain_words() {
        let t = trie();
        for (slot, &next) in t.next.iter().enumerate() {
            let target = next & !PLAIN_WORD;
            let plain = t.word(target).is_some_and(|w| !w.ambiguous);
            assert_eq!(next & PLAIN_WORD != 0, plain, "slot {slot}");
        }
        for (word, info) in dictionary() {
            let state = word
                .iter()
                .fold(Trie::ROOT, |state, &b| t.step(state, b).state);
            let entry = t.word(state).expect("every word ends at a state");
            assert_eq!(entry.digits, info.digits, "{word:?}");
            assert_eq!(entry.kind, info.kind, "{word:?}");
            assert_eq!(entry.ambiguous, info.ambiguous, "{word:?}");
        }
    }

    /// A misspelling is read only when every word it misspells has the same value: `seenta`
    /// (`sesenta` 60 or `setenta` 70 with a letter dropped) is not read, `sesnta` is 60.
    #[test]
    fn typos_shared_by_words_of_different_values_are_not_read() {
        let dict = dictionary();
        assert!(lookup(b"seenta").is_none());
        assert_eq!(
            lookup(b"sesnta").map(|w| (w.digits, w.kind)),
            Some(("60", WordKind::Typo))
        );
        assert_eq!(lookup(b"setneta").map(|w| w.digits), Some("70"));
        // Every typo entry misspells only words of its own value.
        let words: Vec<(&[u8], WordInfo)> = dict
            .iter()
            .filter(|(w, i)| w.len() >= 4 && !i.ambiguous && i.kind == WordKind::Word)
            .map(|(w, i)| (*w, *i))
            .collect();
        for (w, info) in words {
            for_each_typo(w, |v| {
                if let Some(entry) = dict.get(v).filter(|e| e.kind == WordKind::Typo) {
                    assert_eq!(
                        (entry.digits, entry.tens),
                        (info.digits, info.tens),
                        "{} misspells {}",
                        String::from_utf8_lossy(v),
                        String::from_utf8_lossy(w)
                    );
                }
            });
        }
    }

    /// The misspellings in the reused buffer are the ones built one vector each, in order.
    #[test]
    fn typos_in_one_buffer_equal_typos_built_one_by_one() {
        fn one_by_one(w: &[u8]) -> Vec<Vec<u8>> {
            let mut out = Vec::new();
            for i in 0..w.len() {
                if i + 1 < w.len() && w[i] != w[i + 1] {
                    let mut v = w.to_vec();
                    v.swap(i, i + 1);
                    out.push(v);
                }
                let mut doubled = w.to_vec();
                doubled.insert(i, w[i]);
                out.push(doubled);
                let mut dropped = w.to_vec();
                dropped.remove(i);
                out.push(dropped);
            }
            out
        }
        for word in ["", "a", "oo", "seven", "three", "diecinueve", "cuatro"] {
            let mut typos = Vec::new();
            for_each_typo(word.as_bytes(), |v| typos.push(v.to_vec()));
            assert_eq!(typos, one_by_one(word.as_bytes()), "{word}");
        }
    }

    /// Prose by the full walk: no plain number word starts the token, it is no word, it is
    /// not `l`, `i` or `y`, and it is none of the repeat words, spelled out here (a prose token
    /// given to the phone tokenizer's `convert_token` ends up inert for these reasons).
    fn prose_by_walk(token: &[u8]) -> bool {
        let p = probe(token, false);
        !p.starts_with_word
            && p.whole.is_none()
            && !matches!(token, b"l" | b"i" | b"y" | b"double" | b"doble" | b"triple")
            && hundreds_word(token).is_none()
    }

    /// Every token of up to four letters (all prefixes the tables hold, and one step past).
    #[test]
    fn prose_tables_equal_the_walk_for_every_short_token() {
        let t = trie();
        let mut token = Vec::new();
        fn each(t: &Trie, token: &mut Vec<u8>, left: usize) {
            if !token.is_empty() {
                assert_eq!(
                    t.is_prose(token),
                    prose_by_walk(token),
                    "{}",
                    String::from_utf8_lossy(token)
                );
            }
            if left == 0 {
                return;
            }
            for b in b'a'..=b'z' {
                token.push(b);
                each(t, token, left - 1);
                token.pop();
            }
        }
        each(t, &mut token, 4);
    }

    proptest::proptest! {
        /// Longer tokens, biased towards number words and their misspellings.
        #[test]
        fn prose_tables_equal_the_walk(
            token in "(o|on|one|t|tw|th|the|thee|thr|fo|fou|fi|fiv|ze|ce|cin|se|sev|nin|ei|l|i|y|dou|double|dob|doble|tri|triple|hun|hundred|cie|cien|ciento|set|setecientos|qui|quinientos|nov|novecientos|dos|doscientos|[a-z]){1,4}[a-z]{0,8}"
        ) {
            let bytes = token.as_bytes();
            proptest::prop_assert_eq!(trie().is_prose(bytes), prose_by_walk(bytes));
        }
    }

    #[test]
    fn prose_tables_agree_on_every_dictionary_word_and_its_extensions() {
        let t = trie();
        for word in dictionary()
            .keys()
            .filter(|w| w.iter().all(u8::is_ascii_lowercase))
        {
            for tail in ["", "s", "x", "ty", "teen", "one", "zzz"] {
                let token = [*word, tail.as_bytes()].concat();
                assert_eq!(t.is_prose(&token), prose_by_walk(&token), "{token:?}");
            }
        }
    }

    #[test]
    fn prose_table_spares_common_prose_but_not_number_words() {
        let t = trie();
        for prose in [
            "hey",
            "guys",
            "the",
            "x",
            "a",
            "available",
            "doubt",
            "doubles",
            "dobles",
            "trip",
            "triples",
            "tripe",
            "hunt",
            "hundreds",
            "quite",
            "settle",
            "november",
            "ciencia",
        ] {
            assert!(t.is_prose(prose.as_bytes()), "{prose}");
        }
        for number in [
            "one",
            "o",
            "y",
            "l",
            "seven",
            "twenty",
            "thee",
            "for",
            "double",
            "doble",
            "triple",
            "trienta",
            "hundred",
            "cien",
            "ciento",
            "doscientos",
            "setecientos",
            "quinientos",
            "novecientos",
        ] {
            assert!(!t.is_prose(number.as_bytes()), "{number}");
        }
    }

    /// The phone tokenizer's shortcut: a letters-only token that is one plain number word is
    /// segmented as that word alone.
    #[test]
    fn a_plain_word_segments_as_itself() {
        let mut seg = Segmenter::default();
        let mut pieces = Vec::new();
        for (word, info) in dictionary() {
            if info.ambiguous || !word.iter().all(u8::is_ascii_lowercase) {
                continue;
            }
            assert!(seg.segment(word, &mut pieces), "{word:?}");
            assert_eq!(pieces.len(), 1, "{word:?}");
            assert_eq!((pieces[0].start, pieces[0].end), (0, word.len()));
            assert_eq!(pieces[0].word.map(|w| w.digits), Some(info.digits));
        }
    }

    #[test]
    fn repeat_words() {
        assert_eq!(repeat_times(b"double"), Some(2));
        assert_eq!(repeat_times(b"doble"), Some(2));
        assert_eq!(repeat_times(b"triple"), Some(3));
        for other in ["doubles", "dbl", "treble", "trip", "", "tripl", "twice"] {
            assert_eq!(repeat_times(other.as_bytes()), None, "{other}");
        }
        // No dictionary word: a repeat word segments nothing, alone or glued.
        assert_eq!(digits("double"), None);
        assert_eq!(digits("doublefive"), None);
    }

    #[test]
    fn unit_words() {
        assert_eq!(unit_word_value(b"two"), Some(2));
        assert_eq!(unit_word_value(b"nueve"), Some(9));
        assert_eq!(unit_word_value(b"zero"), None);
        assert_eq!(unit_word_value(b"to"), None);
    }
}
