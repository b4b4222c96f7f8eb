//! Phone numbers (lean E.164 normaliser with a default country) and e-mail addresses.

/// Normalises a phone number to E.164 (`+14805550142`).
///
/// `00` and `+` prefixes are international; a 10-digit number, or 11 digits starting with 1, is
/// NANP when the default country code is 1; otherwise a leading trunk `0` is replaced by the
/// default country code. Returns `None` for fewer than 7 digits or more than 15.
pub fn normalise_phone(raw: &str, default_cc: &str) -> Option<String> {
    let trimmed = raw.trim();
    // Drop extensions.
    let lower = trimmed.to_ascii_lowercase();
    let main = ["ext", " x", "#"]
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
        .map_or(trimmed, |i| &trimmed[..i]);
    let international = main.trim_start().starts_with('+');
    let mut d = crate::text::digits(main);
    if !international && d.starts_with("00") {
        d.drain(..2);
        return finish(d);
    }
    if international {
        return finish(d);
    }
    if default_cc == "1" {
        if d.len() == 10 {
            return finish(format!("1{d}"));
        }
        if d.len() == 11 && d.starts_with('1') {
            return finish(d);
        }
        return None;
    }
    if let Some(rest) = d.strip_prefix('0') {
        return finish(format!("{default_cc}{rest}"));
    }
    finish(format!("{default_cc}{d}"))
}

fn finish(d: String) -> Option<String> {
    (7..=15).contains(&d.len()).then(|| format!("+{d}"))
}

/// Normalises an e-mail address: lower-case, `+tag` removed, dots removed for Gmail, googlemail
/// folded into gmail. Returns `None` without a single `@` and non-empty parts.
pub fn normalise_email(raw: &str) -> Option<String> {
    let s = raw.trim().trim_start_matches("mailto:").to_lowercase();
    let (local, domain) = s.rsplit_once('@')?;
    let local = local.split('+').next().unwrap_or("");
    let domain = domain.trim_end_matches('.');
    if local.is_empty()
        || domain.is_empty()
        || local.contains('@')
        || domain.contains(char::is_whitespace)
    {
        return None;
    }
    let (local, domain) = if domain == "gmail.com" || domain == "googlemail.com" {
        (local.replace('.', ""), "gmail.com")
    } else {
        (local.to_string(), domain)
    };
    if local.is_empty() {
        return None;
    }
    Some(format!("{local}@{domain}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phones() {
        assert_eq!(
            normalise_phone("(480) 555-0142", "1").as_deref(),
            Some("+14805550142")
        );
        assert_eq!(
            normalise_phone("1-212-555-0100 ext 4", "1").as_deref(),
            Some("+12125550100")
        );
        assert_eq!(
            normalise_phone("+44 20 7946 0018", "1").as_deref(),
            Some("+442079460018")
        );
        assert_eq!(
            normalise_phone("0061 2 5550 1234", "1").as_deref(),
            Some("+61255501234")
        );
        assert_eq!(
            normalise_phone("02 5550 1234", "61").as_deref(),
            Some("+61255501234")
        );
        assert_eq!(normalise_phone("555", "1"), None);
    }

    #[test]
    fn emails() {
        assert_eq!(
            normalise_email("J.Doe+ads@GoogleMail.com").as_deref(),
            Some("jdoe@gmail.com")
        );
        assert_eq!(
            normalise_email("a.b+x@example.org").as_deref(),
            Some("a.b@example.org")
        );
        assert_eq!(normalise_email("not an email"), None);
    }

    proptest! {
        #[test]
        fn normalisers_are_idempotent(s in "\\PC{0,30}") {
            if let Some(p) = normalise_phone(&s, "1") {
                prop_assert_eq!(normalise_phone(&p, "1"), Some(p.clone()));
            }
            if let Some(e) = normalise_email(&s) {
                prop_assert_eq!(normalise_email(&e), Some(e.clone()));
            }
        }
    }
}
