//! Triage priority rules (T4) as data. Each rule names the terms that fire it, the priority it
//! sets and the form of trafficking it points to; `assess` returns the highest priority and every
//! rule that fired, with the reason, so a supervisor sees why an item is at the top of the queue.
//! Rules flag items for human review; they never decide anything.

use crate::model::TraffickingType;

string_enum!(
    /// How soon an intake item needs a person.
    Priority, "priority" {
        Routine = "routine",
        High = "high",
        Urgent = "urgent",
    }
);

impl Priority {
    /// Sort key: higher is more urgent.
    #[must_use]
    pub const fn rank(self) -> i64 {
        match self {
            Self::Routine => 1,
            Self::High => 2,
            Self::Urgent => 3,
        }
    }
}

string_enum!(
    /// Where an intake item came from.
    IntakeKind, "intake kind" {
        /// An anonymous public tip.
        Tip = "tip",
        /// A referral entered by staff (from an NGO, a hotline, another agency).
        Referral = "referral",
    }
);

string_enum!(
    /// An intake item's state: open in the queue, merged into a case, or closed with a reason.
    IntakeState, "intake state" {
        Open = "open",
        Merged = "merged",
        Closed = "closed",
    }
);

string_enum!(
    /// Who wrote a message on an intake item.
    MessageAuthor, "message author" {
        Tipster = "tipster",
        Staff = "staff",
    }
);

/// One triage rule.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// Stable id, shown with every priority it sets and stored in audit details.
    pub id: &'static str,
    pub priority: Priority,
    /// The form of trafficking the rule points to, if any.
    pub indicates: Option<TraffickingType>,
    /// Lower-case terms matched on word boundaries.
    pub terms: &'static [&'static str],
}

/// The default rule set. Terms follow the screening domains of published indicator lists
/// (imminent danger, age, control and movement, labour and commercial-sex contexts).
pub const RULES: &[Rule] = &[
    Rule {
        id: "imminent_danger",
        priority: Priority::Urgent,
        indicates: None,
        terms: &[
            "right now",
            "tonight",
            "locked in",
            "locked up",
            "can't leave",
            "cannot leave",
            "not allowed to leave",
            "gun",
            "weapon",
            "knife",
            "beaten",
            "beating",
            "threatened to kill",
            "kill her",
            "kill him",
            "kill them",
            "being moved",
            "moving them",
            "help me",
            "emergency",
            "held against",
            "hurt her",
            "hurt him",
            "overdose",
        ],
    },
    Rule {
        id: "possible_minor",
        priority: Priority::High,
        indicates: None,
        terms: &[
            "minor",
            "minors",
            "underage",
            "under age",
            "under 18",
            "child",
            "children",
            "kid",
            "kids",
            "teen",
            "teens",
            "teenager",
            "teenage",
            "high school",
            "middle school",
            "schoolgirl",
            "runaway",
            "foster",
        ],
    },
    Rule {
        id: "labour_indicators",
        priority: Priority::Routine,
        indicates: Some(TraffickingType::Labour),
        terms: &[
            "passport",
            "passports",
            "debt",
            "wages",
            "unpaid",
            "not paid",
            "no pay",
            "farm",
            "factory",
            "construction",
            "restaurant",
            "kitchen",
            "nail salon",
            "domestic",
            "housekeeper",
            "nanny",
            "recruiter",
            "work visa",
            "visa",
            "confiscated",
            "deducted",
            "sleep at the",
            "live at the",
            "fields",
            "harvest",
        ],
    },
    Rule {
        id: "sex_indicators",
        priority: Priority::Routine,
        indicates: Some(TraffickingType::Sex),
        terms: &[
            "massage",
            "escort",
            "escorts",
            "commercial sex",
            "pimp",
            "quota",
            "motel",
            "hotel",
            "johns",
            "dates",
            "brothel",
            "strip club",
            "ads online",
            "posted online",
            "webcam",
            "sex",
        ],
    },
];

/// The rule id that fires on a stated age under 18 (from identifier extraction).
pub const STATED_MINOR_AGE: &str = "stated_age_under_18";

/// A rule that fired, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fired {
    pub rule: &'static str,
    pub priority: Priority,
    /// Human-readable reason naming the rule's term (never the surrounding text).
    pub because: String,
}

/// The assessment of one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    pub priority: Priority,
    pub indicates: TraffickingType,
    pub fired: Vec<Fired>,
}

impl Assessment {
    /// The fired rule ids, comma-separated (safe for audit details: codes only).
    #[must_use]
    pub fn rule_ids(&self) -> String {
        self.fired
            .iter()
            .map(|f| f.rule)
            .collect::<Vec<_>>()
            .join(",")
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Whether `term` occurs in `hay` (both lower case) with non-alphanumeric characters around it.
fn contains_word(hay: &str, term: &str) -> bool {
    let h = hay.as_bytes();
    let mut from = 0;
    while let Some(pos) = hay.get(from..).and_then(|s| s.find(term)) {
        let start = from + pos;
        let end = start + term.len();
        let before_ok = start == 0 || !is_word(h[start - 1]);
        let after_ok = end >= h.len() || !is_word(h[end]);
        if before_ok && after_ok {
            return true;
        }
        from = start + 1;
        while from < hay.len() && !hay.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// Assesses an item's text with `rules`; `stated_ages` are the ages extraction found (any under
/// 18 fires the stated-minor rule at `High`). At least `Routine`; linear in rules × text.
#[must_use]
pub fn assess_with(rules: &[Rule], text: &str, stated_ages: &[u8]) -> Assessment {
    let hay = text.to_lowercase().replace(['\u{2019}', '\u{2018}'], "'");
    let mut fired = Vec::new();
    for rule in rules {
        if let Some(term) = rule.terms.iter().find(|t| contains_word(&hay, t)) {
            fired.push(Fired {
                rule: rule.id,
                priority: rule.priority,
                because: format!("mentions \"{term}\""),
            });
        }
    }
    if let Some(age) = stated_ages.iter().copied().filter(|a| *a < 18).min() {
        fired.push(Fired {
            rule: STATED_MINOR_AGE,
            priority: Priority::High,
            because: format!("states an age under 18 ({age})"),
        });
    }
    let priority = fired
        .iter()
        .map(|f| f.priority)
        .max()
        .unwrap_or(Priority::Routine);
    let labour = rules.iter().any(|r| {
        r.indicates == Some(TraffickingType::Labour) && fired.iter().any(|f| f.rule == r.id)
    });
    let sex = rules
        .iter()
        .any(|r| r.indicates == Some(TraffickingType::Sex) && fired.iter().any(|f| f.rule == r.id));
    let indicates = match (labour, sex) {
        (true, true) => TraffickingType::Both,
        (true, false) => TraffickingType::Labour,
        (false, true) => TraffickingType::Sex,
        (false, false) => TraffickingType::Unknown,
    };
    Assessment {
        priority,
        indicates,
        fired,
    }
}

/// [`assess_with`] the default [`RULES`].
#[must_use]
pub fn assess(text: &str, stated_ages: &[u8]) -> Assessment {
    assess_with(RULES, text, stated_ages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danger_outranks_minor_outranks_routine_and_explains() {
        let a = assess(
            "They keep a 15 year old girl locked in the back room.",
            &[15],
        );
        assert_eq!(a.priority, Priority::Urgent);
        let ids: Vec<&str> = a.fired.iter().map(|f| f.rule).collect();
        assert_eq!(ids, ["imminent_danger", STATED_MINOR_AGE]);
        assert_eq!(a.fired[0].because, "mentions \"locked in\"");
        assert_eq!(a.rule_ids(), "imminent_danger,stated_age_under_18");

        let b = assess("Workers at the farm had their passports taken.", &[]);
        assert_eq!(b.priority, Priority::Routine);
        assert_eq!(b.indicates, TraffickingType::Labour);
        let c = assess(
            "Escort ads posted online; a teen answers the phone at the motel.",
            &[],
        );
        assert_eq!(c.priority, Priority::High);
        assert_eq!(c.indicates, TraffickingType::Sex);
        let d = assess(
            "The nail salon staff sleep at the salon and also do massage",
            &[],
        );
        assert_eq!(d.indicates, TraffickingType::Both);
        let none = assess("Something feels off at the house on our street.", &[30]);
        assert_eq!((none.priority, none.fired.len()), (Priority::Routine, 0));
    }

    #[test]
    fn terms_match_whole_words_only() {
        assert!(contains_word("a gun.", "gun"));
        assert!(!contains_word("begun", "gun"));
        assert!(!contains_word("gunther", "gun"));
        assert!(contains_word("can't leave", "can't leave"));
        assert!(contains_word("é gun é", "gun"));
        assert!(!contains_word("", "gun"));
    }

    proptest::proptest! {
        /// Adding text never lowers the priority, and the priority is the maximum over what fired.
        #[test]
        fn more_text_never_lowers_priority(a in "\\PC{0,200}", b in "\\PC{0,200}", age in 0u8..40) {
            let one = assess(&a, &[]);
            let both = assess(&format!("{a}\n{b}"), &[age]);
            proptest::prop_assert!(both.priority >= one.priority);
            let max = both.fired.iter().map(|f| f.priority).max().unwrap_or(Priority::Routine);
            proptest::prop_assert_eq!(max, both.priority);
        }
    }
}
