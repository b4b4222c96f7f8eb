//! Scoring tests: one explicit explanation, urgent review, and the sum property.

use super::*;
use crate::features::{AdFeatures, Field, Selector, SelectorKind, Span, StatedAge};
use proptest::prelude::*;

fn default_set() -> WeightSet {
    WeightSet::default_set().unwrap()
}

#[test]
fn explanation_of_one_ad() {
    let text = "New in town! 100% real pics, call 480 555 oh one four two";
    let ad = AdFeatures {
        id: "ad-1".into(),
        title: "Sweet Asian girl".into(),
        text: text.into(),
        selectors: vec![Selector {
            kind: SelectorKind::Phone,
            value: "+14805550142".into(),
            span: Some(Span {
                field: Field::Text,
                start: 34,
                end: 57,
            }),
            obfuscated: true,
        }],
        obfuscated_phone: true,
        ..AdFeatures::default()
    };
    let s = score(&ad, &default_set());
    let json = serde_json::to_value(&s).unwrap();
    let source_jrsa = "JRSA/JIRN case-outcome study, J. Human Trafficking 2024, doi:10.1080/23322705.2024.2349447";
    let want = serde_json::json!({
        "ad_id": "ad-1",
        "score": 3.0,
        "weight_set": {"id": "vigil-default-indicators", "version": "1"},
        "contributions": [
            {"indicator": "A1", "name": "Obscured phone number", "weight": 1.0, "evidence": "predictive",
             "source": source_jrsa,
             "hits": [{"span": {"field": "text", "start": 34, "end": 57}, "matched": "480 555 oh one four two"}]},
            {"indicator": "A2", "name": "Trustworthy language", "weight": 1.0, "evidence": "predictive",
             "source": "JRSA/JIRN 2024, doi:10.1080/23322705.2024.2349447; exact coding to verify against the JIRN guide (jirn.org/escort-ads)",
             "hits": [{"span": {"field": "text", "start": 13, "end": 22}, "matched": "100% real"}]},
            {"indicator": "A4", "name": "Provider ethnicity stated", "weight": 1.0, "evidence": "predictive",
             "source": "JRSA/JIRN 2024, doi:10.1080/23322705.2024.2349447; CMU TJBatchExtractor ethnicity F = 0.920",
             "hits": [{"span": {"field": "title", "start": 6, "end": 11}, "matched": "Asian"}]}
        ],
        "context": [
            {"indicator": "A5", "name": "Movement language", "weight": 0.0, "evidence": "inverse",
             "source": "JRSA/JIRN 2024: about 70% less likely in trafficking ads",
             "hits": [{"span": {"field": "text", "start": 0, "end": 11}, "matched": "New in town"}]}
        ],
        "urgent_review": false,
        "urgent_reasons": [],
        "statement": crate::LEAD_NOT_EVIDENCE
    });
    assert_eq!(
        json,
        want,
        "{}",
        serde_json::to_string_pretty(&json).unwrap()
    );
}

#[test]
fn stated_minor_age_is_urgent_whatever_the_score() {
    let ad = AdFeatures {
        id: "m".into(),
        text: "hi im 16".into(),
        stated_ages: vec![StatedAge {
            age: 16,
            span: Some(Span {
                field: Field::Text,
                start: 6,
                end: 8,
            }),
        }],
        ..AdFeatures::default()
    };
    let s = score(&ad, &default_set());
    assert_eq!(s.score, 0.0);
    assert!(s.urgent_review);
    assert!(
        s.urgent_reasons.iter().any(|r| r.contains("stated age 16")),
        "{:?}",
        s.urgent_reasons
    );
    let a13 = s.context.iter().find(|c| c.indicator == "A13").unwrap();
    assert_eq!(a13.hits[0].matched, "16");
}

#[test]
fn minor_cues_and_youth_with_a_young_age_are_urgent() {
    let cue = AdFeatures {
        id: "c".into(),
        text: "high school cutie".into(),
        ..AdFeatures::default()
    };
    assert!(score(&cue, &default_set()).urgent_review);
    let youth = AdFeatures {
        id: "y".into(),
        text: "fresh petite 18".into(),
        stated_ages: vec![StatedAge {
            age: 18,
            span: None,
        }],
        ..AdFeatures::default()
    };
    let s = score(&youth, &default_set());
    assert!(s.urgent_review, "{s:?}");
    let adult = AdFeatures {
        stated_ages: vec![StatedAge {
            age: 30,
            span: None,
        }],
        ..youth
    };
    assert!(!score(&adult, &default_set()).urgent_review);
}

#[test]
fn movement_language_never_raises_the_score() {
    let ad = AdFeatures {
        id: "v".into(),
        text: "just arrived, leaving soon, limited time".into(),
        ..AdFeatures::default()
    };
    let s = score(&ad, &default_set());
    assert_eq!(s.score, 0.0);
    assert_eq!(s.context[0].hits.len(), 3);
}

#[test]
fn a_replaced_weight_set_is_used_and_named() {
    let toml = DEFAULT_WEIGHTS_TOML
        .replace("version = \"1\"", "version = \"phx-2\"")
        .replace(
            "weight = 0.0\nevidence = \"inverse\"",
            "weight = 0.5\nevidence = \"inverse\"",
        );
    let set = WeightSet::from_toml(&toml).unwrap();
    let ad = AdFeatures {
        id: "v".into(),
        text: "just arrived".into(),
        ..AdFeatures::default()
    };
    let s = score(&ad, &set);
    assert_eq!((s.score, s.weight_set.version.as_str()), (0.5, "phx-2"));
}

proptest! {
    #[test]
    fn a_score_is_the_sum_of_its_contributions(text in "(\\PC|young|asian|100% real|legit|new in town| ){0,60}", obf in any::<bool>()) {
        let ad = AdFeatures { id: "p".into(), text, obfuscated_phone: obf, ..AdFeatures::default() };
        let s = score(&ad, &default_set());
        let sum: f64 = s.contributions.iter().map(|c| c.weight).sum();
        prop_assert_eq!(s.score, sum);
        prop_assert!(s.context.iter().all(|c| c.weight == 0.0));
        for c in s.contributions.iter().chain(&s.context) {
            prop_assert!(!c.hits.is_empty());
            for h in &c.hits {
                if let Some(sp) = h.span {
                    prop_assert_eq!(ad.field(sp.field).get(sp.start..sp.end), Some(h.matched.as_str()));
                }
            }
        }
    }
}
