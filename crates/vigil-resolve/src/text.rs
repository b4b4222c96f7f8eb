//! Unicode folding and transliteration of free text to lower-case ASCII keys.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds `s` to a lower-case ASCII key: NFKD, combining marks dropped, common Latin ligatures and
/// Cyrillic/Greek letters transliterated, every other non-alphanumeric character turned into a
/// single space, and surrounding spaces trimmed. Idempotent.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        let lower = c.to_lowercase();
        for c in lower {
            if is_combining_mark(c) {
                continue;
            }
            if c.is_ascii_alphanumeric() {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            } else if c == '\'' || c == '\u{2019}' || c == '`' {
                // Apostrophes join: O'Brien -> obrien.
            } else if let Some(t) = transliterate(c) {
                if t.is_empty() {
                    // Hard and soft signs have no spelling of their own.
                    continue;
                }
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push_str(t);
            } else {
                pending_space = true;
            }
        }
    }
    out
}

/// Tokens of the folded key.
pub fn tokens(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(' ').filter(|t| !t.is_empty())
}

/// ASCII spelling of one non-ASCII lower-case letter, if known.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        // Cyrillic (BGN/PCGN-like, simplified).
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        'і' => "i",
        'ї' => "yi",
        'є' => "ye",
        'ґ' => "g",
        // Greek.
        'α' => "a",
        'β' => "v",
        'γ' => "g",
        'δ' => "d",
        'ε' => "e",
        'ζ' => "z",
        'η' => "i",
        'θ' => "th",
        'ι' => "i",
        'κ' => "k",
        'λ' => "l",
        'μ' => "m",
        'ν' => "n",
        'ξ' => "x",
        'ο' => "o",
        'π' => "p",
        'ρ' => "r",
        'σ' | 'ς' => "s",
        'τ' => "t",
        'υ' => "y",
        'φ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        'ω' => "o",
        _ => return None,
    })
}

/// Keeps only ASCII digits.
pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_accents_case_and_punctuation() {
        assert_eq!(fold("  José-María  O'Brien "), "jose maria obrien");
        assert_eq!(fold("Müller"), "muller");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Дмитрий"), "dmitrii");
        assert_eq!(fold("ﬁona"), "fiona");
        assert_eq!(fold("0 ъ"), "0");
    }

    proptest! {
        #[test]
        fn fold_is_idempotent_and_ascii(s in "\\PC{0,60}") {
            let once = fold(&s);
            prop_assert!(once.is_ascii());
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
        }
    }
}
