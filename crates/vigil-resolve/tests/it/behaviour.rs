//! End-to-end behaviour on small synthetic inputs: explanations, the incremental index,
//! households, and bad input handled without panics.

use vigil_resolve::evaluate::cluster_pairs;
use vigil_resolve::{Config, Dataset, FieldKind, Index, ScoreTables, Scorer};

/// A small population: each person appears two or three times with small variations.
fn population() -> String {
    let given = [
        "anna", "boris", "carla", "derek", "elena", "farid", "gwen", "hiro", "ines", "jonas",
        "kofi", "lena",
    ];
    let surnames = [
        "alvarez", "brennan", "castillo", "dubois", "eriksen", "fontaine", "garrido", "holm",
    ];
    let mut s = String::from("id,first_name,last_name,dob,street,city,zip,phone\n");
    let mut id = 0;
    for p in 0..120usize {
        let g = given[p % given.len()];
        let sn = surnames[(p / given.len()) % surnames.len()];
        let y = 1950 + (p * 7) % 50;
        let (m, d) = (1 + p % 12, 1 + (p * 5) % 28);
        let phone = format!("480-555-01{:02}", p % 100);
        for copy in 0..(2 + p % 2) {
            let g2 = if copy == 1 {
                format!("{}{}", &g[..g.len() - 1], "e")
            } else {
                g.to_string()
            };
            let dob = if copy == 2 {
                format!("{m}/{d}/{y}")
            } else {
                format!("{y}-{m:02}-{d:02}")
            };
            s.push_str(&format!(
                "r{id},{g2},{sn},{dob},{} Main Street,Mesa,85{:03},{phone}\n",
                10 + p,
                p % 1000
            ));
            id += 1;
        }
    }
    s
}

fn load(text: &str) -> Dataset {
    let mut ds = Dataset::new(Config::default());
    ds.add_csv(text.as_bytes(), "pop.csv").expect("loads");
    ds
}

#[test]
fn explanation_sums_to_the_match_weight() {
    let ds = load(&population());
    let (res, _) = vigil_resolve::dedupe(&ds, &|_| {});
    let tables = ScoreTables::new(&ds);
    let scorer = Scorer::new(&ds, &res.model, &tables);
    for e in res.edges.iter().take(200) {
        let (a, b) = (&ds.records[e.a as usize], &ds.records[e.b as usize]);
        let x = scorer.explain(a, b);
        let sum: f64 = x.evidence.iter().map(|f| f.bits).sum();
        assert!((sum - x.total_bits).abs() < 1e-9);
        assert!(
            (x.total_bits - scorer.score(a, b).0).abs() < 1e-6,
            "{}",
            x.render()
        );
        assert!((x.probability - res.model.probability(x.total_bits)).abs() < 1e-12);
        assert!(x.evidence.iter().any(|f| f.field == "name"));
    }
}

#[test]
fn dedupe_finds_the_planted_duplicates() {
    let ds = load(&population());
    let (_, ids) = vigil_resolve::dedupe(&ds, &|_| {});
    let pairs = cluster_pairs(&ids);
    // Records of one person share the phone and the street number; check pairs against that.
    let key = |i: u32| {
        let r = &ds.records[i as usize];
        (
            r.get(vigil_resolve::Slot::Phone),
            r.get(vigil_resolve::Slot::Street),
        )
    };
    let wrong = pairs.iter().filter(|(a, b)| key(*a) != key(*b)).count();
    assert_eq!(wrong, 0, "no cross-person pairs");
    // 60 people appear twice (1 pair each) and 60 three times (3 pairs each).
    let planted = 60 + 60 * 3;
    assert!(
        pairs.len() * 100 >= planted * 95,
        "found {} of {planted} pairs",
        pairs.len()
    );
}

#[test]
fn index_matches_one_new_record_with_an_explanation() {
    let ds = load(&population());
    let (res, _) = vigil_resolve::dedupe(&ds, &|_| {});
    let mut index = Index::new(ds, res);
    let n = index.len();
    let probe = [
        (FieldKind::GivenName, "Anna"),
        (FieldKind::Surname, "Alvarez"),
        (FieldKind::DateOfBirth, "1950-01-01"),
        (FieldKind::Phone, "(480) 555-0100"),
    ];
    let hits = index.query(probe, 0.5, 5);
    assert!(!hits.is_empty());
    assert!(hits[0].id.starts_with('r'));
    assert!(hits[0].explanation.render().contains("name"));
    let idx = index.insert("new-1", probe);
    assert_eq!(idx as usize, n);
    let again = index.query(probe, 0.5, 10);
    assert!(again.iter().any(|c| c.id == "new-1"));
}

// --- xref
#[test]
fn index_with_a_trained_model_removes_and_ignores_generic_values() {
    let ds = load(&population());
    let (res, _) = vigil_resolve::dedupe(&ds, &|_| {});
    let mut index = Index::with_model(Config::default(), res.model);
    assert!(index.is_empty());
    assert!(!index.rules().contains(&"sorted_name"));
    let a = [
        (FieldKind::GivenName, "Jon"),
        (FieldKind::Surname, "Smyth"),
        (FieldKind::DateOfBirth, "1988-04-03"),
        (FieldKind::Phone, "480-555-0142"),
    ];
    let b = [
        (FieldKind::GivenName, "John"),
        (FieldKind::Surname, "Smith"),
        (FieldKind::DateOfBirth, "1988-04-03"),
        (FieldKind::Phone, "+1 480 555 0142"),
    ];
    let ia = index.insert("a", a);
    assert_eq!(index.value_count(FieldKind::Phone, "(480) 555-0142"), 1);
    let hits = index.query(b, 0.0, 5);
    assert_eq!(hits.first().map(|h| h.id.as_str()), Some("a"), "{hits:?}");
    let with_phone = hits[0].probability;
    // Declared generic, the phone's agreement is cancelled and the explanation says so.
    assert!(index.set_generic(
        FieldKind::Phone,
        "480-555-0142",
        Some(vigil_resolve::scoring::GenericReason::Stoplist)
    ));
    let hits = index.query(b, 0.0, 5);
    assert!(hits[0].probability < with_phone);
    assert!(hits[0]
        .explanation
        .evidence
        .iter()
        .any(|e| e.field == "phone" && e.level.contains("stoplist")));
    assert!(!index.set_generic(FieldKind::GivenName, "Jon", None));
    // A removed record is never returned and stops counting.
    index.remove(ia);
    assert!(index.query(b, 0.0, 5).is_empty());
    assert_eq!(index.value_count(FieldKind::Phone, "480-555-0142"), 0);
    index.remove(ia); // twice is harmless
}

#[test]
fn one_block_holding_every_record_is_capped_not_quadratic() {
    // Every record has the same date of birth and phone: those blocks are oversized.
    let mut s = String::from("id,given_name,surname,dob,phone\n");
    for i in 0..3000 {
        s.push_str(&format!(
            "{i},name{},sur{},1980-01-01,480-555-0100\n",
            i % 97,
            i % 89
        ));
    }
    let mut cfg = Config::default();
    cfg.blocking.max_block = 200;
    let mut ds = Dataset::new(cfg);
    ds.add_csv(s.as_bytes(), "same.csv").expect("loads");
    let (res, ids) = vigil_resolve::dedupe(&ds, &|_| {});
    assert_eq!(ids.len(), 3000);
    assert!(res.summary.rules.iter().any(|r| r.capped_blocks > 0));
    assert!(
        res.summary.pairs_compared < 3000 * 3000 / 20,
        "{}",
        res.summary.pairs_compared
    );
}

#[test]
fn bad_inputs_give_errors_or_warnings_not_panics() {
    for text in [
        &b""[..],
        b"\n\n",
        b"id\n",
        b"id,given_name\n1\n2,a,b,c\n",
        b"\xff\xfe,\x00\n1,2\n",
    ] {
        let mut ds = Dataset::new(Config::default());
        if ds.add_csv(text, "bad.csv").is_ok() {
            let _ = vigil_resolve::dedupe(&ds, &|_| {});
        }
    }
    // An entirely blank column is reported.
    let mut ds = Dataset::new(Config::default());
    let (_, rep) = ds
        .add_csv(&b"id,given_name,surname\n1,a,\n2,b,\n"[..], "blank.csv")
        .expect("loads");
    assert_eq!(rep.blank_columns, vec!["surname".to_string()]);
    let (_, ids) = vigil_resolve::dedupe(&ds, &|_| {});
    assert_eq!(ids.len(), 2);
}

#[test]
fn index_labels_move_the_model_and_withdrawn_labels_stop_counting() {
    let ds = load(&population());
    let (res, _) = vigil_resolve::dedupe(&ds, &|_| {});
    let base = res.model.clone();
    let mut index = Index::with_model(Config::default(), base.clone());
    // Same person written two ways: the names differ (nickname-like), the rest agrees.
    let a = index.insert(
        "a",
        [
            (FieldKind::GivenName, "Jon"),
            (FieldKind::Surname, "Smyth"),
            (FieldKind::DateOfBirth, "1988-04-03"),
        ],
    );
    let b = index.insert(
        "b",
        [
            (FieldKind::GivenName, "Jonathan"),
            (FieldKind::Surname, "Smyth"),
            (FieldKind::DateOfBirth, "1988-04-03"),
        ],
    );
    let probe = [
        (FieldKind::GivenName, "Jonathan"),
        (FieldKind::Surname, "Smyth"),
        (FieldKind::DateOfBirth, "1988-04-03"),
    ];
    let p_of_a = |index: &mut Index| {
        index
            .query(probe, 0.0, 10)
            .iter()
            .find(|c| c.id == "a")
            .map_or(0.0, |c| c.probability)
    };
    let before = p_of_a(&mut index);
    // A "same" label raises m of the labelled pattern's levels, so the pair scores higher.
    assert_eq!(index.retrain_with_labels(&base, &[(a, b, true)]), 1);
    let m_moved = (0..base.m.len())
        .any(|c| (1..base.m[c].len()).any(|l| index.model().m[c][l] != base.m[c][l]));
    assert!(m_moved, "a label moves some m-probability");
    let after = p_of_a(&mut index);
    assert!(after > before, "same label: {before} -> {after}");
    // A "different" label lowers it below the unlabelled model.
    index.retrain_with_labels(&base, &[(a, b, false)]);
    assert!(p_of_a(&mut index) < before);
    // Withdrawn (retrained without it): back to the unlabelled model exactly.
    assert_eq!(index.retrain_with_labels(&base, &[]), 0);
    assert_eq!(index.model().m, base.m);
    assert!((p_of_a(&mut index) - before).abs() < 1e-12);
    // Labels naming removed or unknown records are ignored.
    index.remove(b);
    assert_eq!(
        index.retrain_with_labels(&base, &[(a, b, true), (a, 99, true)]),
        0
    );
}

#[test]
fn crowded_birth_dates_are_blocked_with_the_surname_initial() {
    // 400 records over 10 birth dates: about 20 dob pairs per record, past the refinement point.
    let mut s = String::from("id,first_name,last_name,dob\n");
    for i in 0..400usize {
        let surname = format!("{}son", ["a", "b", "c", "d", "e", "f", "g", "h"][i % 8]);
        s.push_str(&format!(
            "r{i},given{i},{surname},1980-01-{:02}\n",
            1 + i % 10
        ));
    }
    let ds = load(&s);
    let plan = vigil_resolve::blocking::Blocker::plan(&ds, false, &|_| {});
    assert!(!plan.rules.contains(&"dob"), "{:?}", plan.rules);
    assert!(
        plan.rules.contains(&"dob+surname_initial"),
        "{:?}",
        plan.rules
    );
    // Few records per date: plain dob blocking stays.
    let ds = load(&population());
    let plan = vigil_resolve::blocking::Blocker::plan(&ds, false, &|_| {});
    assert!(plan.rules.contains(&"dob"), "{:?}", plan.rules);
    assert!(
        !plan.rules.contains(&"dob+surname_initial"),
        "{:?}",
        plan.rules
    );
}
