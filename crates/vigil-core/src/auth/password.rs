//! Password policy and Argon2id hashing. No composition rules, no truncation, no hints
//! (CJIS IA-5(1), ASVS 6.2); a shipped list of common passwords is refused.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Minimum length in characters. CJIS asks for at least 8; ASVS recommends 15; we take 12.
pub const MIN_CHARS: usize = 12;
/// Maximum length in characters (ASVS asks that at least 64 be allowed).
pub const MAX_CHARS: usize = 256;

/// Argon2id parameters: OWASP's recommended 19 MiB, 2 passes, 1 lane.
pub const ARGON2_M_KIB: u32 = 19 * 1024;
pub const ARGON2_T: u32 = 2;
pub const ARGON2_P: u32 = 1;

/// Common passwords refused outright (a short offline list; deployments can extend it).
const COMMON: &[&str] = &[
    "password1234",
    "123456789012",
    "qwertyuiopas",
    "passwordpassword",
    "letmein12345",
    "iloveyou1234",
    "administrator",
    "welcome12345",
    "changeme1234",
    "password123!",
    "trustno1trustno1",
    "qwerty123456",
    "1q2w3e4r5t6y",
    "abc123abc123",
    "football1234",
    "monkey123456",
    "dragon123456",
    "superman1234",
    "sunshine1234",
    "princess1234",
];

/// Why a password was refused; shown to the user (ASVS 6.2.x: say why).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRejection {
    #[error("password must be at least {MIN_CHARS} characters")]
    TooShort,
    #[error("password must be at most {MAX_CHARS} characters")]
    TooLong,
    #[error("password is on the list of commonly used passwords")]
    Common,
    #[error("password must not contain the username")]
    ContainsUsername,
}

/// Checks a new password against the policy.
pub fn check_policy(password: &str, username: &str) -> Result<(), PasswordRejection> {
    let n = password.chars().count();
    if n < MIN_CHARS {
        return Err(PasswordRejection::TooShort);
    }
    if n > MAX_CHARS {
        return Err(PasswordRejection::TooLong);
    }
    let lower = password.to_lowercase();
    if COMMON.contains(&lower.as_str()) {
        return Err(PasswordRejection::Common);
    }
    if username.len() >= 3 && lower.contains(&username.to_lowercase()) {
        return Err(PasswordRejection::ContainsUsername);
    }
    Ok(())
}

/// A random initial password for a new account: 24 characters from an unambiguous alphabet in
/// groups of six (about 118 bits), shown once to whoever creates the account.
pub fn generate_initial(rng: &mut (impl rand::RngCore + rand::CryptoRng)) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let chars: Vec<char> = (0..24)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    chars
        .chunks(6)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Hashing failed (a bug or resource exhaustion, never the user's fault).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed")]
pub struct HashError;

fn argon2() -> Result<Argon2<'static>, HashError> {
    let params = Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None).map_err(|_| HashError)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes with Argon2id and a 128-bit random salt; returns the PHC string.
pub fn hash(
    password: &str,
    rng: &mut (impl rand::RngCore + rand::CryptoRng),
) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    rng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|_| HashError)?;
    Ok(argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|_| HashError)?
        .to_string())
}

/// Verifies a password against a stored PHC string (constant-time comparison inside argon2).
#[must_use]
pub fn verify(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    argon2().is_ok_and(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A PHC string for a password nobody knows, used to keep timing equal for unknown usernames.
#[must_use]
pub fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$1SEdk2uAFcwlEFkgVfuBpLU6n8wXyUGJrdGeNkfI/Rw"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_passphrase_works_and_last_char_matters() {
        let mut rng = rand::rngs::OsRng;
        let pass: String = "correct horse battery staple ".repeat(7); // 203 chars
        assert!(check_policy(&pass, "j.rivera").is_ok());
        let phc = hash(&pass, &mut rng).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(&pass, &phc));
        let mut wrong = pass.clone();
        wrong.pop();
        wrong.push('!');
        assert!(!verify(&wrong, &phc));
        assert!(!verify(&pass, "not a phc string"));
        assert!(!verify(&pass, dummy_hash()));
    }

    #[test]
    fn initial_passwords_pass_the_policy_and_differ() {
        let mut rng = rand::rngs::OsRng;
        let a = generate_initial(&mut rng);
        assert_eq!(a.len(), 27);
        assert!(check_policy(&a, "someone").is_ok());
        assert_ne!(a, generate_initial(&mut rng));
    }

    #[test]
    fn policy_says_why() {
        assert_eq!(check_policy("short", "u"), Err(PasswordRejection::TooShort));
        assert_eq!(
            check_policy("Password1234", "u"),
            Err(PasswordRejection::Common)
        );
        assert_eq!(
            check_policy("my name is jrivera ok", "jrivera"),
            Err(PasswordRejection::ContainsUsername)
        );
        assert_eq!(
            check_policy(&"x".repeat(257), "u"),
            Err(PasswordRejection::TooLong)
        );
    }
}
