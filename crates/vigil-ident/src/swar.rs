//! Eight bytes in one `u64` (SWAR): the word-at-a-time pieces the scanners share — loading a
//! word, the top bit of each byte in a class, gathering eight 0/1 flags into eight bits — and
//! the zero-padded window their block-at-a-time loops read for a text shorter than a block.
//! Safe code without platform intrinsics; the compiler keeps each one a few instructions.

/// One in every byte of a word.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// The top bit of every byte of a word.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// `eight` (exactly eight bytes) as a little-endian word.
#[inline(always)]
pub(crate) fn word_of(eight: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(eight);
    u64::from_le_bytes(bytes)
}

/// Eight bytes from `at` as a little-endian word; `None` past the end.
#[inline(always)]
pub(crate) fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(word_of(bytes.get(at..at.checked_add(8)?)?))
}

/// The top bit of each byte of `word` that is an ASCII digit: XOR `0` maps the digits to
/// 0..=9; with the top bits cleared so nothing carries into the next byte, +0x76 sets a top bit
/// from 10 up; a top bit set in the original means not ASCII.
#[inline(always)]
pub(crate) fn digit_bytes(word: u64) -> u64 {
    let shifted = word ^ (ONES * u64::from(b'0'));
    let ten_or_more = (shifted & !HIGH).wrapping_add(ONES * 0x76);
    !(ten_or_more | shifted) & HIGH
}

/// The top bit of each byte of `word` that is an ASCII lowercase letter: with the top bits
/// cleared, +0x1F sets a top bit from `a` up and +0x05 from past `z` up (no byte carries into
/// the next); a top bit set in the original means not ASCII.
#[inline(always)]
pub(crate) fn lowercase_bytes(word: u64) -> u64 {
    let low = word & !HIGH;
    let from_a = low.wrapping_add(ONES * u64::from(0x80 - b'a'));
    let past_z = low.wrapping_add(ONES * u64::from(0x80 - b'z' - 1));
    from_a & !past_z & !word & HIGH
}

/// Bit `k` set when byte `k` of `flags` (each byte 0 or 1) is 1: one multiplication lands the
/// shifted copies of the flags in distinct bits of the top byte, and no partial products
/// overlap, so nothing carries into it.
#[inline(always)]
pub(crate) fn gather_flags(flags: u64) -> u64 {
    flags.wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// Bit `j` set when `flags[j]` (each 0 or 1) is 1, for 64 flags: [`gather_flags`] eight at a
/// time.
#[inline(always)]
pub(crate) fn mask_of_flags(flags: &[u8; 64]) -> u64 {
    let mut mask = 0u64;
    for (k, eight) in flags.chunks_exact(8).enumerate() {
        mask |= gather_flags(word_of(eight)) << (8 * k);
    }
    mask
}

/// The first `N` bytes of `bytes`, followed by zeros when it is shorter.
#[inline]
pub(crate) fn zero_padded<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut window = [0u8; N];
    for (w, &b) in window.iter_mut().zip(bytes) {
        *w = b;
    }
    window
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_classes_are_exact_for_every_byte_at_every_place() {
        for byte in 0..=255u8 {
            for place in 0..8 {
                for filler in [b' ', b'a', b'z', b'0', b'9', 0x80, 0xff] {
                    let mut lanes = [filler; 8];
                    lanes[place] = byte;
                    let word = u64::from_le_bytes(lanes);
                    let expect = |class: fn(&u8) -> bool| {
                        lanes
                            .iter()
                            .enumerate()
                            .fold(0u64, |m, (k, b)| m | (u64::from(class(b)) << (8 * k + 7)))
                    };
                    assert_eq!(lowercase_bytes(word), expect(u8::is_ascii_lowercase));
                    assert_eq!(digit_bytes(word), expect(u8::is_ascii_digit));
                }
            }
        }
    }

    #[test]
    fn short_texts_are_padded_with_zeros_and_long_ones_cut() {
        assert_eq!(zero_padded::<4>(b"ab"), *b"ab\0\0");
        assert_eq!(zero_padded::<4>(b"abcdef"), *b"abcd");
        assert_eq!(zero_padded::<3>(b""), [0; 3]);
    }

    #[test]
    fn flags_gather_into_their_bits() {
        for bits in 0..=255u8 {
            let lanes: [u8; 8] = std::array::from_fn(|k| (bits >> k) & 1);
            assert_eq!(gather_flags(u64::from_le_bytes(lanes)), u64::from(bits));
        }
        let flags: [u8; 64] = std::array::from_fn(|j| u8::from(j % 3 == 0 || j == 63));
        let expected = (0..64).fold(0u64, |m, j| m | (u64::from(flags[j]) << j));
        assert_eq!(mask_of_flags(&flags), expected);
    }
}
