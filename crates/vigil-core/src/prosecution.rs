//! Prosecution tracking (C6): statute citations, charge dispositions and court events.
//!
//! Citations are validated lightly: a task force works under federal, state and tribal codes
//! whose formats differ, so any citation that names a code and a section number in plain
//! characters is accepted. Federal `U.S.C.` citations are written one way
//! (`18 U.S.C. § 1591`) so they can be counted, and the trafficking sections of chapter 77 are
//! recognised.

/// The most counts one charge line may carry.
pub const MAX_COUNTS: i64 = 999;
/// The longest citation accepted.
pub const MAX_CITATION: usize = 80;

/// Title 18 sections of chapter 77 (peonage, slavery and trafficking in persons) that charge
/// trafficking itself.
const FEDERAL_TRAFFICKING: &[&str] = &[
    "1581", "1583", "1584", "1589", "1590", "1591", "1592", "1593A", "1594",
];

/// A citation that is not usable, and what to do about it. Never echoes the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StatuteError {
    #[error("is empty")]
    Empty,
    #[error("is longer than {MAX_CITATION} characters")]
    TooLong,
    #[error("may hold letters, digits, spaces and . § ( ) - : / , ' only")]
    BadCharacter,
    #[error("names no section number; write it like `18 U.S.C. § 1591` or `A.R.S. § 13-1307`")]
    NoSection,
    #[error("names no code; write it like `18 U.S.C. § 1591` or `A.R.S. § 13-1307`")]
    NoCode,
    #[error("has unbalanced parentheses")]
    Parentheses,
    #[error("is a U.S. Code citation without a section; write it like `18 U.S.C. § 1591`")]
    FederalWithoutSection,
}

/// A checked statute citation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statute {
    /// The citation as stored and shown (whitespace collapsed; U.S. Code citations normalised).
    pub citation: String,
    /// The U.S. Code title, for federal citations.
    pub federal_title: Option<u32>,
    /// A federal trafficking section (18 U.S.C. chapter 77).
    pub known_trafficking: bool,
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            ' ' | '.' | '§' | '(' | ')' | '-' | ':' | '/' | ',' | '\''
        )
}

impl Statute {
    pub fn parse(raw: &str) -> Result<Self, StatuteError> {
        let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.is_empty() {
            return Err(StatuteError::Empty);
        }
        if s.chars().count() > MAX_CITATION {
            return Err(StatuteError::TooLong);
        }
        if !s.chars().all(allowed) {
            return Err(StatuteError::BadCharacter);
        }
        let mut depth = 0i32;
        for c in s.chars() {
            depth += match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            if depth < 0 {
                return Err(StatuteError::Parentheses);
            }
        }
        if depth != 0 {
            return Err(StatuteError::Parentheses);
        }
        if !s.chars().any(|c| c.is_ascii_digit()) {
            return Err(StatuteError::NoSection);
        }
        if !s.chars().any(|c| c.is_ascii_alphabetic() || c == '§') {
            return Err(StatuteError::NoCode);
        }
        if let Some((title, section)) = federal(&s)? {
            let head: String = section
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            return Ok(Self {
                citation: format!("{title} U.S.C. § {section}"),
                federal_title: Some(title),
                known_trafficking: title == 18 && FEDERAL_TRAFFICKING.contains(&head.as_str()),
            });
        }
        Ok(Self {
            citation: s,
            federal_title: None,
            known_trafficking: false,
        })
    }
}

/// Recognises `<title> U.S.C. [§|§§|sec.|section] <section>` in its common spellings.
fn federal(s: &str) -> Result<Option<(u32, String)>, StatuteError> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    let Ok(title) = digits.parse::<u32>() else {
        return Ok(None);
    };
    let rest = s.get(digits.len()..).unwrap_or("");
    // Collect the next three letters, skipping dots and spaces.
    let mut letters = String::new();
    let mut used = 0;
    for (i, c) in rest.char_indices() {
        if c == '.' || c == ' ' {
            used = i + c.len_utf8();
            continue;
        }
        if c.is_ascii_alphabetic() && letters.len() < 3 {
            letters.push(c.to_ascii_uppercase());
            used = i + c.len_utf8();
            continue;
        }
        break;
    }
    if letters != "USC" {
        return Ok(None);
    }
    let mut section = rest
        .get(used..)
        .unwrap_or("")
        .trim_start_matches(['.', ' ']);
    let lower = section.to_ascii_lowercase();
    for prefix in ["§§", "§", "sections", "section", "secs", "sec"] {
        if lower.starts_with(prefix) {
            section = section
                .get(prefix.len()..)
                .unwrap_or("")
                .trim_start_matches(['.', ' ']);
            break;
        }
    }
    if !section.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(StatuteError::FederalWithoutSection);
    }
    Ok(Some((title, section.to_owned())))
}

string_enum!(
    /// How a charge ended. `pending` until decided; the others are final.
    Disposition, "disposition" {
        Pending = "pending",
        Convicted = "convicted",
        Plea = "plea",
        Dismissed = "dismissed",
        Acquitted = "acquitted",
    }
);

impl Disposition {
    /// A pending charge may be decided once; a decided charge does not change (a wrong entry is
    /// corrected by a note and a new charge line, keeping the record of what was entered).
    #[must_use]
    pub fn may_become(self, next: Disposition) -> bool {
        self == Self::Pending && next != Self::Pending
    }

    /// Whether a sentence may be recorded with this disposition.
    #[must_use]
    pub const fn may_carry_sentence(self) -> bool {
        matches!(self, Self::Convicted | Self::Plea)
    }
}

string_enum!(
    /// A kind of court event.
    CourtEventKind, "court event kind" {
        InitialAppearance = "initial_appearance",
        Arraignment = "arraignment",
        Hearing = "hearing",
        Motion = "motion",
        PleaHearing = "plea_hearing",
        Trial = "trial",
        Verdict = "verdict",
        Sentencing = "sentencing",
        Appeal = "appeal",
        Other = "other",
    }
);

/// Checks a count of a charge line.
pub fn check_counts(n: i64) -> Result<i64, String> {
    if (1..=MAX_COUNTS).contains(&n) {
        Ok(n)
    } else {
        Err(format!("must be between 1 and {MAX_COUNTS}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(raw: &str, want: &str, trafficking: bool) {
        let s = Statute::parse(raw).unwrap();
        assert_eq!(s.citation, want);
        assert_eq!(s.known_trafficking, trafficking, "{raw}");
    }

    #[test]
    fn federal_spellings_are_normalised() {
        check("18 U.S.C. § 1591", "18 U.S.C. § 1591", true);
        check("18 USC 1591(a)(1)", "18 U.S.C. § 1591(a)(1)", true);
        check("18 u.s.c. sec. 1589", "18 U.S.C. § 1589", true);
        check("22 U.S.C. Section 7102", "22 U.S.C. § 7102", false);
        check("18  U. S. C.  §§ 1594(c)", "18 U.S.C. § 1594(c)", true);
        check("18 U.S.C. § 1593A", "18 U.S.C. § 1593A", true);
        check("18 U.S.C. § 2422(b)", "18 U.S.C. § 2422(b)", false);
        check("8 U.S.C. § 1324", "8 U.S.C. § 1324", false);
    }

    #[test]
    fn state_and_other_codes_pass_as_written() {
        check("A.R.S. § 13-1307", "A.R.S. § 13-1307", false);
        check("Cal. Penal Code § 236.1", "Cal. Penal Code § 236.1", false);
        check("RCW 9A.40.100", "RCW 9A.40.100", false);
        check("Tex. Penal Code 20A.02", "Tex. Penal Code 20A.02", false);
    }

    #[test]
    fn unusable_citations_say_why() {
        assert_eq!(Statute::parse("   "), Err(StatuteError::Empty));
        assert_eq!(Statute::parse("trafficking"), Err(StatuteError::NoSection));
        assert_eq!(Statute::parse("1591"), Err(StatuteError::NoCode));
        assert_eq!(
            Statute::parse("18 U.S.C."),
            Err(StatuteError::FederalWithoutSection)
        );
        assert_eq!(
            Statute::parse("18 USC § (a)"),
            Err(StatuteError::FederalWithoutSection)
        );
        assert_eq!(
            Statute::parse("A.R.S. <script>13"),
            Err(StatuteError::BadCharacter)
        );
        assert_eq!(
            Statute::parse("18 U.S.C. § 1591(a"),
            Err(StatuteError::Parentheses)
        );
        assert_eq!(
            Statute::parse(&"A 1 ".repeat(30)),
            Err(StatuteError::TooLong)
        );
        assert!(StatuteError::NoSection
            .to_string()
            .contains("18 U.S.C. § 1591"));
    }

    #[test]
    fn dispositions_are_decided_once() {
        use Disposition::*;
        assert!(Pending.may_become(Plea));
        assert!(Pending.may_become(Acquitted));
        assert!(!Pending.may_become(Pending));
        assert!(!Convicted.may_become(Acquitted));
        assert!(!Dismissed.may_become(Pending));
        assert!(Convicted.may_carry_sentence());
        assert!(!Dismissed.may_carry_sentence());
    }

    #[test]
    fn counts() {
        assert_eq!(check_counts(1), Ok(1));
        assert!(check_counts(0).is_err());
        assert!(check_counts(-3).is_err());
        assert!(check_counts(MAX_COUNTS + 1).is_err());
    }

    proptest::proptest! {
        /// Parsing never panics, and parsing a parsed citation changes nothing.
        #[test]
        fn parse_is_total_and_idempotent(s in "\\PC{0,100}") {
            if let Ok(a) = Statute::parse(&s) {
                let b = Statute::parse(&a.citation);
                proptest::prop_assert_eq!(b, Ok(a));
            }
        }

        #[test]
        fn federal_citations_round_trip(title in 1u32..60, section in 1u32..9999, sub in proptest::option::of("[a-z]")) {
            let tail = sub.map(|s| format!("({s})")).unwrap_or_default();
            let raw = format!("{title} USC {section}{tail}");
            let s = Statute::parse(&raw).unwrap();
            proptest::prop_assert_eq!(s.citation, format!("{title} U.S.C. § {section}{tail}"));
            proptest::prop_assert_eq!(s.federal_title, Some(title));
        }
    }
}
