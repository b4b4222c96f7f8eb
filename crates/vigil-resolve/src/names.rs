//! Person-name normalisation: folding, titles and suffixes, name order, nickname classes.

use crate::text::{fold, tokens};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

const NICKNAMES: &str = include_str!("../data/nicknames.txt");
const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "rev", "mx"];
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"];

/// A normalised person name: lower-case ASCII given-name tokens and surname tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonName {
    pub given: String,
    pub surname: String,
}

/// Folds one name part and drops titles and generational suffixes.
pub fn normalise_part(raw: &str) -> String {
    let f = fold(raw);
    let kept: Vec<&str> = tokens(&f)
        .filter(|t| !TITLES.contains(t) && !SUFFIXES.contains(t))
        .collect();
    kept.join(" ")
}

/// Splits a full name: "Surname, Given" when a comma is present, otherwise the last token is the
/// surname and the others the given names.
pub fn split_full_name(raw: &str) -> PersonName {
    if let Some((sur, given)) = raw.split_once(',') {
        return PersonName {
            given: normalise_part(given),
            surname: normalise_part(sur),
        };
    }
    let n = normalise_part(raw);
    match n.rsplit_once(' ') {
        Some((given, sur)) => PersonName {
            given: given.to_string(),
            surname: sur.to_string(),
        },
        None => PersonName {
            given: String::new(),
            surname: n,
        },
    }
}

fn nickname_table() -> &'static FxHashMap<&'static str, Vec<u16>> {
    static TABLE: OnceLock<FxHashMap<&'static str, Vec<u16>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map: FxHashMap<&'static str, Vec<u16>> = FxHashMap::default();
        let classes = NICKNAMES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        for (class, line) in classes.enumerate() {
            let class = u16::try_from(class).unwrap_or(u16::MAX);
            for name in line.split_whitespace() {
                let e = map.entry(name).or_default();
                if !e.contains(&class) {
                    e.push(class);
                }
            }
        }
        map
    })
}

/// True when the first tokens of two given names belong to one nickname class (e.g. bill ~ william).
pub fn nickname_equivalent(a: &str, b: &str) -> bool {
    let a = a.split(' ').next().unwrap_or("");
    let b = b.split(' ').next().unwrap_or("");
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let t = nickname_table();
    match (t.get(a), t.get(b)) {
        (Some(x), Some(y)) => x.iter().any(|c| y.contains(c)),
        _ => false,
    }
}

/// The canonical name of the first nickname class `name` belongs to (for blocking keys).
pub fn canonical_given(name: &str) -> &str {
    let first = name.split(' ').next().unwrap_or("");
    let t = nickname_table();
    if let Some(classes) = t.get(first) {
        if let Some(&c) = classes.first() {
            if let Some(line) = NICKNAMES
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .nth(usize::from(c))
            {
                return line.split_whitespace().next().unwrap_or(first);
            }
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nicknames_and_order() {
        assert!(nickname_equivalent("bill", "william"));
        assert!(nickname_equivalent("katya", "catherine"));
        assert!(!nickname_equivalent("bill", "robert"));
        assert_eq!(canonical_given("bobby"), "robert");
        let n = split_full_name("Smith, Dr. John Jr.");
        assert_eq!((n.given.as_str(), n.surname.as_str()), ("john", "smith"));
        let n = split_full_name("María  de la Cruz");
        assert_eq!(n.surname, "cruz");
    }

    proptest! {
        #[test]
        fn normalise_part_is_idempotent(s in "\\PC{0,40}") {
            let once = normalise_part(&s);
            prop_assert_eq!(normalise_part(&once), once.clone());
        }
        #[test]
        fn nickname_equivalence_is_symmetric(a in "[a-z]{0,8}", b in "(bill|william|kate|bob|robert|[a-z]{0,6})") {
            prop_assert_eq!(nickname_equivalent(&a, &b), nickname_equivalent(&b, &a));
        }
    }
}
