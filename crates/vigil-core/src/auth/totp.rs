//! TOTP second factor (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), with replay protection:
//! a code's time step may be used once (CJIS IA-2(8), ASVS 6.5.1).

use hmac::{Hmac, Mac};
use sha1::Sha1;
use vigil_types::Timestamp;

/// Seconds per time step.
pub const STEP_SECONDS: i64 = 30;
/// Steps accepted either side of now, for clock drift.
pub const WINDOW: i64 = 1;

/// A TOTP secret (20 random bytes, as RFC 4226 recommends).
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret([u8; 20]);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(***)")
    }
}

/// Why a code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    #[error("the code must be 6 digits")]
    Malformed,
    #[error("the code is wrong or expired")]
    Wrong,
    #[error("the code was already used; wait for the next one")]
    Replayed,
}

impl TotpSecret {
    pub fn generate(rng: &mut (impl rand::RngCore + rand::CryptoRng)) -> Self {
        let mut b = [0u8; 20];
        rng.fill_bytes(&mut b);
        Self(b)
    }

    #[must_use]
    pub fn from_bytes(b: [u8; 20]) -> Self {
        Self(b)
    }

    /// The secret as RFC 4648 base32 without padding (what authenticator apps expect).
    #[must_use]
    pub fn to_base32(&self) -> String {
        base32_encode(&self.0)
    }

    /// Parses base32 (case-insensitive, spaces ignored).
    #[must_use]
    pub fn from_base32(s: &str) -> Option<Self> {
        let bytes = base32_decode(s)?;
        <[u8; 20]>::try_from(bytes.as_slice()).ok().map(Self)
    }

    /// `otpauth://` URI for enrolment (QR code or manual entry).
    #[must_use]
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        let enc = |s: &str| -> String {
            s.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect()
        };
        format!(
            "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
            enc(issuer),
            enc(account),
            self.to_base32(),
            enc(issuer)
        )
    }

    /// The code for a given time step.
    #[must_use]
    pub fn code_at_step(&self, step: i64) -> u32 {
        let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(&self.0) else {
            return 0;
        };
        mac.update(&step.to_be_bytes());
        let h = mac.finalize().into_bytes();
        let offset = usize::from(h[19] & 0x0f);
        let bin = (u32::from(h[offset]) & 0x7f) << 24
            | u32::from(h[offset + 1]) << 16
            | u32::from(h[offset + 2]) << 8
            | u32::from(h[offset + 3]);
        bin % 1_000_000
    }

    /// The current code (for tests and the demo's printed instructions).
    #[must_use]
    pub fn code_at(&self, now: Timestamp) -> String {
        format!("{:06}", self.code_at_step(step_of(now)))
    }

    /// Verifies `code` at `now`. `last_used_step` is the step of the last accepted code; a code
    /// from that step or earlier is a replay. On success returns the step to store.
    pub fn verify(
        &self,
        code: &str,
        now: Timestamp,
        last_used_step: Option<i64>,
    ) -> Result<i64, TotpError> {
        let code = code.trim();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TotpError::Malformed);
        }
        let want: u32 = code.parse().map_err(|_| TotpError::Malformed)?;
        let now_step = step_of(now);
        let mut matched = None;
        for step in (now_step - WINDOW)..=(now_step + WINDOW) {
            // Compare every step (no early exit) so timing does not reveal which matched.
            if self.code_at_step(step) == want && matched.is_none() {
                matched = Some(step);
            }
        }
        let step = matched.ok_or(TotpError::Wrong)?;
        if last_used_step.is_some_and(|last| step <= last) {
            return Err(TotpError::Replayed);
        }
        Ok(step)
    }
}

fn step_of(now: Timestamp) -> i64 {
    now.unix_seconds().div_euclid(STEP_SECONDS)
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32_encode(data: &[u8]) -> String {
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for &b in data {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(B32[((buf >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(B32[((buf << (5 - bits)) & 31) as usize]));
    }
    out
}

fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
        let v = B32.iter().position(|&x| x == c.to_ascii_uppercase())?;
        buf = (buf << 5) | u32::try_from(v).ok()?;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buf >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B vectors (SHA-1 secret "12345678901234567890"), last 6 digits.
    #[test]
    fn rfc6238_vectors() {
        let s = TotpSecret::from_bytes(*b"12345678901234567890");
        for (t, code) in [
            (59i64, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(s.code_at(Timestamp::from_unix_micros(t * 1_000_000)), code);
        }
    }

    #[test]
    fn accepts_once_and_refuses_replay() {
        let s = TotpSecret::from_bytes(*b"12345678901234567890");
        let now = Timestamp::from_unix_micros(1_234_567_890_000_000);
        let step = s.verify("005924", now, None).unwrap();
        assert_eq!(
            s.verify("005924", now, Some(step)),
            Err(TotpError::Replayed)
        );
        assert_eq!(s.verify("000000", now, None), Err(TotpError::Wrong));
        assert_eq!(s.verify("12ab56", now, None), Err(TotpError::Malformed));
        // One step of drift is tolerated, two are not.
        let later = now.plus(std::time::Duration::from_secs(30));
        assert!(s.verify("005924", later, None).is_ok());
        let much_later = now.plus(std::time::Duration::from_secs(90));
        assert_eq!(s.verify("005924", much_later, None), Err(TotpError::Wrong));
    }

    #[test]
    fn base32_round_trip_and_uri() {
        let s = TotpSecret::from_bytes(*b"12345678901234567890");
        assert_eq!(s.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(
            TotpSecret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"),
            Some(s.clone())
        );
        assert!(s
            .otpauth_uri("Vigil", "j.rivera@PHX")
            .starts_with("otpauth://totp/Vigil:j.rivera%40PHX?secret=GEZD"));
        assert_eq!(format!("{s:?}"), "TotpSecret(***)");
    }
}
