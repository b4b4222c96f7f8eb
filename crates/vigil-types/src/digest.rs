//! `Sha256Digest`: a SHA-256 value (evidence and blob identity), parsed from and shown as
//! lowercase hex. Computing digests is the blob store's business; this is only the value.

use std::fmt;

/// A malformed digest: not 64 hexadecimal characters. Never echoes the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a SHA-256 digest is 64 hexadecimal characters")]
pub struct DigestError;

/// 32 bytes of SHA-256 output.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256Digest([u8; 32]);

impl Sha256Digest {
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Parses 64 hex characters (either case); the canonical form is lowercase.
    pub fn parse(s: &str) -> Result<Self, DigestError> {
        let b = s.as_bytes();
        if b.len() != 64 {
            return Err(DigestError);
        }
        let mut out = [0u8; 32];
        for (i, pair) in b.chunks_exact(2).enumerate() {
            let (Some(hi), Some(lo)) = (
                pair.first().and_then(|c| nibble(*c)),
                pair.get(1).and_then(|c| nibble(*c)),
            ) else {
                return Err(DigestError);
            };
            if let Some(slot) = out.get_mut(i) {
                *slot = (hi << 4) | lo;
            }
        }
        Ok(Self(out))
    }

    /// Lowercase hex, 64 characters.
    #[must_use]
    pub fn to_hex(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(64);
        for b in self.0 {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        s
    }
}

const fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Digest({})", self.to_hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_refusals() {
        let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let d = Sha256Digest::parse(hex).unwrap();
        assert_eq!(d.to_hex(), hex);
        assert_eq!(Sha256Digest::parse(&hex.to_uppercase()), Ok(d));
        assert_eq!(Sha256Digest::parse(&hex[1..]), Err(DigestError));
        assert_eq!(
            Sha256Digest::parse(&hex.replace('e', "g")),
            Err(DigestError)
        );
        assert_eq!(Sha256Digest::parse(""), Err(DigestError));
    }

    proptest::proptest! {
        #[test]
        fn bytes_round_trip(bytes in proptest::array::uniform32(0u8..)) {
            let d = Sha256Digest::from_bytes(bytes);
            proptest::prop_assert_eq!(Sha256Digest::parse(&d.to_hex()), Ok(d));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,80}") {
            let _ = Sha256Digest::parse(&s);
        }
    }
}
