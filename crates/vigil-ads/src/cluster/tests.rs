//! Tests of a whole clustering run: explanations, generic suppression, order independence.

use super::*;
use crate::features::{AdFeatures, Field, Selector, SelectorKind, Span};
use proptest::prelude::*;

const HOTLINE: &str = "+17025550100";

fn ad(id: &str, city: &str, text: &str, phones: &[&str]) -> AdFeatures {
    AdFeatures {
        id: id.into(),
        text: text.into(),
        city: Some(city.into()),
        selectors: phones
            .iter()
            .map(|p| Selector {
                kind: SelectorKind::Phone,
                value: (*p).into(),
                span: None,
                obfuscated: false,
            })
            .collect(),
        ..AdFeatures::default()
    }
}

fn run(ads: &[AdFeatures], config: ClusterConfig) -> Operations {
    let mut c = Clusterer::new(config).unwrap();
    for p in c.prepare_all(ads) {
        c.push(p).unwrap();
    }
    c.finish(&mut |_, _, _| {})
}

fn partition(ops: &Operations) -> Vec<Vec<String>> {
    let mut p: Vec<Vec<String>> = ops
        .operations
        .iter()
        .map(|o| {
            let mut a = o.ads.clone();
            a.sort();
            a
        })
        .collect();
    p.sort();
    p
}

const T1: &str =
    "New in town! Sweet young girl, 100% real pics, incall outcall available now, call me";
const T1B: &str =
    "New in town! Sweet young girl, 100% real pics, incall and outcall available now, text me";
const T2: &str =
    "Relaxing full body massage by a licensed therapist, quiet studio near the mall, walk-ins ok";
const T3: &str =
    "Hiring hostesses for a downtown lounge, weekly pay, housing can be arranged, apply today";

#[test]
fn explanation_of_one_operation() {
    let ads = [
        ad("a1", "Phoenix", T1, &["+14805550142"]),
        ad("a2", "Phoenix", T1B, &["+12125550199"]),
        ad("a3", "Mesa", T2, &["+14805550142", HOTLINE]),
        ad("a4", "Tucson", T3, &[HOTLINE]),
    ];
    let mut config = ClusterConfig::default();
    config.stoplist.insert(HOTLINE.into());
    let ops = run(&ads, config);
    let json = serde_json::to_value(&ops.operations).unwrap();
    // The text link carries the exact Jaccard of the two bodies (no identifiers in them here).
    let jaccard = (jaccard5(T1, T1B) * 10_000.0).round() / 10_000.0;
    assert!(jaccard >= 0.7);
    let want = serde_json::json!([{
        "id": "op-000001",
        "size": 3,
        "ads": ["a1", "a2", "a3"],
        "text_clusters": 2,
        "cities": ["mesa", "phoenix"],
        "selectors": [
            {"selector": "phone", "value": "+12125550199", "ads": 1},
            {"selector": "phone", "value": "+14805550142", "ads": 2}
        ],
        "links": [
            {"a": "a1", "b": "a2", "reason": {"kind": "text", "jaccard": jaccard, "threshold": 0.7}},
            {"a": "a1", "b": "a3", "reason": {"kind": "selector", "selector": "phone", "value": "+14805550142"}}
        ],
        "suppressed": [
            {"selector": "phone", "value": HOTLINE, "reason": {"kind": "stoplist"}, "ads_here": 1, "ads_total": 2}
        ]
    }]);
    assert_eq!(
        json,
        want,
        "{}",
        serde_json::to_string_pretty(&json).unwrap()
    );
    assert_eq!(ops.stats.singletons, 1);
    assert_eq!(ops.stats.suppressed_stoplist, 1);
}

#[test]
fn a_value_in_many_text_clusters_is_generic_and_does_not_merge() {
    let texts = [
        T1,
        T2,
        T3,
        "Private dance lessons for couples, evenings and weekends, book online",
    ];
    let ads: Vec<AdFeatures> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| ad(&format!("g{i}"), "Reno", t, &[HOTLINE]))
        .collect();
    let config = ClusterConfig {
        generic_max_text_clusters: 3,
        include_singletons: true,
        ..ClusterConfig::default()
    };
    let ops = run(&ads, config);
    assert_eq!(ops.operations.len(), 4, "every ad stays on its own");
    for op in &ops.operations {
        assert!(op.links.is_empty());
        let s = &op.suppressed[0];
        assert_eq!(s.value, HOTLINE);
        assert_eq!(
            s.reason,
            SuppressionReason::Generic {
                text_clusters: 4,
                cities: 1,
                co_values: 0,
                max_text_clusters: 3,
                max_cities: 12,
                max_co_values: 8
            }
        );
    }
    assert_eq!(ops.stats.suppressed_generic, 1);
}

#[test]
fn a_value_beside_many_other_selectors_is_generic_even_in_a_small_feed() {
    // Four unrelated operations, each with its own number and the same hotel switchboard.
    let texts = [
        T1,
        T2,
        T3,
        "Private dance lessons for couples, evenings and weekends, book online",
    ];
    let own = [
        "+14805550142",
        "+12125550199",
        "+12015550123",
        "+16025550117",
    ];
    let ads: Vec<AdFeatures> = texts
        .iter()
        .zip(own)
        .enumerate()
        .map(|(i, (t, p))| ad(&format!("s{i}"), "Reno", t, &[p, HOTLINE]))
        .collect();
    let config = ClusterConfig {
        generic_max_co_values: 3,
        include_singletons: true,
        ..ClusterConfig::default()
    };
    let ops = run(&ads, config);
    assert_eq!(ops.operations.len(), 4);
    match &ops.operations[0].suppressed[0].reason {
        SuppressionReason::Generic {
            co_values,
            max_co_values,
            ..
        } => assert_eq!((*co_values, *max_co_values), (4, 3)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn identifiers_are_dropped_from_the_text_before_shingling() {
    let text = "call 480-555-0142 now please";
    let mut a = ad("x", "Phoenix", text, &[]);
    a.selectors.push(Selector {
        kind: SelectorKind::Phone,
        value: "+14805550142".into(),
        span: Some(Span {
            field: Field::Text,
            start: 5,
            end: 17,
        }),
        obfuscated: false,
    });
    let c = Clusterer::new(ClusterConfig::default()).unwrap();
    assert_eq!(&*c.prepare(&a).text, "call now please");
}

#[test]
fn text_only_mode_ignores_selectors_but_still_annotates_generics() {
    let ads = [
        ad("a1", "Phoenix", T1, &["+14805550142"]),
        ad("a3", "Mesa", T2, &["+14805550142"]),
    ];
    let config = ClusterConfig {
        use_selectors: false,
        include_singletons: true,
        ..ClusterConfig::default()
    };
    let ops = run(&ads, config);
    assert_eq!(ops.operations.len(), 2);
    assert_eq!(ops.stats.selector_edges, 0);
}

#[test]
fn bad_banding_is_rejected() {
    let config = ClusterConfig {
        bands: 30,
        rows: 5,
        ..ClusterConfig::default()
    };
    assert!(matches!(
        Clusterer::new(config),
        Err(ClusterError::Banding { .. })
    ));
    let config = ClusterConfig {
        threshold: 0.0,
        ..ClusterConfig::default()
    };
    assert!(matches!(
        Clusterer::new(config),
        Err(ClusterError::Threshold(_))
    ));
}

fn corpus() -> Vec<AdFeatures> {
    let phones = [
        "+14805550142",
        "+12125550199",
        "+12015550123",
        "+16025550117",
    ];
    let texts = [
        T1,
        T1B,
        T2,
        T3,
        "Totally different words about gardening tools",
    ];
    (0..14)
        .map(|i| {
            let p: Vec<&str> = if i % 3 == 0 {
                vec![phones[i % 4]]
            } else {
                vec![]
            };
            ad(
                &format!("ad{i}"),
                ["Phoenix", "Mesa", "Reno"][i % 3],
                texts[i % 5],
                &p,
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn cluster_merging_is_order_independent(perm in Just((0..14usize).collect::<Vec<_>>()).prop_shuffle()) {
        let base = corpus();
        let shuffled: Vec<AdFeatures> = perm.iter().map(|&i| base[i].clone()).collect();
        let config = ClusterConfig { include_singletons: true, ..ClusterConfig::default() };
        prop_assert_eq!(partition(&run(&base, config.clone())), partition(&run(&shuffled, config)));
    }

    #[test]
    fn every_operation_is_joined_by_exactly_size_minus_one_links(seed in 0u64..1000) {
        let config = ClusterConfig { seed, include_singletons: true, ..ClusterConfig::default() };
        let ops = run(&corpus(), config);
        for op in &ops.operations {
            prop_assert_eq!(op.links.len() + 1, op.size);
            for l in &op.links {
                if let LinkReason::Text { jaccard, threshold } = l.reason {
                    prop_assert!(jaccard >= threshold);
                }
            }
        }
    }
}

#[test]
fn sketch_agreements_of_long_equal_sketches_do_not_overflow_a_lane() {
    let a = vec![7u8; 32 * 300 + 5];
    assert_eq!(agreements(&a, &a), a.len());
    assert_eq!(agreements(&a, &a[..40]), 40);
}

#[test]
fn sketch_bound_is_the_binomial_lower_tail_quantile() {
    // Expected values from Python's exact `math.comb` sums.
    assert_eq!(binomial_quantile(126, 0.7, 1e-9), 56);
    assert_eq!(binomial_quantile(126, 0.5, 1e-9), 30);
    assert_eq!(binomial_quantile(10, 0.9, 0.05), 7);
    assert_eq!(binomial_quantile(126, 0.7, 0.5), 88);
    assert_eq!(binomial_quantile(126, 0.0, 1e-9), 0);
    assert_eq!(binomial_quantile(126, 1.0, 1e-9), 126);
}

/// A text made of `words` drawn from a small vocabulary, so pairs span every similarity.
fn words_text(words: &[usize]) -> String {
    const VOCAB: [&str; 12] = [
        "sweet",
        "petite",
        "incall",
        "outcall",
        "discreet",
        "available",
        "tonight",
        "new",
        "in",
        "town",
        "upscale",
        "friendly",
    ];
    words
        .iter()
        .map(|&w| VOCAB[w % VOCAB.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// The signature pre-check never rejects a pair whose exact Jaccard reaches the threshold.
    #[test]
    fn sketch_filter_keeps_every_pair_at_or_above_the_threshold(
        base in proptest::collection::vec(0usize..12, 8..60),
        edits in proptest::collection::vec((0usize..60, 0usize..12), 0..12),
        scheme in prop_oneof![Just(MinHashScheme::OnePermutation), Just(MinHashScheme::Permutations)],
    ) {
        let mut other = base.clone();
        for (at, w) in edits {
            let at = at % other.len();
            other[at] = w;
        }
        let config = ClusterConfig { scheme, ..ClusterConfig::default() };
        let c = Clusterer::new(config.clone()).unwrap();
        let prepare = |text: String| c.prepare(&AdFeatures { id: "x".into(), text, ..AdFeatures::default() });
        let (a, b) = (prepare(words_text(&base)), prepare(words_text(&other)));
        let exact = jaccard_sorted(&shingles(&a.text), &shingles(&b.text));
        let filter = SketchFilter::new(config.bands * config.rows, config.threshold);
        if exact >= config.threshold {
            prop_assert!(filter.may_reach(&a.sketch, &b.sketch), "exact Jaccard {exact}");
        }
    }

    /// The lane-wise count of agreeing bytes is the plain count, at every length (the lanes are
    /// summed before they could overflow: 300 steps of 32 equal bytes exceed 255 per lane).
    #[test]
    fn sketch_agreements_are_counted_exactly(
        a in proptest::collection::vec(0u8..4, 0..300),
        b in proptest::collection::vec(0u8..4, 0..300),
    ) {
        let expected = a.iter().zip(&b).filter(|(x, y)| x == y).count();
        prop_assert_eq!(agreements(&a, &b), expected);
    }

    #[test]
    fn prepared_text_is_the_normalised_title_and_body_joined_by_a_space(
        title in "(\\PC|[ \t]|\u{3000}|[a-c0-9]){0,40}",
        text in "(\\PC|[ \t]|\u{3000}|[a-c0-9]){0,80}",
    ) {
        let c = Clusterer::new(ClusterConfig::default()).expect("default config");
        let prepared = c.prepare(&AdFeatures {
            id: "x".into(),
            title: title.clone(),
            text: text.clone(),
            ..AdFeatures::default()
        });
        let (t, b) = (normalise(&title, &[], true), normalise(&text, &[], true));
        let expected = match (t.is_empty(), b.is_empty()) {
            (true, _) => b,
            (false, true) => t,
            (false, false) => format!("{t} {b}"),
        };
        prop_assert_eq!(&*prepared.text, expected.as_str());
    }
}
