//! FEBRL dedupe and link on the shared benchmark data, with measured F1 floors.

use std::path::PathBuf;
use vigil_resolve::evaluate::{cluster_pairs, score_pairs, Scores};
use vigil_resolve::{Config, Dataset};

fn data(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/febrl")
        .join(name);
    if p.exists() {
        return Some(p);
    }
    let p = PathBuf::from("/work/shared/data/febrl").join(name);
    p.exists().then_some(p)
}

fn truth(ds: &Dataset, file: &str) -> Vec<(u32, u32)> {
    let index: std::collections::HashMap<&str, u32> = ds
        .ids
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i as u32))
        .collect();
    let text = std::fs::read_to_string(data(file).expect("truth")).expect("read");
    text.lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .filter_map(|(a, b)| Some((*index.get(a.trim())?, *index.get(b.trim())?)))
        .collect()
}

fn dedupe(file: &str, links: &str) -> Option<Scores> {
    let path = data(file)?;
    let mut ds = Dataset::new(Config::default());
    ds.add_csv(std::fs::File::open(path).expect("open"), file)
        .expect("load");
    let (res, ids) = vigil_resolve::dedupe(&ds, &|_| {});
    let s = score_pairs(cluster_pairs(&ids), &truth(&ds, links));
    eprintln!("{file}: {s:?}\n{}", res.summary.render());
    Some(s)
}

#[test]
fn febrl1_dedupe_reaches_high_f1() {
    let Some(s) = dedupe("febrl1.csv", "febrl1_links.csv") else {
        eprintln!("FEBRL data not found; skipped");
        return;
    };
    assert!(s.f1 >= 0.95, "{s:?}");
}

#[test]
fn febrl3_dedupe_reaches_high_f1() {
    let Some(s) = dedupe("febrl3.csv", "febrl3_links.csv") else {
        return;
    };
    assert!(s.f1 >= 0.95, "{s:?}");
}

#[test]
fn febrl4_link_reaches_high_f1() {
    let (Some(a), Some(b)) = (data("febrl4a.csv"), data("febrl4b.csv")) else {
        return;
    };
    let mut ds = Dataset::new(Config::default());
    ds.add_csv(std::fs::File::open(a).expect("open"), "febrl4a.csv")
        .expect("load");
    ds.add_csv(std::fs::File::open(b).expect("open"), "febrl4b.csv")
        .expect("load");
    let (res, links) = vigil_resolve::link(&ds, &|_| {});
    let s = score_pairs(
        links.iter().map(|l| (l.0, l.1)),
        &truth(&ds, "febrl4_links.csv"),
    );
    eprintln!("febrl4: {s:?}\n{}", res.summary.render());
    assert!(s.f1 >= 0.95, "{s:?}");
}

#[test]
fn labelled_pairs_calibrate_probabilities() {
    let Some(path) = data("febrl2.csv") else {
        return;
    };
    let mut ds = Dataset::new(Config::default());
    ds.add_csv(std::fs::File::open(path).expect("open"), "febrl2.csv")
        .expect("load");
    let truth = truth(&ds, "febrl2_links.csv");
    // Label half the true pairs and as many non-matching neighbours (records i, i+1 not in truth).
    let set: std::collections::HashSet<(u32, u32)> =
        truth.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
    let mut labels: Vec<(u32, u32, bool)> = truth
        .iter()
        .step_by(2)
        .map(|&(a, b)| (a, b, true))
        .collect();
    labels.extend(
        (0..ds.len() as u32 - 1)
            .filter(|&i| !set.contains(&(i, i + 1)))
            .take(labels.len())
            .map(|i| (i, i + 1, false)),
    );
    let (res, ids) = vigil_resolve::dedupe_labelled(&ds, &labels, &|_| {});
    let s = score_pairs(cluster_pairs(&ids), &truth);
    assert!(s.f1 >= 0.95, "{s:?}");
    assert!(res.model.calibration.0 > 0.0);
    // Calibrated: among kept edges with p in [0.5, 0.9), the share of true pairs is not far from
    // the mean probability (loose bound: few such edges).
    let probs: Vec<(f64, bool)> = res
        .edges
        .iter()
        .map(|e| {
            (
                res.model.probability(f64::from(e.bits)),
                set.contains(&(e.a.min(e.b), e.a.max(e.b))),
            )
        })
        .collect();
    let high: Vec<&(f64, bool)> = probs.iter().filter(|p| p.0 >= 0.9).collect();
    let precision = high.iter().filter(|p| p.1).count() as f64 / high.len().max(1) as f64;
    assert!(precision >= 0.9, "{precision}");
}
