//! Validated values: constructed only by parsing, so a held value is always valid.

use std::fmt;

/// Why a value was refused; says what was wrong without echoing the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must be at least {min} characters")]
    TooShort { min: usize },
    #[error("contains a character that is not allowed")]
    BadCharacter,
}

/// A login name: 3–64 of `[a-z0-9._-]`, lowercase, starting with a letter or digit.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ValueError::Empty);
        }
        if s.chars().count() < 3 {
            return Err(ValueError::TooShort { min: 3 });
        }
        if s.len() > 64 {
            return Err(ValueError::TooLong { max: 64 });
        }
        let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        if !s.chars().all(ok_char) || !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(ValueError::BadCharacter);
        }
        Ok(Self(s.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Human-readable text of bounded length with no control characters except newline and tab
/// (titles, names, notes). Trimmed on parse.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DisplayText(String);

impl DisplayText {
    /// `max` counts characters, not bytes.
    pub fn parse(s: &str, max: usize) -> Result<Self, ValueError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ValueError::Empty);
        }
        if s.chars().count() > max {
            return Err(ValueError::TooLong { max });
        }
        if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(ValueError::BadCharacter);
        }
        Ok(Self(s.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    #[must_use]
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for DisplayText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An agency-scoped case number such as `PHX-2026-0042`: 1–40 of `[A-Za-z0-9-/._]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseNumber(String);

impl CaseNumber {
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ValueError::Empty);
        }
        if s.len() > 40 {
            return Err(ValueError::TooLong { max: 40 });
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-/._".contains(c))
        {
            return Err(ValueError::BadCharacter);
        }
        Ok(Self(s.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(Username::parse("j.rivera").is_ok());
        assert_eq!(Username::parse("  "), Err(ValueError::Empty));
        assert_eq!(Username::parse("ab"), Err(ValueError::TooShort { min: 3 }));
        assert_eq!(Username::parse("J.Rivera"), Err(ValueError::BadCharacter));
        assert_eq!(Username::parse(".hidden"), Err(ValueError::BadCharacter));
    }

    #[test]
    fn display_text_rejects_controls_and_length() {
        assert!(DisplayText::parse("Line one\nline two", 100).is_ok());
        assert_eq!(
            DisplayText::parse("bell\u{7}", 100),
            Err(ValueError::BadCharacter)
        );
        assert_eq!(
            DisplayText::parse("ééé", 2),
            Err(ValueError::TooLong { max: 2 })
        );
    }

    proptest::proptest! {
        #[test]
        fn parsing_is_idempotent(s in "\\PC{0,100}") {
            if let Ok(t) = DisplayText::parse(&s, 200) {
                proptest::prop_assert_eq!(DisplayText::parse(t.as_str(), 200), Ok(t.clone()));
            }
            if let Ok(c) = CaseNumber::parse(&s) {
                proptest::prop_assert_eq!(CaseNumber::parse(c.as_str()), Ok(c.clone()));
            }
        }
    }
}
