//! Pairwise precision, recall and F1 of predicted pairs or clusters against true pairs.

use rustc_hash::FxHashSet;

/// Precision, recall and F1 of a prediction.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    pub true_positives: u64,
    pub predicted: u64,
    pub actual: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn norm(a: u32, b: u32) -> (u32, u32) {
    (a.min(b), a.max(b))
}

/// Scores predicted pairs against true pairs (both as record-index pairs; order ignored).
pub fn score_pairs(
    predicted: impl IntoIterator<Item = (u32, u32)>,
    truth: &[(u32, u32)],
) -> Scores {
    let truth: FxHashSet<(u32, u32)> = truth.iter().map(|&(a, b)| norm(a, b)).collect();
    let predicted: FxHashSet<(u32, u32)> = predicted.into_iter().map(|(a, b)| norm(a, b)).collect();
    let tp = predicted.iter().filter(|p| truth.contains(p)).count() as u64;
    let (np, na) = (predicted.len() as u64, truth.len() as u64);
    let precision = if np == 0 { 1.0 } else { tp as f64 / np as f64 };
    let recall = if na == 0 { 1.0 } else { tp as f64 / na as f64 };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Scores {
        true_positives: tp,
        predicted: np,
        actual: na,
        precision,
        recall,
        f1,
    }
}

/// All within-cluster pairs of a clustering (cluster id per record).
pub fn cluster_pairs(ids: &[u32]) -> Vec<(u32, u32)> {
    let mut by: rustc_hash::FxHashMap<u32, Vec<u32>> = rustc_hash::FxHashMap::default();
    for (r, &c) in ids.iter().enumerate() {
        by.entry(c).or_default().push(r as u32);
    }
    let mut out = Vec::new();
    for m in by.values() {
        for x in 0..m.len() {
            for y in x + 1..m.len() {
                out.push((m[x], m[y]));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_pairs_order_free() {
        let s = score_pairs(vec![(1, 0), (2, 3)], &[(0, 1), (4, 5)]);
        assert_eq!(s.true_positives, 1);
        assert!((s.f1 - 0.5).abs() < 1e-12);
        assert_eq!(cluster_pairs(&[0, 1, 0, 0]).len(), 3);
    }
}
