//! Anonymous tips without identifying the tipster (T1, T2): stateless signed tokens (a
//! proof-of-work challenge for API clients, a delayed single-use form token for the no-JavaScript
//! page) and receipt codes made of a public lookup id and a secret stored only as an Argon2id
//! hash. Pure: the caller passes the key, the time and the random source.

use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::{Digest, Sha256};
use vigil_types::Timestamp;

type HmacSha256 = Hmac<Sha256>;

/// The server's key for signing challenges and form tokens. Never logged.
#[derive(Clone)]
pub struct TokenKey([u8; 32]);

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(***)")
    }
}

impl TokenKey {
    pub fn generate(rng: &mut (impl rand::RngCore + rand::CryptoRng)) -> Self {
        let mut k = [0u8; 32];
        rng.fill_bytes(&mut k);
        Self(k)
    }

    #[must_use]
    pub const fn from_bytes(k: [u8; 32]) -> Self {
        Self(k)
    }

    fn mac(&self, data: &[u8]) -> [u8; 32] {
        // HMAC accepts keys of any length, so this never fails.
        let mut m = <HmacSha256 as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        m.update(data);
        m.finalize().into_bytes().into()
    }
}

/// What a signed token is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A proof-of-work challenge (API clients): the submission carries a nonce.
    Challenge,
    /// A form token embedded in the no-JavaScript page: valid only after a short delay.
    Form,
}

impl TokenKind {
    const fn tag(self) -> &'static str {
        match self {
            Self::Challenge => "pw1",
            Self::Form => "fm1",
        }
    }
}

/// Longest token or nonce accepted (anything longer is malformed, before any hashing).
pub const MAX_TOKEN_CHARS: usize = 200;
pub const MAX_NONCE_CHARS: usize = 64;

/// Why a token was refused. Messages are safe to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("malformed token")]
    Malformed,
    #[error("token of the wrong kind for this submission")]
    WrongKind,
    #[error("token signature does not verify")]
    BadSignature,
    #[error("token is not valid yet; wait a few seconds and submit again")]
    NotYetValid,
    #[error("token has expired; fetch a new one")]
    Expired,
    #[error("challenge difficulty is below the server's current minimum; fetch a new one")]
    TooEasy,
    #[error("nonce does not solve the challenge")]
    WorkMissing,
}

/// A signed token's facts after verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub expires_at: Timestamp,
    pub bits: u8,
    /// SHA-256 of the token (hex): what is stored to refuse a second use, never the token.
    pub digest: String,
}

/// Issues a token: `tag.not_before.expires.bits.random.mac` (times in UTC microseconds, random
/// 128 bits, MAC = HMAC-SHA-256 truncated to 128 bits, all hex).
pub fn issue(
    key: &TokenKey,
    kind: TokenKind,
    not_before: Timestamp,
    expires_at: Timestamp,
    bits: u8,
    rng: &mut (impl rand::RngCore + rand::CryptoRng),
) -> String {
    let mut r = [0u8; 16];
    rng.fill_bytes(&mut r);
    let body = format!(
        "{}.{}.{}.{bits}.{}",
        kind.tag(),
        not_before.unix_micros(),
        expires_at.unix_micros(),
        hex::encode(r)
    );
    let mac = key.mac(body.as_bytes());
    format!("{body}.{}", hex::encode(&mac[..16]))
}

/// Verifies a token's form, kind, signature and validity window at `now`; for challenges also
/// that the difficulty is at least `min_bits`. Does not check single use (the store does).
pub fn verify(
    key: &TokenKey,
    kind: TokenKind,
    token: &str,
    now: Timestamp,
    min_bits: u8,
) -> Result<Verified, TokenError> {
    if token.len() > MAX_TOKEN_CHARS || !token.is_ascii() {
        return Err(TokenError::Malformed);
    }
    let parts: Vec<&str> = token.split('.').collect();
    let [tag, nb, exp, bits, rand_hex, mac_hex] = parts.as_slice() else {
        return Err(TokenError::Malformed);
    };
    let parse_t = |s: &str| {
        s.parse::<i64>()
            .map(Timestamp::from_unix_micros)
            .map_err(|_| TokenError::Malformed)
    };
    let not_before = parse_t(nb)?;
    let expires_at = parse_t(exp)?;
    let bits: u8 = bits.parse().map_err(|_| TokenError::Malformed)?;
    if rand_hex.len() != 32 || mac_hex.len() != 32 {
        return Err(TokenError::Malformed);
    }
    let mac = hex::decode(mac_hex).map_err(|_| TokenError::Malformed)?;
    if *tag != kind.tag() {
        return if *tag == TokenKind::Challenge.tag() || *tag == TokenKind::Form.tag() {
            Err(TokenError::WrongKind)
        } else {
            Err(TokenError::Malformed)
        };
    }
    let signed = &token[..token.len() - mac_hex.len() - 1];
    let want = key.mac(signed.as_bytes());
    if !constant_time_eq(&want[..16], &mac) {
        return Err(TokenError::BadSignature);
    }
    if now < not_before {
        return Err(TokenError::NotYetValid);
    }
    if now >= expires_at {
        return Err(TokenError::Expired);
    }
    if kind == TokenKind::Challenge && bits < min_bits {
        return Err(TokenError::TooEasy);
    }
    Ok(Verified {
        expires_at,
        bits,
        digest: hex::encode(Sha256::digest(token.as_bytes())),
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Leading zero bits of a digest.
#[must_use]
pub fn leading_zero_bits(d: &[u8]) -> u32 {
    let mut n = 0;
    for b in d {
        if *b == 0 {
            n += 8;
        } else {
            return n + b.leading_zeros();
        }
    }
    n
}

/// Whether SHA-256(challenge ‖ nonce) has at least `bits` leading zero bits. A nonce is 1–64
/// printable ASCII characters.
#[must_use]
pub fn check_work(challenge: &str, nonce: &str, bits: u8) -> bool {
    if nonce.is_empty()
        || nonce.len() > MAX_NONCE_CHARS
        || !nonce.bytes().all(|b| b.is_ascii_graphic())
    {
        return false;
    }
    let mut h = Sha256::new();
    h.update(challenge.as_bytes());
    h.update(nonce.as_bytes());
    leading_zero_bits(&h.finalize()) >= u32::from(bits)
}

/// Finds a nonce (decimal counter) for `challenge` at `bits`; what a client does. Expected
/// 2^bits hashes.
#[must_use]
pub fn solve(challenge: &str, bits: u8) -> String {
    let mut i: u64 = 0;
    loop {
        let nonce = i.to_string();
        if check_work(challenge, &nonce, bits) {
            return nonce;
        }
        i += 1;
    }
}

/// Crockford's base32 alphabet: no I, L, O, U (human-typable, no accidental words).
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of the public lookup id (45 bits) and the secret (80 bits).
pub const LOOKUP_CHARS: usize = 9;
pub const SECRET_CHARS: usize = 16;
// The secret carries at least 80 bits (5 bits per character), checked at compile time.
const _: () = assert!(SECRET_CHARS * 5 >= 80);

/// A tipster's receipt code: shown once as five groups of five characters. The first nine
/// characters find the tip; the last sixteen are the secret, stored only as an Argon2id hash.
pub struct ReceiptCode {
    lookup: String,
    secret: String,
}

impl std::fmt::Debug for ReceiptCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReceiptCode(***)")
    }
}

impl ReceiptCode {
    pub fn generate(rng: &mut (impl rand::RngCore + rand::CryptoRng)) -> Self {
        let mut pick = |n: usize| -> String {
            (0..n)
                .map(|_| char::from(CROCKFORD[rng.gen_range(0..CROCKFORD.len())]))
                .collect()
        };
        Self {
            lookup: pick(LOOKUP_CHARS),
            secret: pick(SECRET_CHARS),
        }
    }

    /// Parses what a person typed: case-insensitive, hyphens and spaces ignored, and Crockford's
    /// look-alikes accepted (O → 0, I and L → 1).
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        if input.len() > 80 {
            return Err(CodeError);
        }
        let mut s = String::with_capacity(LOOKUP_CHARS + SECRET_CHARS);
        for c in input.chars() {
            let c = match c.to_ascii_uppercase() {
                '-' | ' ' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c if c.is_ascii() && CROCKFORD.contains(&(c as u8)) => c,
                _ => return Err(CodeError),
            };
            s.push(c);
        }
        if s.len() != LOOKUP_CHARS + SECRET_CHARS {
            return Err(CodeError);
        }
        let secret = s.split_off(LOOKUP_CHARS);
        Ok(Self { lookup: s, secret })
    }

    /// The public half, used to find the row.
    #[must_use]
    pub fn lookup(&self) -> &str {
        &self.lookup
    }

    /// The secret half, to hash or verify. Never store or log it.
    #[must_use]
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// The code as shown to the tipster once: `XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`.
    #[must_use]
    pub fn expose(&self) -> String {
        let all: Vec<char> = self.lookup.chars().chain(self.secret.chars()).collect();
        all.chunks(5)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
    }
}

/// A receipt code that cannot be one (wrong length or characters). Says nothing more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a receipt code: expected 25 characters from 0-9 and A-Z (without I, L, O, U)")]
pub struct CodeError;

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn t(s: u64) -> Timestamp {
        Timestamp::from_unix_micros(1_770_000_000_000_000).plus(Duration::from_secs(s))
    }

    #[test]
    fn challenge_round_trip_and_refusals() {
        let key = TokenKey::generate(&mut rand::rngs::OsRng);
        let other = TokenKey::generate(&mut rand::rngs::OsRng);
        let c = issue(
            &key,
            TokenKind::Challenge,
            t(0),
            t(600),
            8,
            &mut rand::rngs::OsRng,
        );
        let v = verify(&key, TokenKind::Challenge, &c, t(1), 8).unwrap();
        assert_eq!(v.bits, 8);
        assert_eq!(v.expires_at, t(600));
        assert_eq!(
            verify(&key, TokenKind::Challenge, &c, t(600), 8),
            Err(TokenError::Expired)
        );
        assert_eq!(
            verify(&key, TokenKind::Challenge, &c, t(1), 9),
            Err(TokenError::TooEasy)
        );
        assert_eq!(
            verify(&other, TokenKind::Challenge, &c, t(1), 8),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            verify(&key, TokenKind::Form, &c, t(1), 8),
            Err(TokenError::WrongKind)
        );
        // Raising the difficulty in the token breaks the signature.
        let forged = c.replacen(".8.", ".2.", 1);
        assert_eq!(
            verify(&key, TokenKind::Challenge, &forged, t(1), 1),
            Err(TokenError::BadSignature)
        );
        let nonce = solve(&c, 8);
        assert!(check_work(&c, &nonce, 8));
        assert!(!check_work(&c, "", 0));
        assert!(!check_work(&c, &"9".repeat(65), 0));
    }

    #[test]
    fn form_token_waits_then_expires() {
        let key = TokenKey::generate(&mut rand::rngs::OsRng);
        let f = issue(
            &key,
            TokenKind::Form,
            t(3),
            t(3600),
            0,
            &mut rand::rngs::OsRng,
        );
        assert_eq!(
            verify(&key, TokenKind::Form, &f, t(2), 0),
            Err(TokenError::NotYetValid)
        );
        assert!(verify(&key, TokenKind::Form, &f, t(3), 0).is_ok());
        assert_eq!(
            verify(&key, TokenKind::Form, &f, t(3600), 0),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn leading_zeros() {
        assert_eq!(leading_zero_bits(&[0, 0x10, 0xff]), 11);
        assert_eq!(leading_zero_bits(&[0xff]), 0);
        assert_eq!(leading_zero_bits(&[0, 0]), 16);
    }

    #[test]
    fn receipt_codes_are_long_grouped_and_forgiving() {
        let c = ReceiptCode::generate(&mut rand::rngs::OsRng);
        let shown = c.expose();
        assert_eq!(shown.len(), 29);
        assert_eq!(shown.matches('-').count(), 4);
        let typed = shown.to_lowercase().replace('-', " ");
        let back = ReceiptCode::parse(&typed).unwrap();
        assert_eq!(back.lookup(), c.lookup());
        assert_eq!(back.secret(), c.secret());
        assert_eq!(ReceiptCode::parse("o0iIl").err(), Some(CodeError));
        let look_alike = ReceiptCode::parse("OOOOO-IIIII-LLLLL-00000-11111").unwrap();
        assert_eq!(look_alike.lookup(), "000001111");
        assert!(ReceiptCode::parse("UUUUU-00000-00000-00000-00000").is_err());
        assert_eq!(format!("{c:?}"), "ReceiptCode(***)");
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC{0,120}") {
            let key = TokenKey::from_bytes([7; 32]);
            let _ = verify(&key, TokenKind::Challenge, &s, t(0), 0);
            let _ = verify(&key, TokenKind::Form, &s, t(0), 0);
            let _ = ReceiptCode::parse(&s);
            let _ = check_work(&s, &s, 4);
        }

        #[test]
        fn exposed_codes_parse_back(seed in 0u64..u64::MAX) {
            use rand::SeedableRng;
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let c = ReceiptCode::generate(&mut rng);
            let back = ReceiptCode::parse(&c.expose()).unwrap();
            proptest::prop_assert_eq!(back.expose(), c.expose());
        }
    }
}
