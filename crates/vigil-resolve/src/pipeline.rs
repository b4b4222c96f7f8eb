//! The batch pipeline: random-pair u, blocking, EM on a (sampled) pattern histogram, scoring
//! every candidate pair block by block, then clustering (dedupe) or thresholded links (link).

use crate::blocking::{Blocker, RuleStats};
use crate::cluster::{cluster_with_stats, ClusterStats, Edge};
use crate::compare::{active_concepts, compare_concept, Concept, Pattern, CONCEPTS};
use crate::dataset::Dataset;
use crate::model::{level_distribution, Histogram, Model};
use crate::scoring::{dependence_report, ScoreTables, Scorer};

/// Candidate pairs used for training are sampled down to about this many.
const TRAIN_PAIRS: f64 = 1_000_000.0;
/// Random pairs drawn to measure u: five per record, between these bounds. Random pairs are
/// the costliest comparisons (dissimilar names run the full string metrics), and on a few
/// thousand records they were most of the run; EM re-estimates u from the candidates anyway.
const RANDOM_PAIRS_MIN: u64 = 50_000;
const RANDOM_PAIRS_MAX: u64 = 150_000;
/// Edges below this probability are not kept.
const KEEP_PROBABILITY: f64 = 0.05;

/// Progress and counters of a run.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub records: usize,
    pub pairs_compared: u64,
    pub rules: Vec<RuleStats>,
    /// Pairs at or above the threshold.
    pub matches: u64,
    pub clusters: usize,
    pub clustering: ClusterStats,
    pub em_iterations: usize,
    pub em_converged: bool,
    pub lambda: f64,
    /// Most dependent concept pairs (mutual information in bits).
    pub dependence: Vec<(&'static str, &'static str, f64)>,
}

impl Summary {
    /// Multi-line human-readable summary.
    pub fn render(&self) -> String {
        let mut s = format!(
            "records: {}\npairs compared: {}\npairs at or above threshold: {}\n",
            self.records, self.pairs_compared, self.matches
        );
        if self.clusters > 0 {
            let c = &self.clustering;
            s.push_str(&format!(
                "clusters: {}\nclustering: {} components (largest {} records), {} merge checks, {} merges, {} pairs scored on demand\n",
                self.clusters, c.components, c.largest_component, c.checks, c.merges, c.scored_on_demand
            ));
        }
        s.push_str(&format!(
            "EM: {} iterations ({}), share of matches among candidates {:.4}\n",
            self.em_iterations,
            if self.em_converged {
                "converged"
            } else {
                "not converged"
            },
            self.lambda
        ));
        s.push_str("blocking rule                          keys      blocks   largest  capped      pairs\n");
        for r in &self.rules {
            s.push_str(&format!(
                "  {:<34} {:>9} {:>9} {:>9} {:>7} {:>10}\n",
                r.name, r.records_with_key, r.blocks, r.largest_block, r.capped_blocks, r.pairs
            ));
        }
        for (a, b, mi) in self.dependence.iter().take(3) {
            if *mi > 0.05 {
                s.push_str(&format!("dependence warning: {a} and {b} agree together (mutual information {mi:.3} bits)\n"));
            }
        }
        s
    }
}

/// A trained model with its blocking and kept edges.
pub struct Resolution {
    pub model: Model,
    pub blocker: Blocker,
    /// Scored candidate pairs with probability ≥ 5%.
    pub edges: Vec<Edge>,
    pub summary: Summary,
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Level distribution over random pairs (cross-source in link mode), drawn in parallel chunks
/// with fixed seeds so results do not depend on the thread count.
fn random_u(ds: &Dataset, active: &[bool; CONCEPTS], link: bool) -> Vec<Vec<f64>> {
    use rayon::prelude::*;
    let n = ds.len() as u64;
    if n < 2 {
        return level_distribution(&Histogram::default());
    }
    let want = (n * 5)
        .clamp(RANDOM_PAIRS_MIN, RANDOM_PAIRS_MAX)
        .min(n * (n - 1) / 2);
    let chunks = 16u64;
    let h = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut h = Histogram::default();
            let mut state = 0x5EED_u64 ^ (c.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let (mut drawn, mut tries) = (0, 0);
            let quota = want / chunks + 1;
            while drawn < quota && tries < quota * 4 {
                tries += 1;
                let i = (splitmix(&mut state) % n) as usize;
                let j = (splitmix(&mut state) % n) as usize;
                let (a, b) = (&ds.records[i], &ds.records[j]);
                if i == j || (link && a.source == b.source) {
                    continue;
                }
                drawn += 1;
                *h.entry(crate::compare::compare(ds, active, a, b))
                    .or_default() += 1;
            }
            h
        })
        .reduce(Histogram::default, |mut x, y| {
            for (k, v) in y {
                *x.entry(k).or_default() += v;
            }
            x
        });
    level_distribution(&h)
}

/// Trains the model and scores all candidate pairs.
pub fn resolve(ds: &Dataset, link: bool, progress: &(dyn Fn(&str) + Sync)) -> Resolution {
    let active = active_concepts(ds);
    let names: Vec<&str> = Concept::ALL
        .iter()
        .zip(active)
        .filter(|x| x.1)
        .map(|x| x.0.name())
        .collect();
    progress(&format!("compare: concepts {}", names.join(", ")));
    progress("train: u from random pairs");
    let u = random_u(ds, &active, link);
    progress("blocking: choosing rules");
    let mut blocker = Blocker::plan(ds, link, progress);
    // Estimate total pairs for sampling.
    let est: f64 = ds.config.blocking.max_pairs.min(ds.len() as u64 * 60) as f64;
    let sample = (TRAIN_PAIRS / est.max(1.0)).min(1.0);
    progress(&format!(
        "train: pattern histogram over {:.0}% of blocks",
        sample * 100.0
    ));
    // When every block is visited for training (small inputs), the pairs and their patterns
    // are kept so that scoring does not compare them a second time.
    let keep_patterns = sample >= 1.0;
    let (hist, seen) = blocker.for_each_pair(
        ds,
        sample,
        || (Histogram::default(), Vec::<(u32, u32, Pattern)>::new()),
        |acc, _, i, j, a, b| {
            let p = crate::compare::compare(ds, &active, a, b);
            *acc.0.entry(p).or_default() += 1;
            if keep_patterns {
                acc.1.push((i, j, p));
            }
        },
        |mut x, mut y| {
            for (k, v) in y.0 {
                *x.0.entry(k).or_default() += v;
            }
            x.1.append(&mut y.1);
            x
        },
    );
    progress(&format!("train: EM over {} distinct patterns", hist.len()));
    let mut model = Model::initial(active, u);
    model.train_em(&hist, 300);
    let dependence = dependence_report(&model, &hist);
    progress(&format!(
        "train: EM {} iterations ({}), share of matches among candidates {:.4}; {}",
        model.em_iterations,
        if model.em_converged {
            "converged"
        } else {
            "not converged"
        },
        model.lambda,
        Concept::ALL
            .iter()
            .enumerate()
            .filter(|(c, _)| model.active[*c])
            .map(|(c, k)| {
                let w: Vec<String> = (1..model.m[c].len())
                    .map(|l| format!("{:.1}", model.weight(c, l as u8)))
                    .collect();
                format!("{} [{}]", k.name(), w.join(" "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    ));
    progress("score: all candidate pairs");
    let keep_bits = model_bits_for(&model, KEEP_PROBABILITY);
    let tables = ScoreTables::new(ds);
    let scorer = Scorer::new(ds, &model, &tables);
    let (edges, compared) = if keep_patterns {
        use rayon::prelude::*;
        let edges: Vec<Edge> = seen
            .par_iter()
            .filter_map(|&(i, j, p)| {
                let (a, b) = (&ds.records[i as usize], &ds.records[j as usize]);
                let bits = scorer.score_pattern(p, a, b);
                (bits >= keep_bits).then_some(Edge {
                    a: i,
                    b: j,
                    bits: bits as f32,
                })
            })
            .collect();
        (edges, seen.len() as u64)
    } else {
        blocker.for_each_pair(
            ds,
            1.0,
            || (Vec::<Edge>::new(), 0u64),
            |acc, _, i, j, a, b| {
                acc.1 += 1;
                let (bits, _) = scorer.score(a, b);
                if bits >= keep_bits {
                    acc.0.push(Edge {
                        a: i,
                        b: j,
                        bits: bits as f32,
                    });
                }
            },
            |mut x, mut y| {
                x.0.append(&mut y.0);
                (x.0, x.1 + y.1)
            },
        )
    };
    drop(seen);
    progress(&format!(
        "score: {compared} pairs compared, {} kept (p >= {KEEP_PROBABILITY})",
        edges.len()
    ));
    let summary = Summary {
        records: ds.len(),
        pairs_compared: compared,
        rules: blocker.stats.clone(),
        em_iterations: model.em_iterations,
        em_converged: model.em_converged,
        lambda: model.lambda,
        dependence,
        ..Summary::default()
    };
    Resolution {
        model,
        blocker,
        edges,
        summary,
    }
}

/// The weight in bits at which the calibrated probability equals `p`.
pub fn model_bits_for(model: &Model, p: f64) -> f64 {
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    let z = (p / (1.0 - p)).ln();
    let (a, b) = model.calibration;
    ((z - b) / a) / std::f64::consts::LN_2
}

/// Refines the model with labelled pairs `(record, record, is_match)`: m (and u, when
/// non-matches are given) move towards the labelled level frequencies, kept edges are re-scored,
/// and when both classes are present a Platt calibration is fitted so probabilities match the
/// labelled outcome rates.
pub fn apply_labels(ds: &Dataset, res: &mut Resolution, labels: &[(u32, u32, bool)]) {
    if labels.is_empty() {
        return;
    }
    let n = ds.len() as u32;
    let labels: Vec<(u32, u32, bool)> = labels
        .iter()
        .copied()
        .filter(|l| l.0 < n && l.1 < n && l.0 != l.1)
        .collect();
    let (mut hm, mut hn) = (Histogram::default(), Histogram::default());
    for &(i, j, is_match) in &labels {
        let p = crate::compare::compare(
            ds,
            &res.model.active,
            &ds.records[i as usize],
            &ds.records[j as usize],
        );
        *(if is_match { &mut hm } else { &mut hn })
            .entry(p)
            .or_default() += 1;
    }
    res.model.refine_with_labels(&hm, &hn);
    let tables = ScoreTables::new(ds);
    let scored: Vec<(f64, bool)> = {
        let scorer = Scorer::new(ds, &res.model, &tables);
        for e in &mut res.edges {
            e.bits = scorer
                .score(&ds.records[e.a as usize], &ds.records[e.b as usize])
                .0 as f32;
        }
        labels
            .iter()
            .map(|&(i, j, m)| {
                (
                    scorer
                        .score(&ds.records[i as usize], &ds.records[j as usize])
                        .0
                        * std::f64::consts::LN_2,
                    m,
                )
            })
            .collect()
    };
    res.model.fit_calibration(&scored);
}

/// Deduplicates: returns the resolution and a cluster id per record.
pub fn dedupe(ds: &Dataset, progress: &(dyn Fn(&str) + Sync)) -> (Resolution, Vec<u32>) {
    dedupe_labelled(ds, &[], progress)
}

/// [`dedupe`] with labelled pairs applied (see [`apply_labels`]) before clustering.
pub fn dedupe_labelled(
    ds: &Dataset,
    labels: &[(u32, u32, bool)],
    progress: &(dyn Fn(&str) + Sync),
) -> (Resolution, Vec<u32>) {
    let mut res = resolve(ds, false, progress);
    if !labels.is_empty() {
        progress(&format!(
            "train: refining with {} labelled pairs",
            labels.len()
        ));
        apply_labels(ds, &mut res, labels);
    }
    let min_bits = model_bits_for(&res.model, ds.config.threshold);
    res.summary.matches = res
        .edges
        .iter()
        .filter(|e| f64::from(e.bits) >= min_bits)
        .count() as u64;
    progress(&format!(
        "cluster: {} pairs at or above the threshold; merging strongest first with average-linkage checks",
        res.summary.matches
    ));
    let tables = ScoreTables::new(ds);
    let scorer = Scorer::new(ds, &res.model, &tables);
    let nid = Concept::ALL
        .iter()
        .position(|c| *c == Concept::NationalId)
        .unwrap_or(5);
    let (ids, stats) = cluster_with_stats(
        ds.len(),
        &res.edges,
        min_bits,
        |i, j| {
            scorer
                .score(&ds.records[i as usize], &ds.records[j as usize])
                .0
        },
        |i, j| {
            res.model.active[nid]
                && compare_concept(
                    ds,
                    Concept::NationalId,
                    &ds.records[i as usize],
                    &ds.records[j as usize],
                ) == 4
                && res.model.weight(nid, 4) < -8.0
        },
    );
    res.summary.clustering = stats;
    res.summary.clusters = ids.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    (res, ids)
}

/// Links two sources: returns (left record, right record, probability) at or above the
/// threshold, best first per left record.
pub fn link(ds: &Dataset, progress: &(dyn Fn(&str) + Sync)) -> (Resolution, Vec<(u32, u32, f64)>) {
    link_labelled(ds, &[], progress)
}

/// [`link`] with labelled pairs applied (see [`apply_labels`]) before thresholding.
pub fn link_labelled(
    ds: &Dataset,
    labels: &[(u32, u32, bool)],
    progress: &(dyn Fn(&str) + Sync),
) -> (Resolution, Vec<(u32, u32, f64)>) {
    let mut res = resolve(ds, true, progress);
    if !labels.is_empty() {
        progress(&format!(
            "train: refining with {} labelled pairs",
            labels.len()
        ));
        apply_labels(ds, &mut res, labels);
    }
    let min_bits = model_bits_for(&res.model, ds.config.threshold);
    let mut links: Vec<(u32, u32, f64)> = res
        .edges
        .iter()
        .filter(|e| f64::from(e.bits) >= min_bits)
        .map(|e| {
            let (l, r) = if ds.records[e.a as usize].source == 0 {
                (e.a, e.b)
            } else {
                (e.b, e.a)
            };
            (l, r, res.model.probability(f64::from(e.bits)))
        })
        .collect();
    links.sort_by(|x, y| x.0.cmp(&y.0).then(y.2.total_cmp(&x.2)).then(x.1.cmp(&y.1)));
    links.dedup_by_key(|x| (x.0, x.1));
    res.summary.matches = links.len() as u64;
    (res, links)
}
