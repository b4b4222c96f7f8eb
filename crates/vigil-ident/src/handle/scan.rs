//! The matches of the profile-link and platform-cue patterns (documented on [`scan`]): for every
//! match, the spans and groups a backtracking engine with leftmost-first preference and
//! non-overlapping iteration would pick, found without one.
//!
//! Both patterns start with `\b` and a letter, so a match can only start where a letter follows
//! a byte that is not a word byte. Those positions come from a vectorised letter classification
//! (a 64-bit mask per 64-byte block); two table look-ups on the first two bytes name the one
//! family of hosts or cues a start can begin (a rule) and a third on the third byte discards
//! almost all starts, a test of the rule on the first eight bytes without branches turns away
//! most of the rest, and at the few left a short forward parse settles the match. Every
//! repetition in the patterns is followed by a byte it cannot take, so the greedy choice is the
//! only one that can succeed; the two places where backtracking changes the result are handled
//! where they happen: a `-` after a long cue that is not followed by a name (the `-` then starts
//! the name), and a cue ending in ` id` that is not followed by one (the cue without ` id` is
//! taken instead, and `id` is its name). Each start costs a bounded parse apart from space runs,
//! and a space run follows one cue at most: linear time.

use std::ops::Range;

/// One match of the profile-link pattern.
pub(super) struct LinkMatch {
    /// Group 1, the host (with its fixed path such as `/add` or `/@`).
    pub host: Range<usize>,
    /// Group 2, the name, with a leading `+` if there is one.
    pub name: Range<usize>,
    pub platform: &'static str,
}

/// One match of the platform-cue pattern.
pub(super) struct CueMatch {
    /// Group 1 or 3, the cue word.
    pub cue: Range<usize>,
    /// Group 2 or 4, everything between the cue and the name (possibly empty).
    pub sep: Range<usize>,
    /// Group 5.
    pub name: Range<usize>,
    pub platform: &'static str,
    /// A short cue (`ig`, `sc`, `x`, `tg`, `of`, `wx`, `vx`, `line`): an ordinary word or a bare
    /// abbreviation, a cue only before a marker.
    pub needs_mark: bool,
}

/// The matches of both patterns, each list in text order.
#[derive(Default)]
pub(super) struct Matches {
    pub links: Vec<LinkMatch>,
    pub cues: Vec<CueMatch>,
}

/// Finds the matches of the profile-link pattern
///
/// `(?i-u)\b(instagram\.com|instagr\.am|onlyfans\.com|fansly\.com|twitter\.com|x\.com|t\.me|
/// telegram\.me|snapchat\.com/add|tiktok\.com/@|paypal\.me|paypal\.com/paypalme|venmo\.com/u|
/// venmo\.com|cash\.app/\$|line\.me/ti/p/~|line\.me/r/ti/p/~)/?(\+?[a-z0-9._\-]{1,40})`
///
/// and of the platform-cue pattern
///
/// `(?i-u)\b(?:(instagram id|instagram|insta id|insta|snapchat id|snapchat|snap id|snap|kik id|
/// kik|twitter|telegram id|telegram|onlyfans|fansly|tiktok id|tiktok|cash ?app|venmo|wechat id|
/// wechat|weixin id|weixin|kakaotalk id|kakaotalk|kakao id|kakao|line id|signal)\b
/// (\s+(?:me|is)(?:\s+(?::|-|=>?)?|\s*(?::|-|=>?))\s*@?\s*|\s*(?::|-|=>?)?\s*@?\s*)|
/// (ig|sc|x|tg|of|wx|vx|line)(\s*(?::|-|=>?|@)\s*@?\s*|\s+is(?:\s+(?::|-|=>?)?|\s*(?::|-|=>?))\s*@?\s*))
/// ([a-z0-9._\-]{1,40})`
///
/// each iterated on its own: a match is searched for from the end of the previous one.
pub(super) fn scan(bytes: &[u8]) -> Matches {
    let mut scanner = Scanner {
        bytes,
        found: Matches::default(),
        links_from: 0,
        cues_from: 0,
    };
    // 1 when the byte before the current block is a letter.
    let mut carry = 0u64;
    let mut base = 0;
    // Every block but the last, with the two bytes after it (a zero for the second when the
    // text ends after the first).
    let mut padded = [0u8; WINDOW];
    while let Some(block) = bytes.get(base..base + BLOCK + 1) {
        let window = match bytes
            .get(base..base + WINDOW)
            .map(<&[u8; WINDOW]>::try_from)
        {
            Some(Ok(window)) => window,
            _ => {
                padded[..BLOCK + 1].copy_from_slice(block);
                &padded
            }
        };
        let letters = letter_mask(window);
        let starts = letters & !(letters << 1 | carry);
        carry = letters >> (BLOCK - 1);
        scanner.visit(window, base, starts);
        base += BLOCK;
    }
    if base < bytes.len() {
        // The last block, followed by zeros (which with no first letter but `x` begin a host
        // or cue, and `x` then finds no marker): the last 64 bytes of the text without the starts
        // already seen (the byte before the first new one is in the block, so no carry is
        // needed), or a shorter text padded with zeros (not letters).
        let start = bytes.len().saturating_sub(BLOCK);
        let window: [u8; WINDOW] = crate::swar::zero_padded(&bytes[start..]);
        let letters = letter_mask(&window);
        let starts = letters & !(letters << 1) & (u64::MAX << (base - start));
        scanner.visit(&window, start, starts);
    }
    scanner.found
}

/// Whether [`scan`] parses at letter `i` (if it starts a word): the tests' view of the filters.
#[cfg(test)]
pub(super) fn parses_at(bytes: &[u8], i: usize) -> bool {
    let second = bytes.get(i + 1).copied().unwrap_or(0);
    let rule = rule_of_pair(bytes[i], second);
    third_fits(bytes.get(i + 2).copied().unwrap_or(0), rule) && passes_rule(head_at(bytes, i), rule)
}

/// Whether a link or cue match begins at `i` (when `i` starts a word and no match is pending).
#[cfg(test)]
pub(super) fn match_at(bytes: &[u8], i: usize) -> bool {
    link_at(bytes, i).is_some() || cue_at(bytes, i).is_some()
}

/// The state of [`scan`]: the matches so far and where each pattern's next match may start.
struct Scanner<'a> {
    bytes: &'a [u8],
    found: Matches,
    links_from: usize,
    cues_from: usize,
}

impl Scanner<'_> {
    /// Tries the letter-run starts of one block (bit `j` of `starts` for byte `j` of `window`,
    /// which begins at `base` in the text) whose first bytes pass the rule of their first two.
    #[inline(always)]
    fn visit(&mut self, window: &[u8; WINDOW], base: usize, mut starts: u64) {
        while starts != 0 {
            let j = starts.trailing_zeros() as usize % BLOCK;
            starts &= starts - 1;
            let rule = rule_of_pair(window[j], window[j + 1]);
            let third = window[j + 2];
            if third_fits(third, rule) && passes_rule(head_at(self.bytes, base + j), rule) {
                self.try_at(base + j);
            }
        }
    }

    /// Out of line: reached about once per text, and keeping it out keeps [`Scanner::visit`]'s
    /// loop in registers.
    #[cold]
    #[inline(never)]
    fn try_at(&mut self, i: usize) {
        let bytes = self.bytes;
        if i > 0 && is_word(bytes[i - 1]) {
            return;
        }
        if i >= self.links_from {
            if let Some(m) = link_at(bytes, i) {
                self.links_from = m.name.end;
                self.found.links.push(m);
            }
        }
        if i >= self.cues_from {
            if let Some(m) = cue_at(bytes, i) {
                self.cues_from = m.name.end;
                self.found.cues.push(m);
            }
        }
    }
}

/// The [`RULES`] entry for a word start whose first two bytes are `first` (a letter) and
/// `second`: 0 when no host or cue begins with them (every host and cue has at least two bytes).
#[inline(always)]
fn rule_of_pair(first: u8, second: u8) -> usize {
    usize::from(
        PAIR_RULE[usize::from(first & 0x1f) << 5 | usize::from(SECOND_INDEX[usize::from(second)])],
    )
}

/// Whether `head`, the first eight bytes of a start ([`head_at`]), passes rule `rule`: the bytes
/// the rule covers, each with bit 5 set (`| 0x20`: lower case for letters; `.`, `/` and space
/// unchanged), equal its prefix, and the byte it checks is in its class. Computed without
/// branches: the outcome is hard to predict, and a mispredicted branch costs more than the few
/// operations. A cheap test that turns away the ordinary words [`PAIR_RULE`] lets through
/// (`call`, `incall`, `in`, `party`, `only`, `cash daily`, `screening`, `of course`, `link`,
/// `lines`, `weather`, `weight`) before any parsing; it never turns away a match (tested; the
/// spaces past the end and `| 0x20` in place of lower-casing only let more through), and what it
/// lets through is parsed exactly.
#[inline(always)]
fn passes_rule(head: u64, rule: usize) -> bool {
    let Some(&Rule {
        mask,
        prefix,
        checked,
        class,
    }) = RULES.get(rule)
    else {
        return false;
    };
    let lowered = head | 0x2020_2020_2020_2020;
    let byte = (head >> (8 * u32::from(checked))) as u8;
    ((lowered & mask) == prefix) & (BYTE_CLASS[usize::from(byte)] & class != 0)
}

/// Whether `third`, the third byte of a start (0 past the end), fits rule `rule` as
/// [`passes_rule`] would judge it (never for rule 0): one look-up and a shift, which cuts the
/// starts left to a branch from about one in ten to one in fifty (`in`, `te`, `ca`, `pa`, `on`
/// begin many ordinary words; few of them go on with the third byte of a host or cue).
#[inline(always)]
fn third_fits(third: u8, rule: usize) -> bool {
    THIRD_FITS[usize::from(third)] >> (rule % 32) & 1 != 0
}

/// For each byte, bit `r` set when it passes byte 2 of rule `r`'s test in [`passes_rule`]: under
/// the rule's mask it equals the prefix (after `| 0x20`), and if it is the checked byte it is in
/// the rule's class.
static THIRD_FITS: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut b = 0;
    while b < 256 {
        let mut r = 1;
        while r < RULES.len() {
            let rule = RULES[r];
            let covered = (rule.mask >> 16) as u8;
            let expected = (rule.prefix >> 16) as u8;
            let equal = (b as u8 | 0x20) & covered == expected;
            let in_class = rule.checked != 2 || BYTE_CLASS[b] & rule.class != 0;
            if equal && in_class {
                table[b] |= 1 << r;
            }
            r += 1;
        }
        b += 1;
    }
    table
};

/// The first eight bytes at `i` as a little-endian word, spaces past the end of the text.
#[inline(always)]
fn head_at(bytes: &[u8], i: usize) -> u64 {
    match bytes.get(i..i + 8).map(<[u8; 8]>::try_from) {
        Some(Ok(eight)) => u64::from_le_bytes(eight),
        _ => {
            // Near the end: one byte at a time (a copy of unknown length would call memcpy).
            let mut padded = [b' '; 8];
            for (k, p) in padded.iter_mut().enumerate() {
                *p = bytes.get(i + k).copied().unwrap_or(b' ');
            }
            u64::from_le_bytes(padded)
        }
    }
}

/// What a start must look like to be parsed: its first bytes (lowered as [`passes_rule`] says)
/// under `mask` equal `prefix`, and byte `checked` of it (as written) is in one of the
/// [`BYTE_CLASS`] classes `class`.
#[derive(Clone, Copy)]
struct Rule {
    mask: u64,
    prefix: u64,
    checked: u8,
    class: u8,
}

/// [`BYTE_CLASS`] bit: every byte (a rule with nothing more to check).
const ANY: u8 = 1;
/// [`BYTE_CLASS`] bit: what may follow a short cue, `\s` or a marker `:`, `-`, `=`, `@`.
const MARK: u8 = 2;
/// [`BYTE_CLASS`] bit: a marker or `.` (after `x`: `x: name`, `x.com`; after `line`: `line:
/// name`, `line.me`).
const MARK_OR_DOT: u8 = 4;
/// [`BYTE_CLASS`] bit: what may follow `cash` (`cash app`, `cashapp`, `cash.app/$`).
const AFTER_CASH: u8 = 8;

/// The classes of each byte, as bits `ANY`, `MARK`, `MARK_OR_DOT`, `AFTER_CASH`.
static BYTE_CLASS: [u8; 256] = {
    let mut table = [ANY; 256];
    let marks = [
        b' ', b'\t', b'\n', 0x0b, 0x0c, b'\r', b':', b'-', b'=', b'@',
    ];
    let mut k = 0;
    while k < marks.len() {
        table[marks[k] as usize] |= MARK | MARK_OR_DOT;
        k += 1;
    }
    table[b'.' as usize] |= MARK_OR_DOT | AFTER_CASH;
    table[b' ' as usize] |= AFTER_CASH;
    table[b'a' as usize] |= AFTER_CASH;
    table[b'A' as usize] |= AFTER_CASH;
    table
};

/// The rules [`PAIR_RULE`] points to; entry 0 (no host or cue) never passes.
static RULES: [Rule; 24] = {
    /// The first bytes of the long cues and hosts (`instagram`, `insta`, `instagram.com` and
    /// `instagr.am` share `inst`, and so on), with no further check.
    const fn word(prefix: &[u8]) -> Rule {
        either(prefix, prefix)
    }
    /// Two prefixes of one length in one rule: the bits where they differ are left out of the
    /// mask, so every mix of the two passes (a few more starts, which the parse settles) and a
    /// family with two spellings is still tested on all of its first bytes.
    const fn either(one: &[u8], other: &[u8]) -> Rule {
        assert!(one.len() == other.len() && one.len() <= 8);
        let mut bytes = [0u8; 8];
        let mut mask = [0u8; 8];
        let mut k = 0;
        while k < one.len() {
            mask[k] = !(one[k] ^ other[k]);
            bytes[k] = one[k] & mask[k];
            k += 1;
        }
        Rule {
            mask: u64::from_le_bytes(mask),
            prefix: u64::from_le_bytes(bytes),
            checked: 0,
            class: ANY,
        }
    }
    /// A prefix followed by a byte of `class`.
    const fn then(prefix: &[u8], class: u8) -> Rule {
        let mut rule = word(prefix);
        rule.checked = prefix.len() as u8;
        rule.class = class;
        rule
    }
    [
        Rule {
            mask: 0,
            prefix: 1,
            checked: 0,
            class: 0,
        },
        word(b"inst"),
        then(b"ig", MARK),
        word(b"snap"),
        then(b"sc", MARK),
        // `kik` on three bytes.
        word(b"kik"),
        word(b"twit"),
        word(b"tele"),
        word(b"tikt"),
        then(b"tg", MARK),
        word(b"t.me"),
        // Only `onlyfans` and `onlyfans.com` begin with `only`.
        word(b"onlyfans"),
        then(b"of", MARK),
        word(b"fans"),
        then(b"cash", AFTER_CASH),
        word(b"venm"),
        word(b"payp"),
        // `x` before spaces and a marker, or `x.com`.
        then(b"x", MARK_OR_DOT),
        // `wechat` and `weixin` (`we[acik][hx][ai][dflntv|~]` passes).
        either(b"wechat", b"weixin"),
        then(b"wx", MARK),
        then(b"vx", MARK),
        // `line` before spaces and a marker, or `line id`, or `line.me`.
        then(b"line", MARK_OR_DOT),
        // `kakao` and `kakaotalk`.
        word(b"kakao"),
        word(b"sign"),
    ]
};

/// The bit [`PAIR_RULE`] gives a second byte: 0 to 25 for a letter in either case, 26 for `.`,
/// 31 for anything else.
static SECOND_INDEX: [u8; 256] = {
    let mut table = [31u8; 256];
    let mut k = 0;
    while k < 26 {
        table[(b'a' + k) as usize] = k;
        table[(b'A' + k) as usize] = k;
        k += 1;
    }
    table[b'.' as usize] = 26;
    table
};

/// For each first letter (its low five bits: either case) and [`SECOND_INDEX`] of the second
/// byte, the [`RULES`] entry of the one host or cue family that begins with them: `in`
/// (instagram, insta, instagram.com, instagr.am), `ig`, `sn`, `sc`, `ki`, `tw`, `te`, `ti`, `tg`,
/// `t.` (t.me), `on`, `of`, `fa`, `ca`, `ve`, `pa` (paypal), `we` (wechat, weixin), `wx`, `vx`,
/// `li` (line), `ka` (kakao, kakaotalk), `si` (signal), and `x` with anything (the short cue `x` before any
/// marker, `x.com`); 0 for every other pair.
static PAIR_RULE: [u8; 32 * 32] = {
    let pairs: [(&[u8; 2], u8); 22] = [
        (b"in", 1),
        (b"ig", 2),
        (b"sn", 3),
        (b"sc", 4),
        (b"ki", 5),
        (b"tw", 6),
        (b"te", 7),
        (b"ti", 8),
        (b"tg", 9),
        (b"t.", 10),
        (b"on", 11),
        (b"of", 12),
        (b"fa", 13),
        (b"ca", 14),
        (b"ve", 15),
        (b"pa", 16),
        (b"we", 18),
        (b"wx", 19),
        (b"vx", 20),
        (b"li", 21),
        (b"ka", 22),
        (b"si", 23),
    ];
    let mut table = [0u8; 32 * 32];
    let mut k = 0;
    while k < pairs.len() {
        let (pair, rule) = pairs[k];
        let second = if pair[1] == b'.' { 26 } else { pair[1] - b'a' };
        table[((pair[0] & 0x1f) as usize) << 5 | second as usize] = rule;
        k += 1;
    }
    let mut second = 0;
    while second < 32 {
        table[((b'x' & 0x1f) as usize) << 5 | second] = 17;
        second += 1;
    }
    table
};

/// `\w` without Unicode.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `[a-z0-9._\-]` (any case), one table look-up: a name mixes letters, digits and `._-`, and a
/// test of each range in turn would branch unpredictably on every byte.
fn is_name_byte(b: u8) -> bool {
    NAME_BYTES[usize::from(b)]
}

/// [`is_name_byte`] for each byte.
static NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-');
        b += 1;
    }
    table
};

/// `\s` without Unicode: space, tab, line feed, vertical tab, form feed, carriage return.
fn is_space(b: u8) -> bool {
    b == b' ' || (b'\t'..=b'\r').contains(&b)
}

fn skip_spaces(bytes: &[u8], mut p: usize) -> usize {
    while bytes.get(p).is_some_and(|&b| is_space(b)) {
        p += 1;
    }
    p
}

/// Whether the lower-case `literal` is at `p` in any case (stopping at the first difference).
fn literal_at(bytes: &[u8], p: usize, literal: &[u8]) -> bool {
    bytes.get(p..p + literal.len()).is_some_and(|w| {
        w.iter()
            .zip(literal)
            .all(|(&b, &l)| b.to_ascii_lowercase() == l)
    })
}

/// The name `[a-z0-9._\-]{1,40}` at `p`, taken greedily.
fn name_at(bytes: &[u8], p: usize) -> Option<Range<usize>> {
    const MAX: usize = 40;
    let len = bytes
        .get(p..)?
        .iter()
        .take(MAX)
        .take_while(|&&b| is_name_byte(b))
        .count();
    (len > 0).then_some(p..p + len)
}

/// `(literal, platform)` alternatives.
type Alternatives = &'static [(&'static [u8], &'static str)];

/// The hosts that start with `initial` (lower case), in the pattern's alternation order (hosts
/// with different initials never compete for the same position).
fn hosts(initial: u8) -> Alternatives {
    match initial {
        b'i' => &[
            (b"instagram.com", "instagram"),
            (b"instagr.am", "instagram"),
        ],
        b'o' => &[(b"onlyfans.com", "onlyfans")],
        b'f' => &[(b"fansly.com", "fansly")],
        b't' => &[
            (b"twitter.com", "x"),
            (b"t.me", "telegram"),
            (b"telegram.me", "telegram"),
            (b"tiktok.com/@", "tiktok"),
        ],
        b'x' => &[(b"x.com", "x")],
        b's' => &[(b"snapchat.com/add", "snapchat")],
        b'p' => &[(b"paypal.me", "paypal"), (b"paypal.com/paypalme", "paypal")],
        b'v' => &[(b"venmo.com/u", "venmo"), (b"venmo.com", "venmo")],
        b'c' => &[(b"cash.app/$", "cashapp")],
        // A LINE profile link by ID (`~` marks an ID; other `ti/p/` paths are QR codes).
        b'l' => &[(b"line.me/ti/p/~", "line"), (b"line.me/r/ti/p/~", "line")],
        _ => &[],
    }
}

/// The link match at word start `i`: the first host that fits and is followed by a name
/// (`venmo.com/u` without a name after it falls back to `venmo.com` with the name `u`).
fn link_at(bytes: &[u8], i: usize) -> Option<LinkMatch> {
    hosts(bytes[i] | 0x20).iter().find_map(|&(host, platform)| {
        if !literal_at(bytes, i, host) {
            return None;
        }
        let host_end = i + host.len();
        let name_start = host_end + usize::from(bytes.get(host_end) == Some(&b'/'));
        let after_plus = name_start + usize::from(bytes.get(name_start) == Some(&b'+'));
        let name = name_at(bytes, after_plus)?;
        Some(LinkMatch {
            host: i..host_end,
            name: name_start..name.end,
            platform,
        })
    })
}

/// The cue words whose first two letters are `first` and `second` (lower case): the long cues,
/// in alternation order, then the short cue (tried when no long one fits: `line` after `line id`).
/// Different first two letters never compete.
fn cues(first: u8, second: u8) -> (Alternatives, Option<(&'static [u8], &'static str)>) {
    match (first, second) {
        // Each full cue also with ` id` (`Insta ID: x`, `kik id: x`), tried first as the
        // engine does; the short cues and the payment cues have none.
        (b'i', b'n') => (
            &[
                (b"instagram id", "instagram"),
                (b"instagram", "instagram"),
                (b"insta id", "instagram"),
                (b"insta", "instagram"),
            ],
            None,
        ),
        (b'i', b'g') => (&[], Some((b"ig", "instagram"))),
        (b's', b'n') => (
            &[
                (b"snapchat id", "snapchat"),
                (b"snapchat", "snapchat"),
                (b"snap id", "snapchat"),
                (b"snap", "snapchat"),
            ],
            None,
        ),
        (b's', b'c') => (&[], Some((b"sc", "snapchat"))),
        (b'k', b'i') => (&[(b"kik id", "kik"), (b"kik", "kik")], None),
        (b't', b'w') => (&[(b"twitter", "x")], None),
        (b't', b'e') => (
            &[(b"telegram id", "telegram"), (b"telegram", "telegram")],
            None,
        ),
        (b't', b'i') => (&[(b"tiktok id", "tiktok"), (b"tiktok", "tiktok")], None),
        (b't', b'g') => (&[], Some((b"tg", "telegram"))),
        (b'o', b'n') => (&[(b"onlyfans", "onlyfans")], None),
        (b'o', b'f') => (&[], Some((b"of", "onlyfans"))),
        (b'f', b'a') => (&[(b"fansly", "fansly")], None),
        // `cash ?app`: the space is taken when it is there.
        (b'c', b'a') => (&[(b"cash app", "cashapp"), (b"cashapp", "cashapp")], None),
        (b'v', b'e') => (&[(b"venmo", "venmo")], None),
        (b'w', b'e') => (
            &[
                (b"wechat id", "wechat"),
                (b"wechat", "wechat"),
                (b"weixin id", "wechat"),
                (b"weixin", "wechat"),
            ],
            None,
        ),
        (b'w', b'x') => (&[], Some((b"wx", "wechat"))),
        (b'v', b'x') => (&[], Some((b"vx", "wechat"))),
        // `line` is an ordinary word: a cue before a marker, or as `line id`.
        (b'l', b'i') => (&[(b"line id", "line")], Some((b"line", "line"))),
        (b'k', b'a') => (
            &[
                (b"kakaotalk id", "kakao"),
                (b"kakaotalk", "kakao"),
                (b"kakao id", "kakao"),
                (b"kakao", "kakao"),
            ],
            None,
        ),
        (b's', b'i') => (&[(b"signal", "signal")], None),
        (b'x', _) => (&[], Some((b"x", "x"))),
        _ => (&[], None),
    }
}

/// The cue match at word start `i`.
fn cue_at(bytes: &[u8], i: usize) -> Option<CueMatch> {
    let second = bytes.get(i + 1).map_or(0, |&b| b | 0x20);
    let (long, short) = cues(bytes[i] | 0x20, second);
    // A long cue must end at a word boundary and be followed by a name, or the engine tries the
    // next alternative, and the short cue when no long one fits. Two long cues fit together only
    // where one is the other and ` id` (`wechat id`, `wechat`; `kik id`, `kik`): with no name
    // after the longer, the shorter is taken and `id` is its name.
    let long = long.iter().find_map(|&(word, platform)| {
        let end = i + word.len();
        if !literal_at(bytes, i, word) || bytes.get(end).is_some_and(|&b| is_word(b)) {
            return None;
        }
        Some((word, platform, false, filler_then_tail(bytes, end)?))
    });
    let (word, platform, needs_mark, name) = match (long, short) {
        (Some(found), _) => found,
        (None, Some((word, platform))) if literal_at(bytes, i, word) => {
            (word, platform, true, short_tail(bytes, i + word.len())?)
        }
        _ => return None,
    };
    let cue_end = i + word.len();
    Some(CueMatch {
        cue: i..cue_end,
        sep: cue_end..name.start,
        name,
        platform,
        needs_mark,
    })
}

/// `\s+(?:me|is)(?:\s+(?::|-|=>?)?|\s*(?::|-|=>?))\s*@?\s*` and the name, or else [`long_tail`],
/// after a long cue ending at `p`: a filler word after spaces and before spaces or a marker
/// ("kik me jane22", "my onlyfans is jane22", "snapchat me: jane") is taken when a name follows
/// it, and left to be the name when none does, as the engine backtracks ("kik me").
fn filler_then_tail(bytes: &[u8], p: usize) -> Option<Range<usize>> {
    let w = skip_spaces(bytes, p);
    let is_filler = w > p && (literal_at(bytes, w, b"me") || literal_at(bytes, w, b"is"));
    is_filler
        .then(|| tail_after_filler(bytes, w + 2))
        .flatten()
        .or_else(|| long_tail(bytes, p))
}

/// `(?:\s+(?::|-|=>?)?|\s*(?::|-|=>?))\s*@?\s*` and the name, after a filler word ending at
/// `p`: spaces and an optional marker ([`long_tail`] parses them), or a marker right after it.
fn tail_after_filler(bytes: &[u8], p: usize) -> Option<Range<usize>> {
    match bytes.get(p) {
        Some(&b) if is_space(b) => long_tail(bytes, p),
        // A marker right after the filler, which must then be followed by a name.
        Some(b':' | b'-') => tail_after_mark(bytes, p + 1),
        Some(b'=') => tail_after_mark(bytes, after_arrow(bytes, p)),
        _ => None,
    }
}

/// `\s*(?::|-|=>?)?\s*@?\s*` and the name, after a long cue ending at `p`.
fn long_tail(bytes: &[u8], p: usize) -> Option<Range<usize>> {
    let mark = skip_spaces(bytes, p);
    match bytes.get(mark) {
        Some(b':') => tail_after_mark(bytes, mark + 1),
        // With no name after the `-`, the engine drops the optional marker and the `-` begins
        // the name.
        Some(b'-') => tail_after_mark(bytes, mark + 1).or_else(|| name_at(bytes, mark)),
        Some(b'=') => tail_after_mark(bytes, after_arrow(bytes, mark)),
        _ => tail_after_mark(bytes, mark),
    }
}

/// `\s*(?::|-|=>?|@)\s*@?\s*` and the name, after a short cue ending at `p`; or the filler
/// `is` after spaces, as after a long cue ([`tail_after_filler`]: "my ig is jane.doe22").
fn short_tail(bytes: &[u8], p: usize) -> Option<Range<usize>> {
    let mark = skip_spaces(bytes, p);
    match bytes.get(mark)? {
        b':' | b'-' | b'@' => tail_after_mark(bytes, mark + 1),
        b'=' => tail_after_mark(bytes, after_arrow(bytes, mark)),
        b'i' | b'I' if mark > p && literal_at(bytes, mark, b"is") => {
            tail_after_filler(bytes, mark + 2)
        }
        _ => None,
    }
}

/// After `=>?` at `p` (a `>` not followed by a name cannot be one either, so taking it is final).
fn after_arrow(bytes: &[u8], p: usize) -> usize {
    p + 1 + usize::from(bytes.get(p + 1) == Some(&b'>'))
}

/// `\s*@?\s*` and the name from `p` (an `@` is taken when it is there: it cannot begin a name).
fn tail_after_mark(bytes: &[u8], p: usize) -> Option<Range<usize>> {
    let at = skip_spaces(bytes, p);
    let name_start = if bytes.get(at) == Some(&b'@') {
        skip_spaces(bytes, at + 1)
    } else {
        at
    };
    name_at(bytes, name_start)
}

const BLOCK: usize = 64;

/// A block and the two bytes after it (zeros past the end of the text): the first three bytes
/// of every start in the block.
const WINDOW: usize = BLOCK + 2;

/// Bit `j` set when byte `j` of the block (the first [`BLOCK`] bytes of `window`) is an ASCII
/// letter. The classification is one loop the compiler vectorises; each eight flags (0 or 1) are
/// then gathered into eight bits by one multiplication (the shifted copies of the flags land in
/// distinct bits of the top byte). Out of line so that it is compiled for a fixed-size block.
#[inline(never)]
fn letter_mask(window: &[u8; WINDOW]) -> u64 {
    let Some(block) = window.first_chunk::<BLOCK>() else {
        return 0;
    };
    let mut flags = [0u8; BLOCK];
    for (flag, &b) in flags.iter_mut().zip(block) {
        *flag = u8::from((b | 0x20).wrapping_sub(b'a') < 26);
    }
    crate::swar::mask_of_flags(&flags)
}
