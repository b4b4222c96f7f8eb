//! Indicator screening (T3): versioned questionnaires written as TOML data, and the scoring rule
//! that turns answers into a recommendation with its reasons. A result is never a verdict: it
//! says "indicators present — recommend follow-up" (and in which domains), or that no indicators
//! were reported in the answers given.

use std::collections::BTreeMap;

/// The default questionnaires shipped with Vigil, as (file name, TOML text).
pub const BUILTIN: &[(&str, &str)] = &[(
    "screening-v1.toml",
    include_str!("../data/screening-v1.toml"),
)];

/// The domains the default questionnaire must cover (those of published validated tools).
pub const CORE_DOMAINS: &[&str] = &[
    "control",
    "work",
    "living",
    "documents",
    "debt",
    "movement",
    "age",
];

string_enum!(
    /// One answer to one question.
    Answer, "answer" {
        Yes = "yes",
        No = "no",
        Unsure = "unsure",
        /// The person chose not to answer; never counts as a concern.
        Declined = "declined",
    }
);

/// A question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    pub text: String,
    /// The answer that raises concern (`Yes` or `No`).
    pub concern_if: Answer,
}

/// A domain (control, work, …) and its questions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    pub id: String,
    pub title: String,
    pub questions: Vec<Question>,
}

/// A versioned questionnaire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Questionnaire {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub language: String,
    pub intro: String,
    pub domains: Vec<Domain>,
}

/// A questionnaire file or a set of answers that is not acceptable. Names ids (ours or
/// truncated), never answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScreeningError {
    #[error("questionnaire file: {0}")]
    Format(String),
    #[error("questionnaire: {0}")]
    Invalid(String),
    #[error("answers: no question `{0}` in this questionnaire")]
    UnknownQuestion(String),
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestionnaire {
    id: String,
    version: u32,
    title: String,
    language: String,
    #[serde(default)]
    intro: String,
    domains: Vec<RawDomain>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    id: String,
    title: String,
    questions: Vec<RawQuestion>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    text: String,
    concern_if: String,
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Parses and checks a questionnaire: identifiers are `[a-z0-9_-]`, question ids are unique,
/// every domain has questions, `concern_if` is `yes` or `no`.
pub fn parse(text: &str) -> Result<Questionnaire, ScreeningError> {
    let raw: RawQuestionnaire =
        toml::from_str(text).map_err(|e| ScreeningError::Format(e.message().to_owned()))?;
    let invalid = |m: String| Err(ScreeningError::Invalid(m));
    if !is_ident(&raw.id) {
        return invalid("`id` must be 1–64 of a-z, 0-9, _ and -".into());
    }
    if raw.version == 0 {
        return invalid("`version` starts at 1".into());
    }
    if raw.domains.is_empty() {
        return invalid("needs at least one domain".into());
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut domains = Vec::with_capacity(raw.domains.len());
    for d in raw.domains {
        if !is_ident(&d.id) || !seen.insert(format!("domain:{}", d.id)) {
            return invalid(format!(
                "domain ids must be unique identifiers (`{}`)",
                d.id.chars().take(40).collect::<String>()
            ));
        }
        if d.questions.is_empty() {
            return invalid(format!("domain `{}` has no questions", d.id));
        }
        let mut questions = Vec::with_capacity(d.questions.len());
        for q in d.questions {
            if !is_ident(&q.id) || !seen.insert(q.id.clone()) {
                return invalid(format!(
                    "question ids must be unique identifiers (`{}`)",
                    q.id.chars().take(40).collect::<String>()
                ));
            }
            let concern_if = match Answer::parse(&q.concern_if) {
                Ok(a @ (Answer::Yes | Answer::No)) => a,
                _ => return invalid(format!("question `{}`: concern_if is yes or no", q.id)),
            };
            if q.text.trim().is_empty() {
                return invalid(format!("question `{}` has no text", q.id));
            }
            questions.push(Question {
                id: q.id,
                text: q.text.trim().to_owned(),
                concern_if,
            });
        }
        domains.push(Domain {
            id: d.id,
            title: d.title,
            questions,
        });
    }
    Ok(Questionnaire {
        id: raw.id,
        version: raw.version,
        title: raw.title,
        language: raw.language,
        intro: raw.intro.trim().to_owned(),
        domains,
    })
}

/// The questionnaires shipped with Vigil.
pub fn builtin() -> Result<Vec<Questionnaire>, ScreeningError> {
    BUILTIN.iter().map(|(_, text)| parse(text)).collect()
}

string_enum!(
    /// What a screening recommends. There is deliberately no "victim"/"not a victim" value.
    Recommendation, "recommendation" {
        /// Indicators present — recommend follow-up with a trained advocate.
        FollowUp = "follow_up_recommended",
        /// No indicators reported in the answers given (not a finding; re-screen as trust grows).
        NoIndicatorsReported = "no_indicators_reported",
    }
);

impl Recommendation {
    /// The sentence shown with the result.
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::FollowUp => "Indicators present — recommend follow-up with a trained advocate. This is not a determination about the person.",
            Self::NoIndicatorsReported => "No indicators reported in the answers given. This is not a determination; screen again if circumstances change or trust grows.",
        }
    }
}

/// A domain that raised concern, and the questions that did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Concern {
    pub domain: String,
    pub questions: Vec<String>,
}

/// The result of scoring one set of answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub recommendation: Recommendation,
    /// Domains that raised concern, in questionnaire order.
    pub concerns: Vec<Concern>,
    pub answered: usize,
    pub unanswered: usize,
}

impl Questionnaire {
    /// Scores answers: a question raises concern when answered with its `concern_if` value or
    /// "unsure"; any concern recommends follow-up. Unknown question ids are refused; missing
    /// ones count as unanswered.
    pub fn score(&self, answers: &BTreeMap<String, Answer>) -> Result<Outcome, ScreeningError> {
        if let Some(unknown) = answers.keys().find(|k| {
            !self
                .domains
                .iter()
                .flat_map(|d| &d.questions)
                .any(|q| &q.id == *k)
        }) {
            return Err(ScreeningError::UnknownQuestion(
                unknown.chars().take(40).collect(),
            ));
        }
        let mut concerns = Vec::new();
        let (mut answered, mut unanswered) = (0, 0);
        for d in &self.domains {
            let mut hit = Vec::new();
            for q in &d.questions {
                match answers.get(&q.id) {
                    None => unanswered += 1,
                    Some(a) => {
                        answered += 1;
                        if *a == q.concern_if || *a == Answer::Unsure {
                            hit.push(q.id.clone());
                        }
                    }
                }
            }
            if !hit.is_empty() {
                concerns.push(Concern {
                    domain: d.id.clone(),
                    questions: hit,
                });
            }
        }
        let recommendation = if concerns.is_empty() {
            Recommendation::NoIndicatorsReported
        } else {
            Recommendation::FollowUp
        };
        Ok(Outcome {
            recommendation,
            concerns,
            answered,
            unanswered,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_q() -> Questionnaire {
        builtin().unwrap().remove(0)
    }

    #[test]
    fn default_questionnaire_covers_the_core_domains() {
        let q = default_q();
        assert_eq!((q.id.as_str(), q.version), ("vigil-default", 1));
        for d in CORE_DOMAINS {
            assert!(q.domains.iter().any(|x| x.id == *d), "missing domain {d}");
        }
        // Trauma-informed wording: no labels in the questions themselves.
        for qu in q.domains.iter().flat_map(|d| &d.questions) {
            let t = qu.text.to_lowercase();
            for word in ["victim", "trafficked", "prostitut", "illegal"] {
                assert!(!t.contains(word), "{} uses `{word}`", qu.id);
            }
        }
    }

    #[test]
    fn scoring_names_the_domains_and_never_gives_a_verdict() {
        let q = default_q();
        let mut a = BTreeMap::new();
        a.insert("documents_held".to_owned(), Answer::Yes);
        a.insert("debt_owed".to_owned(), Answer::Unsure);
        a.insert("control_leave".to_owned(), Answer::Yes);
        a.insert("age_under18".to_owned(), Answer::Declined);
        let o = q.score(&a).unwrap();
        assert_eq!(o.recommendation, Recommendation::FollowUp);
        let domains: Vec<&str> = o.concerns.iter().map(|c| c.domain.as_str()).collect();
        assert_eq!(domains, ["documents", "debt"]);
        assert_eq!(o.answered, 4);
        for r in Recommendation::ALL {
            let m = r.message().to_lowercase();
            assert!(m.contains("not a determination"), "{m}");
        }
        let none = q.score(&BTreeMap::new()).unwrap();
        assert_eq!(none.recommendation, Recommendation::NoIndicatorsReported);
        assert!(matches!(
            q.score(&[("nope".to_owned(), Answer::Yes)].into_iter().collect()),
            Err(ScreeningError::UnknownQuestion(_))
        ));
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        assert!(matches!(parse("id = "), Err(ScreeningError::Format(_))));
        let dup = r#"id = "x"
version = 1
title = "t"
language = "en"
[[domains]]
id = "a"
title = "A"
[[domains.questions]]
id = "q"
text = "?"
concern_if = "yes"
[[domains.questions]]
id = "q"
text = "?"
concern_if = "yes"
"#;
        assert!(matches!(parse(dup), Err(ScreeningError::Invalid(_))));
        let bad_concern = dup.replacen("concern_if = \"yes\"", "concern_if = \"maybe\"", 1);
        assert!(matches!(
            parse(&bad_concern),
            Err(ScreeningError::Invalid(_))
        ));
        let unknown_field = dup.replacen("title = \"t\"", "title = \"t\"\nverdict = true", 1);
        assert!(matches!(
            parse(&unknown_field),
            Err(ScreeningError::Format(_))
        ));
    }

    proptest::proptest! {
        /// Scoring never panics; follow-up is recommended exactly when some domain raised
        /// concern; adding a concerning answer never removes a domain of concern.
        #[test]
        fn scoring_is_consistent_and_monotonic(picks in proptest::collection::vec((0usize..64, 0usize..4), 0..30), extra in 0usize..64) {
            let q = default_q();
            let ids: Vec<&Question> = q.domains.iter().flat_map(|d| &d.questions).collect();
            let mut answers = BTreeMap::new();
            for (i, a) in picks {
                answers.insert(ids[i % ids.len()].id.clone(), Answer::ALL[a]);
            }
            let o = q.score(&answers).unwrap();
            proptest::prop_assert_eq!(o.recommendation == Recommendation::FollowUp, !o.concerns.is_empty());
            proptest::prop_assert_eq!(o.answered + o.unanswered, ids.len());
            let extra_q = ids[extra % ids.len()];
            answers.insert(extra_q.id.clone(), extra_q.concern_if);
            let more = q.score(&answers).unwrap();
            for c in &o.concerns {
                if c.questions.iter().any(|x| x != &extra_q.id) {
                    proptest::prop_assert!(more.concerns.iter().any(|m| m.domain == c.domain));
                }
            }
            proptest::prop_assert!(more.concerns.iter().any(|m| m.questions.contains(&extra_q.id)));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,200}") {
            let _ = parse(&s);
        }
    }
}
