//! Weight sets: versioned TOML data naming each indicator, its detector, weight, evidence status,
//! source and rationale. The default set is embedded; users can supply their own.

use serde::{Deserialize, Serialize};

/// The embedded default weight set.
pub const DEFAULT_WEIGHTS_TOML: &str = include_str!("../../data/indicators-v1.toml");

/// How an indicator is detected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Detector {
    /// Phrases matched per token, leftmost-longest.
    Lexicon,
    /// A phone number written in an obscured form (from identifier extraction).
    ObfuscatedPhone,
    /// A stated age below `age_below`.
    StatedAgeBelow,
}

/// What the evidence says about an indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    Predictive,
    Inverse,
    NotPredictive,
    NotSignificant,
    Untested,
    Descriptive,
    Linkage,
    Unverified,
}

/// One indicator of a weight set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub detector: Detector,
    pub weight: f64,
    pub evidence: Evidence,
    pub source: String,
    pub rationale: String,
    /// Any hit routes the ad to priority human review.
    #[serde(default)]
    pub urgent_review: bool,
    #[serde(default)]
    pub phrases: Vec<String>,
    /// For `stated_age_below`.
    #[serde(default)]
    pub age_below: Option<u8>,
}

/// When an ad goes to priority human review whatever its score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrgentRule {
    /// A stated age below this (a possible minor).
    pub stated_age_below: u8,
    /// The youth-language indicator id.
    #[serde(default)]
    pub youth_indicator: Option<String>,
    /// A youth-language hit together with a stated age below this.
    #[serde(default)]
    pub youth_with_stated_age_below: Option<u8>,
}

/// A complete, versioned weight set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightSet {
    pub id: String,
    pub version: String,
    pub author: String,
    pub date: String,
    pub rationale: String,
    pub urgent_review: UrgentRule,
    #[serde(rename = "indicator")]
    pub indicators: Vec<Indicator>,
}

/// Why a weight set was rejected.
#[derive(Debug, thiserror::Error)]
pub enum WeightsError {
    /// Not valid TOML of the expected shape.
    #[error("weight set is not valid: {0}")]
    Toml(#[from] toml::de::Error),
    /// An indicator is inconsistent.
    #[error("indicator {indicator:?}: {reason}")]
    Invalid { indicator: String, reason: String },
}

impl WeightSet {
    /// The embedded default.
    pub fn default_set() -> Result<Self, WeightsError> {
        Self::from_toml(DEFAULT_WEIGHTS_TOML)
    }

    /// Parses and validates a weight set.
    pub fn from_toml(text: &str) -> Result<Self, WeightsError> {
        let set: WeightSet = toml::from_str(text)?;
        set.validate()?;
        Ok(set)
    }

    fn validate(&self) -> Result<(), WeightsError> {
        let mut seen = std::collections::BTreeSet::new();
        for ind in &self.indicators {
            let invalid = |reason: &str| WeightsError::Invalid {
                indicator: ind.id.clone(),
                reason: reason.into(),
            };
            if ind.id.trim().is_empty() {
                return Err(invalid("empty id"));
            }
            if !seen.insert(ind.id.as_str()) {
                return Err(invalid("duplicate id"));
            }
            if !ind.weight.is_finite() {
                return Err(invalid("weight must be a finite number"));
            }
            match ind.detector {
                Detector::Lexicon if ind.phrases.is_empty() => {
                    return Err(invalid("lexicon without phrases"))
                }
                Detector::Lexicon => {
                    if let Some(p) = ind
                        .phrases
                        .iter()
                        .find(|p| super::lexicon::tokens(p).is_empty())
                    {
                        return Err(invalid(&format!("phrase {p:?} has no tokens")));
                    }
                }
                Detector::StatedAgeBelow if ind.age_below.is_none() => {
                    return Err(invalid("stated_age_below needs age_below"))
                }
                _ => {}
            }
        }
        if let Some(y) = &self.urgent_review.youth_indicator {
            if !seen.contains(y.as_str()) {
                return Err(WeightsError::Invalid {
                    indicator: y.clone(),
                    reason: "urgent_review.youth_indicator names no indicator".into(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_set_parses_and_weights_only_the_predictors() {
        let set = WeightSet::default_set().unwrap();
        assert_eq!(
            (set.id.as_str(), set.version.as_str()),
            ("vigil-default-indicators", "1")
        );
        for ind in &set.indicators {
            assert_eq!(
                ind.weight > 0.0,
                ind.evidence == Evidence::Predictive,
                "{}",
                ind.id
            );
        }
        let weighted: Vec<&str> = set
            .indicators
            .iter()
            .filter(|i| i.weight > 0.0)
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(weighted, ["A1", "A2", "A3", "A4"]);
        let movement = set.indicators.iter().find(|i| i.id == "A5").unwrap();
        assert_eq!(
            (movement.weight, movement.evidence),
            (0.0, Evidence::Inverse)
        );
    }

    #[test]
    fn invalid_sets_name_the_indicator() {
        let base = DEFAULT_WEIGHTS_TOML;
        let dup = format!("{base}\n[[indicator]]\nid = \"A1\"\nname = \"x\"\ndetector = \"obfuscated_phone\"\nweight = 1.0\nevidence = \"untested\"\nsource = \"s\"\nrationale = \"r\"\n");
        let err = WeightSet::from_toml(&dup).unwrap_err().to_string();
        assert!(err.contains("\"A1\"") && err.contains("duplicate"), "{err}");
        let unknown = base.replace("detector = \"obfuscated_phone\"", "detector = \"magic\"");
        assert!(matches!(
            WeightSet::from_toml(&unknown),
            Err(WeightsError::Toml(_))
        ));
    }
}
