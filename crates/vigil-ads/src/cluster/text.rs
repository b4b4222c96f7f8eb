//! Text preparation for near-duplicate detection: normalise, mask digits, character 5-gram
//! shingles and their exact Jaccard similarity (§7).

use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// Shingle length in characters.
pub const SHINGLE_CHARS: usize = 5;

/// NFKC, lowercase, whitespace collapsed to single spaces and trimmed; with `mask_digits`, every
/// numeric character becomes `#`. Byte ranges in `drop` (extracted identifiers) are blanked
/// first, so identifiers become hard edges instead of text.
pub fn normalise(text: &str, drop: &[Range<usize>], mask_digits: bool) -> String {
    let mut out = String::new();
    normalise_into(text, drop, mask_digits, &mut out);
    out
}

/// [`normalise`] appended to `out` (what was in `out` is kept and does not affect the result).
pub fn normalise_into(text: &str, drop: &[Range<usize>], mask_digits: bool, out: &mut String) {
    let blanked: std::borrow::Cow<'_, str> = if drop.is_empty() {
        text.into()
    } else {
        let mut s = String::with_capacity(text.len());
        let mut at = 0;
        let mut ranges: Vec<Range<usize>> = drop
            .iter()
            .filter(|r| r.start < r.end && r.end <= text.len())
            .filter(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end))
            .cloned()
            .collect();
        ranges.sort_by_key(|r| r.start);
        for r in ranges {
            if r.start >= at {
                s.push_str(&text[at..r.start]);
                s.push(' ');
                at = r.end;
            } else if r.end > at {
                at = r.end;
            }
        }
        s.push_str(&text[at..]);
        s.into()
    };
    out.reserve(blanked.len());
    let start = out.len();
    let mut out = Normalised {
        text: out,
        start,
        pending_space: false,
        mask_digits,
    };
    // NFKC works chunk by chunk: a chunk starts at every ASCII character (a starter that no
    // canonical composition takes as its second character) and runs to the next one, so an
    // ASCII character followed by another ASCII character (or the end) is its own, already
    // normalised chunk and skips the normaliser. Only chunks with non-ASCII text go through it.
    let bytes = blanked.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A run of ASCII characters each followed by ASCII (or the end).
        let run = bytes[i..]
            .iter()
            .position(|b| !b.is_ascii())
            .map_or(bytes.len(), |k| i + k);
        // The last ASCII byte before a non-ASCII one starts that one's chunk.
        let run_end = if run < bytes.len() {
            run.saturating_sub(1).max(i)
        } else {
            run
        };
        for &b in &bytes[i..run_end] {
            out.push_ascii(b);
        }
        i = run_end;
        if i >= bytes.len() {
            break;
        }
        let start = i;
        i += 1;
        while i < bytes.len() && !bytes[i].is_ascii() {
            i += 1;
        }
        for c in blanked[start..i].nfkc().flat_map(char::to_lowercase) {
            out.push(c);
        }
    }
}

/// The output of [`normalise`] as it is built, after `start` bytes of earlier text.
struct Normalised<'a> {
    text: &'a mut String,
    start: usize,
    /// Whitespace was read since the last character written (and something was written).
    pending_space: bool,
    mask_digits: bool,
}

impl Normalised<'_> {
    /// One character of NFKC, lowercased, output.
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.pending_space = self.text.len() > self.start;
            return;
        }
        if self.pending_space {
            self.text.push(' ');
            self.pending_space = false;
        }
        self.text.push(if self.mask_digits && c.is_numeric() {
            '#'
        } else {
            c
        });
    }

    /// [`Normalised::push`] for an ASCII byte that is its own NFKC chunk: on ASCII,
    /// `char::is_whitespace` is tab to carriage return and space, `char::is_numeric` is 0-9
    /// and lowercasing is ASCII lowercasing.
    #[inline]
    fn push_ascii(&mut self, b: u8) {
        if matches!(b, b'\t'..=b'\r' | b' ') {
            self.pending_space = self.text.len() > self.start;
            return;
        }
        if self.pending_space {
            self.text.push(' ');
            self.pending_space = false;
        }
        self.text
            .push(char::from(if self.mask_digits && b.is_ascii_digit() {
                b'#'
            } else {
                b.to_ascii_lowercase()
            }));
    }
}

/// The definition [`normalise`] is tested against: NFKC of the whole text at once.
#[cfg(test)]
fn normalise_reference(text: &str, mask_digits: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkc().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(if mask_digits && c.is_numeric() {
            '#'
        } else {
            c
        });
    }
    out
}

/// A shingle as a 64-bit key. Five ASCII characters are packed exactly (35 bits, top bit clear);
/// any other shingle is hashed into 63 bits with the top bit set. Jaccard over these keys is
/// exact for ASCII text and exact up to a 2^-63 collision chance otherwise.
fn shingle_key(chars: &[char]) -> u64 {
    if chars.iter().all(char::is_ascii) {
        chars.iter().fold(0u64, |acc, &c| (acc << 7) | c as u64)
    } else {
        let mut h = 0x9E37_79B9_7F4A_7C15u64;
        for &c in chars {
            h = mix64(h ^ c as u64);
        }
        h | (1 << 63)
    }
}

/// splitmix64 finaliser: a fast, well-mixed 64-bit bijection.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The sorted, de-duplicated set of character 5-gram keys of already normalised text. Text
/// shorter than five characters (but not empty) is one shingle.
pub fn shingles(normalised: &str) -> Vec<u64> {
    let mut keys = Vec::new();
    shingles_into(normalised, &mut keys);
    keys
}

/// [`shingles`] into a reused buffer (cleared first).
pub fn shingles_into(normalised: &str, keys: &mut Vec<u64>) {
    shingle_keys_into(normalised, keys);
    keys.sort_unstable();
    keys.dedup();
}

/// Odd multiplier of [`scrambled_set_into`]: multiplication by an odd number is a bijection on
/// `u64`, and its top bits depend on every bit of the key.
const SCRAMBLE: u64 = 0x9E37_79B9_7F4A_7C15;

/// The shingle set of already normalised text for exact Jaccard checks: every key multiplied by
/// an odd constant (a bijection, so set sizes and intersections, hence Jaccard, are those of
/// [`shingles`]), sorted and de-duplicated. The scrambled keys are spread evenly, so one
/// counting pass on their top bits (about one key per bucket) leaves them nearly sorted and an
/// insertion pass finishes the job in about linear time, instead of a comparison sort. The
/// insertion pass has a budget of moves; text that crowds the buckets (by chance or by design)
/// falls back to `sort_unstable`, so the worst case stays `O(n log n)`. `unsorted` and
/// `counts` are scratch buffers.
pub(crate) fn scrambled_set_into(
    normalised: &str,
    set: &mut Vec<u64>,
    unsorted: &mut Vec<u64>,
    counts: &mut Vec<u32>,
) {
    shingle_keys_into(normalised, unsorted);
    for key in unsorted.iter_mut() {
        *key = key.wrapping_mul(SCRAMBLE);
    }
    sort_spread_keys(unsorted, set, counts);
}

/// `keys` sorted and de-duplicated into `set`: fast when the keys' top bits are spread evenly,
/// `O(n log n)` whatever they are (see [`scrambled_set_into`]).
fn sort_spread_keys(keys: &[u64], set: &mut Vec<u64>, counts: &mut Vec<u32>) {
    set.clear();
    let n = keys.len();
    if n < 32 {
        set.extend_from_slice(keys);
        set.sort_unstable();
        set.dedup();
        return;
    }
    // About as many buckets as keys, between 2^5 and 2^16.
    let bits = (usize::BITS - (n - 1).leading_zeros()).clamp(5, 16);
    let shift = 64 - bits;
    counts.clear();
    counts.resize(1 << bits, 0);
    for &key in keys {
        counts[(key >> shift) as usize] += 1;
    }
    // Exclusive prefix sums: where each bucket starts.
    let mut total = 0u32;
    for count in counts.iter_mut() {
        let c = *count;
        *count = total;
        total += c;
    }
    set.resize(n, 0);
    for &key in keys {
        let slot = &mut counts[(key >> shift) as usize];
        set[*slot as usize] = key;
        *slot += 1;
    }
    // Keys are out of order only inside a bucket: insertion sort, within a budget of moves.
    let mut budget = 4 * n;
    for i in 1..n {
        let key = set[i];
        let mut j = i;
        while j > 0 && set[j - 1] > key {
            set[j] = set[j - 1];
            j -= 1;
        }
        set[j] = key;
        budget = budget.saturating_sub(i - j);
        if budget == 0 {
            set.sort_unstable();
            break;
        }
    }
    set.dedup();
}

/// The character 5-gram keys of already normalised text in text order, unsorted and with
/// repeats (enough for a MinHash signature, which takes a minimum), into a reused buffer
/// (cleared first).
pub fn shingle_keys_into(normalised: &str, keys: &mut Vec<u64>) {
    keys.clear();
    let bytes = normalised.as_bytes();
    if bytes.is_ascii() {
        // ASCII: one byte per character, so the packed key rolls along the text.
        if bytes.is_empty() {
            return;
        }
        if bytes.len() < SHINGLE_CHARS {
            keys.push(bytes.iter().fold(0u64, |acc, &c| (acc << 7) | u64::from(c)));
            return;
        }
        const MASK: u64 = (1 << (7 * SHINGLE_CHARS)) - 1;
        let mut key = bytes[..SHINGLE_CHARS - 1]
            .iter()
            .fold(0u64, |acc, &c| (acc << 7) | u64::from(c));
        keys.reserve(bytes.len() + 1 - SHINGLE_CHARS);
        for &c in &bytes[SHINGLE_CHARS - 1..] {
            key = ((key << 7) | u64::from(c)) & MASK;
            keys.push(key);
        }
    } else {
        rolling_keys(normalised, keys);
    }
}

/// The keys of every five-character window of `text` (which holds some non-ASCII character),
/// or the one key of a shorter text. The characters are decoded as they are read and the last
/// five kept in a ring; the packed key rolls as in the ASCII case and is used while the window
/// holds only ASCII, and a window with any other character is hashed (oldest to newest).
fn rolling_keys(text: &str, keys: &mut Vec<u64>) {
    const MASK: u64 = (1 << (7 * SHINGLE_CHARS)) - 1;
    let mut ring = [0u32; SHINGLE_CHARS];
    // Where the next character goes in the ring, which is also where the oldest one is.
    let mut next = 0usize;
    let mut packed = 0u64;
    let mut seen = 0usize;
    // Characters read up to and including the last non-ASCII one (0: none yet).
    let mut after_wide = 0usize;
    keys.reserve(text.len());
    for c in text.chars() {
        let c = c as u32;
        ring[next] = c;
        next = if next + 1 == SHINGLE_CHARS {
            0
        } else {
            next + 1
        };
        packed = ((packed << 7) | u64::from(c & 0x7f)) & MASK;
        seen += 1;
        if c > 0x7f {
            after_wide = seen;
        }
        if seen < SHINGLE_CHARS {
            continue;
        }
        if after_wide <= seen - SHINGLE_CHARS {
            keys.push(packed);
        } else {
            let mut h = 0x9E37_79B9_7F4A_7C15u64;
            for &w in ring[next..].iter().chain(&ring[..next]) {
                h = mix64(h ^ u64::from(w));
            }
            keys.push(h | (1 << 63));
        }
    }
    if (1..SHINGLE_CHARS).contains(&seen) {
        let chars: Vec<char> = text.chars().collect();
        keys.push(shingle_key(&chars));
    }
}

/// The definition [`shingles`] is tested against.
#[cfg(test)]
fn shingles_reference(normalised: &str) -> Vec<u64> {
    let chars: Vec<char> = normalised.chars().collect();
    let mut keys: Vec<u64> = if chars.is_empty() {
        Vec::new()
    } else if chars.len() < SHINGLE_CHARS {
        vec![shingle_key(&chars)]
    } else {
        chars.windows(SHINGLE_CHARS).map(shingle_key).collect()
    };
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Exact Jaccard similarity of two sorted, de-duplicated sets. Two empty sets have similarity 0.
pub fn jaccard_sorted(a: &[u64], b: &[u64]) -> f64 {
    let inter = intersection_reaching(a, b, 0).unwrap_or(0);
    jaccard_of(a.len(), b.len(), inter)
}

/// Jaccard from the two set sizes and their intersection (0 for two empty sets).
fn jaccard_of(len_a: usize, len_b: usize, inter: usize) -> f64 {
    let union = len_a + len_b - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// The size of the intersection of two sorted, de-duplicated sets, or `None` as soon as the
/// keys left could no longer lift it to `needed` (checked every 64 steps).
fn intersection_reaching(a: &[u64], b: &[u64], needed: usize) -> Option<usize> {
    const STRIDE: usize = 64;
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        // A branch-free merge: which side advances is data the processor cannot predict, so
        // the steps are computed from the comparison instead of branched on.
        let stop = (a.len() - i).min(b.len() - j).min(STRIDE);
        for _ in 0..stop {
            let (x, y) = (a[i], b[j]);
            inter += usize::from(x == y);
            i += usize::from(x <= y);
            j += usize::from(y <= x);
        }
        if inter + (a.len() - i).min(b.len() - j) < needed {
            return None;
        }
    }
    Some(inter)
}

/// [`jaccard_sorted`] of `a` and `b` when it is at least `threshold`, `None` when it is below:
/// the same decision and the same value, but the merge stops once the keys left could no longer
/// lift the intersection to the threshold (most candidate pairs an exact check rejects are far
/// below it), and sets whose sizes alone rule the threshold out are not merged at all.
pub fn jaccard_at_least(a: &[u64], b: &[u64], threshold: f64) -> Option<f64> {
    let jaccard = |inter: usize| jaccard_of(a.len(), b.len(), inter);
    // The smallest intersection that reaches the threshold (the Jaccard of a given pair of sizes
    // grows with the intersection, and so does its rounded value), or none.
    let most = a.len().min(b.len());
    if jaccard(most) < threshold {
        return None;
    }
    let (mut low, mut high) = (0usize, most);
    while low < high {
        let mid = (low + high) / 2;
        if jaccard(mid) >= threshold {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    let inter = intersection_reaching(a, b, low)?;
    let value = jaccard(inter);
    (value >= threshold).then_some(value)
}

/// Exact Jaccard of the character 5-gram sets of two texts, normalised with digits masked.
pub fn jaccard5(a: &str, b: &str) -> f64 {
    jaccard_sorted(
        &shingles(&normalise(a, &[], true)),
        &shingles(&normalise(b, &[], true)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const A: &str = "New in town! Sweet young girl, 100% real pics, incall outcall available now, call 480 555 0142";
    const B: &str = "New in town! Sweet young girl, 100% real pics, incall and outcall available now, text 480 555 0199";

    #[test]
    fn design_test_vector_counts_and_jaccard() {
        let (sa, sb) = (
            shingles(&normalise(A, &[], false)),
            shingles(&normalise(B, &[], false)),
        );
        assert_eq!((sa.len(), sb.len()), (88, 92));
        assert_eq!(format!("{:.4}", jaccard_sorted(&sa, &sb)), "0.7308");
        assert_eq!(format!("{:.4}", jaccard5(A, B)), "0.7551");
    }

    #[test]
    fn normalise_folds_case_width_and_space_and_masks_digits() {
        assert_eq!(
            normalise("  ＣＡＬＬ\t\n me  ４８０ ", &[], true),
            "call me ###"
        );
        assert_eq!(normalise("Ⅳ", &[], false), "iv");
    }

    #[test]
    fn dropped_identifiers_leave_a_space() {
        let t = "text 480-555-0142 now";
        assert_eq!(
            normalise(t, std::slice::from_ref(&(5..17)), true),
            "text now"
        );
        // Out-of-range and overlapping ranges are tolerated.
        assert_eq!(
            normalise(t, &[(5..17), (6..9), (100..200)], true),
            "text now"
        );
    }

    #[test]
    fn crowded_buckets_are_sorted_too() {
        let (mut set, mut counts) = (Vec::new(), Vec::new());
        // Every key in bucket 0 and in reverse order: the insertion budget runs out and the
        // fallback sort finishes.
        let reversed: Vec<u64> = (0..5_000u64).rev().chain(0..100).collect();
        sort_spread_keys(&reversed, &mut set, &mut counts);
        assert_eq!(set, (0..5_000u64).collect::<Vec<_>>());
        // Spread keys, many repeated, more than 2^16 of them (the bucket count's cap).
        let spread: Vec<u64> = (0..200_000u64)
            .map(|k| (k % 70_001).wrapping_mul(SCRAMBLE))
            .collect();
        sort_spread_keys(&spread, &mut set, &mut counts);
        let mut expected = spread.clone();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(set.len(), 70_001);
        assert_eq!(set, expected);
    }

    #[test]
    fn jaccard_at_least_at_the_edges() {
        // 7 of 10 keys shared: exactly 0.7, which reaches 0.7 and not 0.7000001.
        let a: Vec<u64> = (0..10).collect();
        let b: Vec<u64> = (0..7).collect();
        assert_eq!(jaccard_at_least(&a, &b, 0.7), Some(0.7));
        assert_eq!(jaccard_at_least(&a, &b, 0.700_000_1), None);
        // Sizes alone rule it out, and empty sets reach nothing above 0.
        assert_eq!(jaccard_at_least(&a, &[1, 2], 0.5), None);
        assert_eq!(jaccard_at_least(&[], &[], 0.1), None);
        // Disjoint halves of long sets stop early and are rejected.
        let odd: Vec<u64> = (0..1000).map(|k| 2 * k + 1).collect();
        let even: Vec<u64> = (0..1000).map(|k| 2 * k).collect();
        assert_eq!(jaccard_at_least(&odd, &even, 0.1), None);
        assert_eq!(jaccard_at_least(&odd, &odd, 1.0), Some(1.0));
    }

    #[test]
    fn short_and_empty_texts() {
        assert_eq!(shingles("abc").len(), 1);
        assert!(shingles("").is_empty());
        assert_eq!(jaccard5("", ""), 0.0);
    }

    proptest! {

        /// The branch-free merge counts what a set intersection counts.
        #[test]
        fn jaccard_sorted_equals_the_set_definition(
            a in proptest::collection::btree_set(0u64..64, 0..40),
            b in proptest::collection::btree_set(0u64..64, 0..40),
        ) {
            let inter = a.intersection(&b).count();
            let union = a.union(&b).count();
            let expected = if union == 0 { 0.0 } else { inter as f64 / union as f64 };
            let (a, b): (Vec<u64>, Vec<u64>) = (a.into_iter().collect(), b.into_iter().collect());
            prop_assert_eq!(jaccard_sorted(&a, &b), expected);
        }
        /// The early-stopping check decides as the full merge does and reports the same value.
        /// Sets up to 400 keys drawn from a narrow range cross the 64-key strides and reach
        /// every similarity; thresholds include the exact fractions sets of these sizes hit.
        #[test]
        fn jaccard_at_least_decides_as_the_full_merge(
            a in proptest::collection::btree_set(0u64..600, 0..400),
            b in proptest::collection::btree_set(0u64..600, 0..400),
            shared in proptest::collection::btree_set(0u64..600, 0..300),
            threshold in prop_oneof![0.01f64..=1.0, Just(0.7), Just(0.5), Just(1.0)],
        ) {
            let a: Vec<u64> = a.union(&shared).copied().collect();
            let b: Vec<u64> = b.union(&shared).copied().collect();
            let full = jaccard_sorted(&a, &b);
            let expected = (full >= threshold).then_some(full);
            prop_assert_eq!(jaccard_at_least(&a, &b, threshold), expected);
            prop_assert_eq!(jaccard_at_least(&b, &a, threshold), expected);
        }

        #[test]
        fn jaccard_is_symmetric_and_bounded(a in "\\PC{0,120}", b in "\\PC{0,120}") {
            let (x, y) = (jaccard5(&a, &b), jaccard5(&b, &a));
            prop_assert!(x == y && (0.0..=1.0).contains(&x));
        }

        #[test]
        fn chunked_normalisation_equals_whole_text_nfkc(
            a in "(\\PC|[a-zA-Z0-9 ]|\\p{M}|[\u{300}-\u{36f}\u{1100}-\u{11ff}\u{ac00}-\u{ac20}ｆ½™])*",
            mask in any::<bool>(),
        ) {
            prop_assert_eq!(normalise(&a, &[], mask), normalise_reference(&a, mask));
        }

        #[test]
        fn scrambled_sets_have_the_jaccard_of_the_shingle_sets(
            a in "(\\PC|[a-e #]){0,400}",
            b in "(\\PC|[a-e #]){0,400}",
        ) {
            let (mut sa, mut sb, mut unsorted, mut counts) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            scrambled_set_into(&a, &mut sa, &mut unsorted, &mut counts);
            scrambled_set_into(&b, &mut sb, &mut unsorted, &mut counts);
            prop_assert!(sa.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(sb.windows(2).all(|w| w[0] < w[1]));
            let (ra, rb) = (shingles(&a), shingles(&b));
            prop_assert_eq!(sa.len(), ra.len());
            let mut expected: Vec<u64> = ra.iter().map(|k| k.wrapping_mul(SCRAMBLE)).collect();
            expected.sort_unstable();
            prop_assert_eq!(&sa, &expected);
            prop_assert_eq!(jaccard_sorted(&sa, &sb), jaccard_sorted(&ra, &rb));
        }

        #[test]
        fn rolling_shingles_equal_the_definition(a in "(\\PC|[a-e #])*") {
            let n = normalise(&a, &[], true);
            prop_assert_eq!(shingles(&n), shingles_reference(&n));
            prop_assert_eq!(shingles(&a), shingles_reference(&a));
        }

        #[test]
        fn normalising_into_a_string_appends_the_normalised_text(
            before in "(\\PC|[ \t]){0,20}",
            a in "(\\PC|[ \t]|[a-c0-9]){0,60}",
        ) {
            let mut out = before.clone();
            normalise_into(&a, &[], true, &mut out);
            prop_assert_eq!(out, format!("{before}{}", normalise(&a, &[], true)));
        }

        #[test]
        fn normalising_twice_changes_nothing(a in "\\PC{0,120}") {
            let once = normalise(&a, &[], true);
            prop_assert_eq!(normalise(&once, &[], true), once);
        }

        #[test]
        fn a_non_empty_text_is_identical_to_itself(a in "\\PC{1,80}") {
            let n = normalise(&a, &[], true);
            prop_assume!(!n.is_empty());
            prop_assert_eq!(jaccard5(&a, &a), 1.0);
        }
    }
}
