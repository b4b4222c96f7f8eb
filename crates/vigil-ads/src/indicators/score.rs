//! Scoring one ad against a weight set, with every contribution and its evidence spelled out.

use super::lexicon::{tokens, Lexicon};
use super::weights::{Detector, Evidence, Indicator, WeightSet};
use crate::features::{AdFeatures, Field, SelectorKind, Span};
use serde::Serialize;

/// One place an indicator matched.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// Where, when known.
    pub span: Option<Span>,
    /// The matched text as written in the ad.
    pub matched: String,
}

/// One indicator that hit, with its weight (counted once per ad) and the evidence behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contribution {
    pub indicator: String,
    pub name: String,
    pub weight: f64,
    pub evidence: Evidence,
    pub source: String,
    pub hits: Vec<Hit>,
}

/// The weight set a score was computed with.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WeightSetRef {
    pub id: String,
    pub version: String,
}

/// An ad's score and its full explanation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    pub ad_id: String,
    /// The sum of `contributions[].weight`, in order.
    pub score: f64,
    pub weight_set: WeightSetRef,
    /// Indicators with a non-zero weight that hit.
    pub contributions: Vec<Contribution>,
    /// Indicators with weight 0 that hit: reported as context, never scored.
    pub context: Vec<Contribution>,
    /// Route to priority human review whatever the score (possible minor).
    pub urgent_review: bool,
    pub urgent_reasons: Vec<String>,
    pub statement: &'static str,
}

/// A weight set compiled for matching.
struct Compiled<'a> {
    set: &'a WeightSet,
    lexicon: Lexicon,
}

impl<'a> Compiled<'a> {
    fn new(set: &'a WeightSet) -> Self {
        let mut lexicon = Lexicon::default();
        for (i, ind) in set.indicators.iter().enumerate() {
            if ind.detector == Detector::Lexicon {
                for p in &ind.phrases {
                    lexicon.insert(p, i as u16);
                }
            }
        }
        Self { set, lexicon }
    }
}

/// Scores many ads with one compiled weight set.
pub struct Scorer<'a>(Compiled<'a>);

impl<'a> Scorer<'a> {
    /// Compiles `set`'s lexicons once.
    pub fn new(set: &'a WeightSet) -> Self {
        Self(Compiled::new(set))
    }

    /// Scores one ad.
    pub fn score(&self, ad: &AdFeatures) -> Score {
        let set = self.0.set;
        let mut hits: Vec<Vec<Hit>> = vec![Vec::new(); set.indicators.len()];
        for field in [Field::Title, Field::Text] {
            let text = ad.field(field);
            let toks = tokens(text);
            for (a, b, labels) in self.0.lexicon.find(&toks) {
                let (start, end) = (toks[a].start, toks[b - 1].end);
                for &l in labels {
                    hits[l as usize].push(Hit {
                        span: Some(Span { field, start, end }),
                        matched: text[start..end].to_string(),
                    });
                }
            }
        }
        for (i, ind) in set.indicators.iter().enumerate() {
            match ind.detector {
                Detector::Lexicon => {}
                Detector::ObfuscatedPhone => hits[i].extend(obfuscated_phone_hits(ad)),
                Detector::StatedAgeBelow => hits[i].extend(age_hits(ad, ind)),
            }
        }
        let (mut contributions, mut context) = (Vec::new(), Vec::new());
        let mut urgent_reasons = Vec::new();
        for (ind, hits) in set.indicators.iter().zip(hits) {
            if hits.is_empty() {
                continue;
            }
            if ind.urgent_review {
                urgent_reasons.push(format!("{} {}: {:?}", ind.id, ind.name, hits[0].matched));
            }
            let c = Contribution {
                indicator: ind.id.clone(),
                name: ind.name.clone(),
                weight: ind.weight,
                evidence: ind.evidence,
                source: ind.source.clone(),
                hits,
            };
            if ind.weight == 0.0 {
                context.push(c);
            } else {
                contributions.push(c);
            }
        }
        let rule = &set.urgent_review;
        if let Some(a) = ad
            .stated_ages
            .iter()
            .find(|a| a.age < rule.stated_age_below)
        {
            urgent_reasons.push(format!(
                "stated age {} is below {}",
                a.age, rule.stated_age_below
            ));
        }
        if let (Some(youth), Some(below)) =
            (&rule.youth_indicator, rule.youth_with_stated_age_below)
        {
            let youth_hit = contributions
                .iter()
                .chain(&context)
                .any(|c| &c.indicator == youth);
            if let Some(a) = ad
                .stated_ages
                .iter()
                .find(|a| a.age >= rule.stated_age_below && a.age < below)
            {
                if youth_hit {
                    urgent_reasons.push(format!(
                        "youth language ({youth}) with stated age {} below {below}",
                        a.age
                    ));
                }
            }
        }
        let score = contributions.iter().map(|c| c.weight).sum();
        Score {
            ad_id: ad.id.clone(),
            score,
            weight_set: WeightSetRef {
                id: set.id.clone(),
                version: set.version.clone(),
            },
            contributions,
            context,
            urgent_review: !urgent_reasons.is_empty(),
            urgent_reasons,
            statement: crate::LEAD_NOT_EVIDENCE,
        }
    }
}

/// Scores one ad (compiles the weight set each call; use [`Scorer`] for many ads).
pub fn score(ad: &AdFeatures, set: &WeightSet) -> Score {
    Scorer::new(set).score(ad)
}

fn obfuscated_phone_hits(ad: &AdFeatures) -> Vec<Hit> {
    let mut hits: Vec<Hit> = ad
        .selectors
        .iter()
        .filter(|s| s.kind == SelectorKind::Phone && s.obfuscated)
        .map(|s| Hit {
            span: s.span,
            matched: s
                .span
                .and_then(|sp| ad.field(sp.field).get(sp.start..sp.end))
                .unwrap_or(&s.value)
                .to_string(),
        })
        .collect();
    if hits.is_empty() && ad.obfuscated_phone {
        hits.push(Hit {
            span: None,
            matched: String::from("(obscured phone reported by extraction)"),
        });
    }
    hits
}

fn age_hits(ad: &AdFeatures, ind: &Indicator) -> Vec<Hit> {
    let below = ind.age_below.unwrap_or(0);
    ad.stated_ages
        .iter()
        .filter(|a| a.age < below)
        .map(|a| Hit {
            span: a.span,
            matched: a
                .span
                .and_then(|sp| ad.field(sp.field).get(sp.start..sp.end))
                .map_or_else(|| a.age.to_string(), str::to_string),
        })
        .collect()
}
