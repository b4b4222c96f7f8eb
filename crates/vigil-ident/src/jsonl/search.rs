//! Byte searches over JSON text, eight bytes at a time as one word (SWAR: no `unsafe`, no
//! platform code) or sixteen at a time in loops the compiler turns into vector compares.

use crate::swar::{HIGH as HIGHS, ONES};

/// The high bit of each byte of `word` (little-endian) that is `"`, `\` or a control byte, or
/// of a later byte: only the lowest set bit is exact, which is all a search needs.
///
/// A byte below the first special one starts no borrow in any of the three subtractions, and
/// its high bit survives them only when it is ≥ 0x80 (cleared by `!word`); the first special
/// byte itself comes out ≥ 0xE0 with a clear high bit in `word`.
pub(super) fn special_bytes(word: u64) -> u64 {
    let quote = (word ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES);
    let backslash = (word ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
    let control = word.wrapping_sub(ONES * 0x20);
    (quote | backslash | control) & !word & HIGHS
}

/// [`special_bytes`] and also every byte ≥ 0x80 (the lowest set bit stays exact: such a byte
/// flags itself, and the bytes below the first flagged one start no borrow, as there).
pub(super) fn special_or_high_bytes(word: u64) -> u64 {
    let quote = (word ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES);
    let backslash = (word ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
    let control = word.wrapping_sub(ONES * 0x20);
    (quote | backslash | control | word) & HIGHS
}

/// [`special_bytes`] for `"` alone.
fn quote_bytes(word: u64) -> u64 {
    (word ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES) & !word & HIGHS
}

/// The bytes a JSON string cannot hold raw. Without short-circuits, so that it vectorises;
/// the quote and backslash tests as one minimum, which LLVM makes two XORs and a minimum (two
/// equality tests it widens into a slower shuffle).
fn is_special(b: u8) -> bool {
    ((b ^ b'"').min(b ^ b'\\') == 0) | (b < 0x20)
}

/// [`is_special`] or not ASCII (a control byte or one ≥ 0x80 is below 0x20 as a signed byte).
fn is_special_or_high(b: u8) -> bool {
    ((b ^ b'"').min(b ^ b'\\') == 0) | ((b as i8) < 0x20)
}

fn is_quote(b: u8) -> bool {
    b == b'"'
}

/// The index of the first `"`, `\` or control byte (< 0x20) at or after `from`.
#[inline(always)]
pub(super) fn first_special(bytes: &[u8], from: usize) -> Option<usize> {
    find(bytes, from, special_bytes, is_special)
}

/// The index of the first `"`, `\`, control byte or byte ≥ 0x80 at or after `from`.
#[inline(always)]
pub(super) fn first_special_or_high(bytes: &[u8], from: usize) -> Option<usize> {
    find(bytes, from, special_or_high_bytes, is_special_or_high)
}

/// The index of the next `"` at or after `from`.
#[inline(always)]
pub(super) fn next_quote(bytes: &[u8], from: usize) -> Option<usize> {
    find(bytes, from, quote_bytes, is_quote)
}

/// Whether a string needs escaping in JSON. Up to sixteen bytes are gathered into one block
/// of overlapping pieces (a byte may be tested twice, none is missed) and tested by a few
/// vector instructions; longer strings go by sixteen-byte blocks without an early exit, the
/// last one overlapping the one before (no bytewise tail).
#[inline]
pub(super) fn has_special(bytes: &[u8]) -> bool {
    let block_has = |block: &[u8; 16]| block.iter().fold(false, |any, &b| any | is_special(b));
    let mut block = [0u8; 16];
    match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        (Some(first), Some(last)) if bytes.len() <= 16 => {
            block[..8].copy_from_slice(first);
            block[8..].copy_from_slice(last);
        }
        (Some(_), Some(_)) => {
            let mut any = false;
            let mut rest = bytes;
            while let Some((block, after)) = rest.split_first_chunk::<16>() {
                any |= block_has(block);
                rest = after;
            }
            return any | bytes.last_chunk::<16>().is_some_and(block_has);
        }
        _ => match (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
            (Some(first), Some(last)) => {
                block[..4].copy_from_slice(first);
                block[4..8].copy_from_slice(last);
                block[8..12].copy_from_slice(first);
                block[12..].copy_from_slice(last);
            }
            _ => match bytes {
                [] => return false,
                [a, ..] => {
                    let (b, c) = (bytes[bytes.len() / 2], bytes[bytes.len() - 1]);
                    block = [*a, b, c, *a, *a, b, c, *a, *a, b, c, *a, *a, b, c, *a];
                }
            },
        },
    }
    block_has(&block)
}

/// Whether `bytes` holds a `\` or a control byte; without an early exit, so that the compiler
/// makes it a vector loop.
pub(super) fn has_backslash_or_control(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(false, |any, &b| any | (b == b'\\') | (b < 0x20))
}

/// The first byte at or after `from` that `is` accepts; `hits` marks such bytes in a word as
/// [`special_bytes`] does. The first sixteen bytes go by words (keys and most values end
/// there), then 32-byte blocks are tested whole without an early exit (a few vector
/// instructions), the block with the hit is searched by words, and the last partial block is
/// searched as the rest's last sixteen bytes (overlapping bytes already known to hold no hit,
/// so the first hit among them is the first one after).
#[inline(always)]
fn find(
    bytes: &[u8],
    from: usize,
    hits: impl Fn(u64) -> u64,
    is: impl Fn(u8) -> bool,
) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let in_window = |window: &[u8; 16]| in_window(window, &hits);
    let Some((first, after)) = rest.split_first_chunk::<16>() else {
        return short_find(rest, &hits, &is).map(|k| from + k);
    };
    if let Some(k) = in_window(first) {
        return Some(from + k);
    }
    let mut at = from + 16;
    let mut blocks = after.chunks_exact(32);
    for block in blocks.by_ref() {
        if block.iter().fold(false, |any, &b| any | is(b)) {
            let (low, high) = block.split_at(16);
            let low = <&[u8; 16]>::try_from(low).ok()?;
            let high = <&[u8; 16]>::try_from(high).ok()?;
            return in_window(low)
                .or_else(|| in_window(high).map(|k| 16 + k))
                .map(|k| at + k);
        }
        at += 32;
    }
    let after = blocks.remainder();
    // The last up to 31 bytes: a window at their start when there are sixteen or more, then
    // the rest's last sixteen bytes.
    if let Some((window, _)) = after.split_first_chunk::<16>() {
        if let Some(k) = in_window(window) {
            return Some(at + k);
        }
    }
    let last = rest.last_chunk::<16>()?;
    in_window(last).map(|k| from + rest.len() - 16 + k)
}

/// Where the first hit in a sixteen-byte window lies, testing both halves as words.
#[inline(always)]
fn in_window(window: &[u8; 16], hits: &impl Fn(u64) -> u64) -> Option<usize> {
    let first_in = |word: u64| word.trailing_zeros() as usize / 8;
    let both = u128::from_le_bytes(*window);
    let (low, high) = (hits(both as u64), hits((both >> 64) as u64));
    if low != 0 {
        Some(first_in(low))
    } else if high != 0 {
        Some(8 + first_in(high))
    } else {
        None
    }
}

/// [`find`] over fewer than sixteen bytes: a word from the start, a word to the end
/// (overlapping), or bytes one by one when fewer than eight.
#[inline(always)]
fn short_find(rest: &[u8], hits: &impl Fn(u64) -> u64, is: &impl Fn(u8) -> bool) -> Option<usize> {
    let first_in = |word: u64| word.trailing_zeros() as usize / 8;
    match (rest.first_chunk::<8>(), rest.last_chunk::<8>()) {
        (Some(first), Some(last)) => {
            let low = hits(u64::from_le_bytes(*first));
            if low != 0 {
                return Some(first_in(low));
            }
            let high = hits(u64::from_le_bytes(*last));
            (high != 0).then(|| rest.len() - 8 + first_in(high))
        }
        _ => rest.iter().position(|&b| is(b)),
    }
}
