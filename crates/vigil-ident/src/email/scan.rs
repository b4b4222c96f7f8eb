//! The spans of the e-mail pattern `LOCAL AT LABEL (DOT LABEL){1,8}` (ASCII, any case; `LOCAL`,
//! `AT`, `DOT` and `LABEL` as in the parent module's documentation): for every match, the span
//! a backtracking engine with leftmost-first preference and non-overlapping iteration would
//! pick, found without one.
//!
//! Why no backtracking is needed: every piece of the pattern is followed by a piece whose first
//! byte cannot belong to it. A run of the local part is followed by a space, `@` or an opening
//! bracket, none of which is a local-part byte, so it always ends where its run of local-part
//! bytes ends, and its leftmost start is the one whose 64-byte window still reaches that end; a
//! bracketed dot and an `at` separator both start with spaces and a bracket, but hold different
//! words, so which one follows a run is never in doubt, and the local part's leftmost start
//! (where the `at` is written out and runs may be joined) is found by stepping back over
//! bracketed dots and runs from the last run.
//! The three `at` forms start with different bytes (`@`, a bracket, a space before `at`), and so
//! do the three `dot` forms. A label is followed by a separator, never by a label byte, so only
//! the greedy label can be followed by one; and once the required first `dot` label is found,
//! later repetitions only lengthen the match. A run that fails fails for every start inside it.
//!
//! So the scan visits the bytes an `at` separator can start with (found a vectorised block at a
//! time), steps back over spaces to the run of local-part bytes before each, and parses forward.
//! Each space run is stepped over backwards for the one anchor after it, local parts for at most
//! 64 bytes, and a failed forward parse reads a bounded number of tokens: linear time.

use std::cell::Cell;
use std::ops::Range;

/// The bytes of `[a-z0-9._%+\-]` (any case).
static LOCAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
        b += 1;
    }
    table
};

/// Whether `b` is in `[a-z0-9._%+\-]` (any case).
pub(super) fn is_local(b: u8) -> bool {
    LOCAL[usize::from(b)]
}

/// `\s` without Unicode: space, tab, line feed, vertical tab, form feed, carriage return.
/// (Not `u8::is_ascii_whitespace`, which leaves out the vertical tab.)
pub(super) fn is_space(b: u8) -> bool {
    b == b' ' || (b'\t'..=b'\r').contains(&b)
}

/// The first position at or after `p` that is not [`is_space`] (or the end).
pub(super) fn skip_spaces(bytes: &[u8], mut p: usize) -> usize {
    while bytes.get(p).is_some_and(|&b| is_space(b)) {
        p += 1;
    }
    p
}

fn is_opening(b: u8) -> bool {
    matches!(b, b'[' | b'(' | b'{' | b'<')
}

fn is_closing(b: u8) -> bool {
    matches!(b, b']' | b')' | b'}' | b'>')
}

fn word_at(bytes: &[u8], p: usize, word: &[u8]) -> bool {
    bytes
        .get(p..p + word.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(word))
}

/// A bracketed word, `\s*[\[({<]\s*WORD\s*[\])}>]\s*`, starting at the bracket at `p`: where the
/// text after it begins.
fn bracketed(bytes: &[u8], p: usize, word: &[u8]) -> Option<usize> {
    let w = skip_spaces(bytes, p + 1);
    if !word_at(bytes, w, word) {
        return None;
    }
    let close = skip_spaces(bytes, w + word.len());
    is_closing(*bytes.get(close)?).then(|| skip_spaces(bytes, close + 1))
}

/// A spaced word, `\s+WORD\s+`, whose word starts at `p` after at least one space: where the text
/// after it begins.
fn spaced(bytes: &[u8], p: usize, word: &[u8]) -> Option<usize> {
    if !word_at(bytes, p, word) {
        return None;
    }
    let after = p + word.len();
    let next = skip_spaces(bytes, after);
    (next > after).then_some(next)
}

/// The `at` separator after a local part ending at `p`: where the first label must start.
fn after_at(bytes: &[u8], p: usize) -> Option<usize> {
    let w = skip_spaces(bytes, p);
    match *bytes.get(w)? {
        b'@' => Some(skip_spaces(bytes, w + 1)),
        b if is_opening(b) => bracketed(bytes, w, b"at").or_else(|| bracketed(bytes, w, b"@")),
        b'a' | b'A' if w > p => spaced(bytes, w, b"at"),
        _ => None,
    }
}

/// The `dot` separator after a label ending at `p`: where the next label must start.
fn after_dot(bytes: &[u8], p: usize) -> Option<usize> {
    let w = skip_spaces(bytes, p);
    match *bytes.get(w)? {
        b'.' => Some(skip_spaces(bytes, w + 1)),
        b if is_opening(b) => after_bracketed_dot(bytes, w),
        b'd' | b'D' if w > p => spaced(bytes, w, b"dot"),
        _ => None,
    }
}

/// The end of the label `[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?` starting at `p`, taken greedily:
/// the last letter or digit among the next 62 label bytes, or the first byte alone.
fn label_end(bytes: &[u8], p: usize) -> Option<usize> {
    if !bytes.get(p)?.is_ascii_alphanumeric() {
        return None;
    }
    let mut end = p + 1;
    let window = &bytes[p + 1..bytes.len().min(p + 63)];
    for (k, &b) in window.iter().enumerate() {
        if b.is_ascii_alphanumeric() {
            end = p + 2 + k;
        } else if b != b'-' {
            break;
        }
    }
    Some(end)
}

/// After a local part ending at `p`: the `at` separator, the first label, and up to eight
/// `dot` separators and labels, as the first label's range, the end, and the number of `dot`
/// labels; None without the separator and a label.
fn domain_after(bytes: &[u8], p: usize) -> Option<(Range<usize>, usize, usize)> {
    let label_start = after_at(bytes, p)?;
    let first_end = label_end(bytes, label_start)?;
    let (mut end, mut dots) = (first_end, 0);
    while dots < 8 {
        let Some(next) = after_dot(bytes, end).and_then(|q| label_end(bytes, q)) else {
            break;
        };
        end = next;
        dots += 1;
    }
    Some((label_start..first_end, end, dots))
}

/// The end of the match whose local part ends at `p`, if the rest of the pattern matches there;
/// notes in `dotless` when only the `dot` label is missing after a provider's name (see
/// [`dotless_domains`]).
fn match_end(bytes: &[u8], p: usize, dotless: &Cell<bool>) -> Option<usize> {
    let (first, end, dots) = domain_after(bytes, p)?;
    if dots == 0 && super::is_provider_name(&bytes[first]) {
        dotless.set(true);
    }
    (dots > 0).then_some(end)
}

/// The end of the run of local-part bytes before the `at` separator whose first non-space byte
/// is at `q`, the spaces between stepped over back to `pos` at most; None without such a run.
fn local_run_end(bytes: &[u8], q: usize, pos: usize) -> Option<usize> {
    let mut run_end = q;
    while run_end > pos && is_space(bytes[run_end - 1]) {
        run_end -= 1;
    }
    (run_end > pos && LOCAL[usize::from(bytes[run_end - 1])]).then_some(run_end)
}

/// The leftmost start, from `pos` on, of a local part ending at `run_end` before the `at`
/// separator whose first non-space byte is at `q`: the start of its last run of local-part bytes
/// whose 64-byte window still reaches `run_end`; or, when that separator is written out (not an
/// `@`, which a written-out dot before the local part does not go with) and a bracketed dot ends
/// right before that run and another run with a letter right before the dot, the leftmost
/// start of that run at a letter, and so on (`jane[dot]doe[at]`, `jane (.) doe at`).
fn local_start(bytes: &[u8], run_end: usize, pos: usize, q: usize) -> usize {
    let joins = bytes[q] != b'@';
    let mut end = run_end;
    let mut joined_start = None;
    loop {
        let floor = pos.max(end.saturating_sub(64));
        let mut start = end - 1;
        while start > floor && LOCAL[usize::from(bytes[start - 1])] {
            start -= 1;
        }
        // A run joined before the last starts with a letter: a run without one (a phone's
        // last group, `0143 [dot] jane`) joins nothing.
        if let Some(later) = joined_start {
            match bytes[start..end].iter().position(u8::is_ascii_alphabetic) {
                Some(k) => start += k,
                None => return later,
            }
        }
        // A run cut at 64 bytes, at `pos` or at its first letter can be joined to nothing
        // before it.
        if !joins || start == pos || LOCAL[usize::from(bytes[start - 1])] {
            return start;
        }
        match run_before_bracketed_dot(bytes, start, pos) {
            Some(previous) => (end, joined_start) = (previous, Some(start)),
            None => return start,
        }
    }
}

/// Where the run of local-part bytes ends that a bracketed dot, `\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*`,
/// joins to the run starting at `start`: read backwards from `start`, staying after `pos`; None
/// when no such dot and run stand there.
fn run_before_bracketed_dot(bytes: &[u8], start: usize, pos: usize) -> Option<usize> {
    let back_over_spaces = |mut i: usize| {
        while i > pos && is_space(bytes[i - 1]) {
            i -= 1;
        }
        i
    };
    let close = back_over_spaces(start);
    if close <= pos || !is_closing(bytes[close - 1]) {
        return None;
    }
    let inner_end = back_over_spaces(close - 1);
    let inner = if inner_end > pos && bytes[inner_end - 1] == b'.' {
        inner_end - 1
    } else if inner_end >= pos + 3 && bytes[inner_end - 3..inner_end].eq_ignore_ascii_case(b"dot") {
        inner_end - 3
    } else {
        return None;
    };
    let open = back_over_spaces(inner);
    if open <= pos || !is_opening(bytes[open - 1]) {
        return None;
    }
    let run_end = back_over_spaces(open - 1);
    (run_end > pos && LOCAL[usize::from(bytes[run_end - 1])]).then_some(run_end)
}

/// A bracketed dot, `\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*`, starting at or after the spaces at
/// `p` (between two labels, or two runs of a local part: `jane[dot]doe`): where the text after
/// it begins.
pub(super) fn after_bracketed_dot(bytes: &[u8], p: usize) -> Option<usize> {
    let w = skip_spaces(bytes, p);
    if !is_opening(*bytes.get(w)?) {
        return None;
    }
    bracketed(bytes, w, b"dot").or_else(|| bracketed(bytes, w, b"."))
}

/// The match spans, in order, each searched for from the end of the previous one.
///
/// Instead of walking every run of local-part bytes, the scan visits the places where an `at`
/// separator can begin ([`at_anchors`]): a run can only match if the first byte after it and its
/// spaces is one of them, and each such byte follows at most one run.
///
/// Sets `dotless` when an `at` separator and a provider's name follow a local part with no `dot`
/// separator and label after them: when no match is found, that is exactly when
/// [`dotless_domains`] finds something (every anchor was tried).
pub(super) fn matches<'a>(
    bytes: &'a [u8],
    dotless: &'a Cell<bool>,
) -> impl Iterator<Item = Range<usize>> + 'a {
    let mut anchors = at_anchors(bytes);
    let mut pos = 0;
    std::iter::from_fn(move || {
        let found = anchors.find_map(|q| match_at(bytes, q, pos, dotless))?;
        pos = found.end;
        Some(found)
    })
}

/// The match whose `at` separator has its first non-space byte at `q`, searching from `pos`.
fn match_at(bytes: &[u8], q: usize, pos: usize, dotless: &Cell<bool>) -> Option<Range<usize>> {
    if q < pos {
        return None;
    }
    let run_end = local_run_end(bytes, q, pos)?;
    let end = match_end(bytes, run_end, dotless)?;
    Some(local_start(bytes, run_end, pos, q)..end)
}

/// Where the pattern cannot match because the domain has no `dot`: every local part, `at`
/// separator and provider's name ([`super::is_provider_name`]) not followed by a `dot`
/// separator and another label, as the span
/// from the local part's leftmost start and the label's range (`jane22 at gmail`,
/// `jane@gmail`). The anchors are those of [`at_anchors`], each tried on its own. The caller
/// looks here only when [`matches`] found nothing (about one text in twenty of the synthetic
/// feed), but testing every position there cost more than the anchor search of every text.
#[cold]
#[inline(never)]
pub(super) fn dotless_domains(bytes: &[u8]) -> Vec<(Range<usize>, Range<usize>)> {
    let dotless_at = |q: usize| {
        let run_end = local_run_end(bytes, q, 0)?;
        let (first, end, dots) = domain_after(bytes, run_end)?;
        if dots > 0 || !super::is_provider_name(&bytes[first.clone()]) {
            return None;
        }
        Some((local_start(bytes, run_end, 0, q)..end, first))
    };
    at_anchors(bytes).filter_map(dotless_at).collect()
}

/// In order, every position holding `@`, an opening bracket, or the `a` of an `at` with a space
/// on each side: where the first non-space byte of an `at` separator can be.
///
/// The text goes by 64-byte blocks of positions, each read from the text itself as a window
/// that starts at the byte before the block and ends two bytes after it (a copy would be read
/// back at other offsets than it was written at, which stalls the loads): position 0 (with no
/// byte before it) is tested exactly first, then the blocks from position 1 on. Where the next
/// whole window would run past the end, the last window of the text is read instead, its bits
/// for positions already seen cleared, and the last two positions (an `at` cannot start there)
/// are tested exactly. A text shorter than one window is copied into a zero-padded one. One loop
/// the compiler vectorises flags a superset of the anchors in a block (any byte up to a space
/// counts as a space there), the flags of the few blocks that have any are gathered into bits,
/// and each bit is then tested exactly.
///
/// Always inlined: [`matches`] runs it for every text, and a second caller
/// ([`dotless_domains`]) must not make the compiler call it instead.
#[inline(always)]
pub(super) fn at_anchors(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let len = bytes.len();
    // The next window starts here (it covers positions `next + 1..next + 1 + BLOCK`).
    let mut next = 0;
    // Positions `base + bit` of `pending` are still to be tested.
    let (mut base, mut pending) = (0, 0u64);
    // Position 0, then the blocks, then the positions after the last window.
    let mut tail = 1;
    let mut head = true;
    std::iter::from_fn(move || loop {
        if pending != 0 {
            let q = base + pending.trailing_zeros() as usize;
            pending &= pending - 1;
            if is_anchor(bytes, q) {
                return Some(q);
            }
            continue;
        }
        if head {
            head = false;
            if is_anchor(bytes, 0) {
                return Some(0);
            }
            continue;
        }
        if let Some(window) = bytes
            .get(next..next + WINDOW)
            .and_then(|w| <&[u8; WINDOW]>::try_from(w).ok())
        {
            (base, pending) = (next + 1, anchor_flags(window));
            next += BLOCK;
            tail = next + 1;
            continue;
        }
        if next < len {
            next = len;
            match len.checked_sub(WINDOW) {
                // The last window, without the positions a whole window already covered.
                Some(last) => {
                    if let Some(window) = bytes.last_chunk::<WINDOW>() {
                        let seen = tail - 1 - last;
                        if seen < BLOCK {
                            (base, pending) = (last + 1, anchor_flags(window) & (u64::MAX << seen));
                        }
                    }
                    tail = tail.max(len - 2);
                }
                // A text shorter than a window: positions 1 to 64 are in the block.
                None => {
                    (base, pending) = (1, anchor_flags(&crate::swar::zero_padded(bytes)));
                    tail = BLOCK + 1;
                }
            }
            continue;
        }
        while tail < len {
            tail += 1;
            if is_anchor(bytes, tail - 1) {
                return Some(tail - 1);
            }
        }
        return None;
    })
}

const BLOCK: usize = 64;
/// The byte before a block, the block and the two bytes after it.
const WINDOW: usize = BLOCK + 3;

/// Bit `j` set when byte `j` of the block in `window` may be an anchor (see [`is_anchor`]; any
/// byte up to a space counts as a space here). The flags are one loop the compiler vectorises;
/// only the eight-byte groups holding one are gathered into bits, each by one multiplication
/// (the shifted copies of the flags land in distinct bits of the top byte). Out of line so that
/// it is compiled for a fixed-size window.
#[inline(never)]
fn anchor_flags(window: &[u8; WINDOW]) -> u64 {
    let (Some(before), Some(block), Some(next), Some(after)) = (
        window.first_chunk::<BLOCK>(),
        window[1..].first_chunk::<BLOCK>(),
        window[2..].first_chunk::<BLOCK>(),
        window[3..].first_chunk::<BLOCK>(),
    ) else {
        return u64::MAX;
    };
    let mut flags = [0u8; BLOCK];
    for j in 0..BLOCK {
        let c = block[j];
        let sign = (c == b'@') | ((c | 0x20) == b'{') | (c == b'(') | (c == b'<');
        let at = (before[j] <= b' ')
            & ((c | 0x20) == b'a')
            & ((next[j] | 0x20) == b't')
            & (after[j] <= b' ');
        flags[j] = u8::from(sign | at);
    }
    let mut mask = 0u64;
    for (k, eight) in flags.chunks_exact(8).enumerate() {
        let lanes = crate::swar::word_of(eight);
        if lanes != 0 {
            mask |= crate::swar::gather_flags(lanes) << (8 * k);
        }
    }
    mask
}

/// Whether `q` is one of the positions [`at_anchors`] yields.
pub(super) fn is_anchor(bytes: &[u8], q: usize) -> bool {
    match bytes.get(q).copied().unwrap_or_default() {
        b'@' => true,
        b if is_opening(b) => true,
        b'a' | b'A' => {
            q > 0
                && is_space(bytes[q - 1])
                && bytes
                    .get(q + 1)
                    .is_some_and(|t| t.eq_ignore_ascii_case(&b't'))
                && bytes.get(q + 2).is_some_and(|&b| is_space(b))
        }
        _ => false,
    }
}
