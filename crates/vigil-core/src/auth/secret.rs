//! Bearer secrets (session tokens, API tokens, CSRF tokens): 256 bits from a CSPRNG, stored only
//! as SHA-256 digests (ASVS 7.2.3).

use sha2::{Digest, Sha256};

/// A freshly minted secret, as sent to the client once. Never logged.
pub struct BearerSecret(String);

impl std::fmt::Debug for BearerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerSecret(***)")
    }
}

impl BearerSecret {
    /// 32 random bytes, hex-encoded, with a short prefix that says what the secret is for.
    pub fn generate(prefix: &str, rng: &mut (impl rand::RngCore + rand::CryptoRng)) -> Self {
        let mut b = [0u8; 32];
        rng.fill_bytes(&mut b);
        Self(format!("{prefix}_{}", hex::encode(b)))
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The digest to store and look up by.
    #[must_use]
    pub fn digest(&self) -> String {
        digest(&self.0)
    }
}

/// SHA-256 hex digest of a presented secret.
#[must_use]
pub fn digest(presented: &str) -> String {
    hex::encode(Sha256::digest(presented.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unique_prefixed_and_hidden() {
        let mut rng = rand::rngs::OsRng;
        let a = BearerSecret::generate("vs", &mut rng);
        let b = BearerSecret::generate("vs", &mut rng);
        assert_ne!(a.expose(), b.expose());
        assert!(a.expose().starts_with("vs_") && a.expose().len() == 67);
        assert_eq!(a.digest(), digest(a.expose()));
        assert_eq!(format!("{a:?}"), "BearerSecret(***)");
    }
}
