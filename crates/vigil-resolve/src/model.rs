//! The Fellegi-Sunter model: m/u per concept level, estimated without labels by EM over the
//! agreement-pattern histogram (u initialised from random pairs), optionally refined with
//! labelled pairs, plus term-frequency adjustment and Platt calibration.

use crate::compare::{level_of, Concept, Pattern, CONCEPTS};
use rustc_hash::FxHashMap;

/// Smallest probability any m or u may take (keeps weights finite).
const FLOOR: f64 = 1e-6;

/// Counts of agreement patterns over a set of pairs.
pub type Histogram = FxHashMap<Pattern, u64>;

/// m and u per level for each concept, and the share of matches among candidate pairs.
#[derive(Clone, Debug)]
pub struct Model {
    pub active: [bool; CONCEPTS],
    /// `m[c][l]`: P(level l | match); index 0 (missing) unused.
    pub m: Vec<Vec<f64>>,
    /// `u[c][l]`: P(level l | non-match among candidate pairs).
    pub u: Vec<Vec<f64>>,
    /// `u` as measured on random pairs (reported; used to start EM).
    pub u_random: Vec<Vec<f64>>,
    /// P(match) among candidate pairs.
    pub lambda: f64,
    /// Platt calibration `p = σ(a·ln-odds + b)`; identity by default.
    pub calibration: (f64, f64),
    /// EM iterations run and whether it converged.
    pub em_iterations: usize,
    pub em_converged: bool,
}

fn level_count(c: usize) -> usize {
    Concept::ALL[c].levels().len()
}

fn normalise(v: &mut [f64]) {
    for x in v.iter_mut().skip(1) {
        *x = x.max(FLOOR);
    }
    let s: f64 = v.iter().skip(1).sum();
    if s > 0.0 {
        for x in v.iter_mut().skip(1) {
            *x /= s;
        }
    }
    v[0] = 0.0;
}

/// Level frequencies from a histogram (e.g. of random pairs), per concept.
pub fn level_distribution(h: &Histogram) -> Vec<Vec<f64>> {
    let mut d: Vec<Vec<f64>> = (0..CONCEPTS).map(|c| vec![0.0; level_count(c)]).collect();
    for (&p, &n) in h {
        for (c, dc) in d.iter_mut().enumerate() {
            let l = usize::from(level_of(p, c));
            if l > 0 && l < dc.len() {
                dc[l] += n as f64;
            }
        }
    }
    for dc in &mut d {
        // Half a pseudo-count per level: a level never seen is rare, not impossible.
        for x in dc.iter_mut().skip(1) {
            *x += 0.5;
        }
        normalise(dc);
    }
    d
}

impl Model {
    /// A starting model: m falls geometrically from the best level; u from random pairs.
    pub fn initial(active: [bool; CONCEPTS], u_random: Vec<Vec<f64>>) -> Model {
        let m = (0..CONCEPTS)
            .map(|c| {
                let mut v: Vec<f64> = (0..level_count(c))
                    .map(|l| {
                        if l == 0 {
                            0.0
                        } else {
                            0.5f64.powi(l as i32 * 2 - 1)
                        }
                    })
                    .collect();
                normalise(&mut v);
                v
            })
            .collect();
        Model {
            active,
            m,
            u: u_random.clone(),
            u_random,
            lambda: 0.1,
            calibration: (1.0, 0.0),
            em_iterations: 0,
            em_converged: false,
        }
    }

    /// Match weight of one concept level in bits (log2 m/u); 0 for the missing level.
    pub fn weight(&self, c: usize, level: u8) -> f64 {
        let l = usize::from(level);
        if l == 0 || c >= CONCEPTS || !self.active[c] || l >= self.m[c].len() {
            return 0.0;
        }
        (self.m[c][l] / self.u[c][l]).log2()
    }

    /// Prior log-odds of a candidate pair in bits.
    pub fn prior_bits(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    /// Total match weight of a pattern in bits, without term-frequency adjustments.
    pub fn pattern_bits(&self, p: Pattern) -> f64 {
        self.prior_bits()
            + (0..CONCEPTS)
                .map(|c| self.weight(c, level_of(p, c)))
                .sum::<f64>()
    }

    /// Calibrated probability of a total weight in bits.
    pub fn probability(&self, bits: f64) -> f64 {
        let ln_odds = bits * std::f64::consts::LN_2;
        let z = self.calibration.0 * ln_odds + self.calibration.1;
        1.0 / (1.0 + (-z).exp())
    }

    /// Expectation-maximisation of m, u and λ over a candidate-pair histogram.
    pub fn train_em(&mut self, h: &Histogram, max_iter: usize) {
        let patterns: Vec<(Pattern, f64)> = h.iter().map(|(&p, &n)| (p, n as f64)).collect();
        let total: f64 = patterns.iter().map(|x| x.1).sum();
        if total == 0.0 {
            return;
        }
        for it in 0..max_iter {
            let mut m_acc: Vec<Vec<f64>> =
                (0..CONCEPTS).map(|c| vec![0.0; level_count(c)]).collect();
            let mut u_acc = m_acc.clone();
            let mut matches = 0.0;
            for &(p, n) in &patterns {
                let bits = self.pattern_bits(p);
                let g = 1.0 / (1.0 + (-bits).exp2());
                matches += g * n;
                for c in 0..CONCEPTS {
                    let l = usize::from(level_of(p, c));
                    if l > 0 && self.active[c] && l < m_acc[c].len() {
                        m_acc[c][l] += g * n;
                        u_acc[c][l] += (1.0 - g) * n;
                    }
                }
            }
            let new_lambda = (matches / total).clamp(1e-9, 1.0 - 1e-9);
            let mut delta = (new_lambda - self.lambda).abs();
            for c in 0..CONCEPTS {
                if !self.active[c] {
                    continue;
                }
                // Tiny pseudo-counts from the current estimate keep unseen levels finite.
                for l in 1..m_acc[c].len() {
                    m_acc[c][l] += 1e-3 * self.m[c][l];
                    u_acc[c][l] += 1e-3 * self.u[c][l];
                }
                normalise(&mut m_acc[c]);
                normalise(&mut u_acc[c]);
                for l in 1..m_acc[c].len() {
                    delta = delta
                        .max((m_acc[c][l] - self.m[c][l]).abs())
                        .max((u_acc[c][l] - self.u[c][l]).abs());
                }
            }
            for c in 0..CONCEPTS {
                if self.active[c] {
                    // Blocking only enriches agreement among candidate non-matches, so u of a
                    // level never falls far below its random-pair value; this bounds weights on
                    // small or degenerate inputs.
                    for l in 1..u_acc[c].len() {
                        u_acc[c][l] = u_acc[c][l].max(0.5 * self.u_random[c][l]);
                    }
                    normalise(&mut u_acc[c]);
                    self.m[c] = std::mem::take(&mut m_acc[c]);
                    self.u[c] = std::mem::take(&mut u_acc[c]);
                }
            }
            self.lambda = new_lambda;
            self.em_iterations = it + 1;
            if delta < 1e-6 {
                self.em_converged = true;
                break;
            }
        }
        self.enforce_monotone_agreement();
    }

    /// After EM, the best level of each concept must be evidence for a match: if EM inverted it
    /// (a sign of a degenerate split), fall back to the random-pair u for that concept.
    fn enforce_monotone_agreement(&mut self) {
        for c in 0..CONCEPTS {
            if self.active[c] && self.m[c].len() > 1 && self.m[c][1] < self.u[c][1] {
                self.u[c] = self.u_random[c].clone();
            }
        }
    }

    /// Refines m and u from labelled pattern counts: `matches` and `non_matches` histograms
    /// of labelled pairs. For each concept, m becomes a blend of the EM estimate and the level
    /// frequencies among labelled matches where that concept was present, weighted by how many
    /// there were (20 labels weigh as much as EM); u likewise from labelled non-matches (200
    /// labels weigh as much). A concept missing from every labelled pair keeps its estimate, so
    /// a single label moves m (or u) of exactly the levels it shows, towards that level.
    pub fn refine_with_labels(&mut self, matches: &Histogram, non_matches: &Histogram) {
        fn blend(target: &mut [Vec<f64>], h: &Histogram, prior_weight: f64) {
            let mut counts: Vec<Vec<f64>> = target.iter().map(|v| vec![0.0; v.len()]).collect();
            for (&p, &n) in h {
                for (c, cc) in counts.iter_mut().enumerate() {
                    let l = usize::from(level_of(p, c));
                    if l > 0 && l < cc.len() {
                        cc[l] += n as f64;
                    }
                }
            }
            for (tc, cc) in target.iter_mut().zip(&counts) {
                let n: f64 = cc.iter().sum();
                if n == 0.0 {
                    continue;
                }
                let w = n / (n + prior_weight);
                for (x, y) in tc.iter_mut().zip(cc).skip(1) {
                    *x = (1.0 - w) * *x + w * y / n;
                }
                normalise(tc);
            }
        }
        blend(&mut self.m, matches, 20.0);
        blend(&mut self.u, non_matches, 200.0);
    }

    /// Fits Platt calibration `σ(a·x + b)` to labelled `(ln-odds, is_match)` scores by Newton's
    /// method on the log-loss (with Platt's target smoothing).
    pub fn fit_calibration(&mut self, scored: &[(f64, bool)]) {
        let pos = scored.iter().filter(|s| s.1).count() as f64;
        let neg = scored.len() as f64 - pos;
        if pos == 0.0 || neg == 0.0 {
            return;
        }
        let (t_pos, t_neg) = ((pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0));
        let loss = |a: f64, b: f64| -> f64 {
            scored
                .iter()
                .map(|&(x, y)| {
                    let t = if y { t_pos } else { t_neg };
                    let z = a * x + b;
                    // log(1 + e^z) − t·z, computed stably.
                    let softplus = if z > 0.0 {
                        z + (-z).exp().ln_1p()
                    } else {
                        z.exp().ln_1p()
                    };
                    softplus - t * z
                })
                .sum()
        };
        let (mut a, mut b) = (1.0, 0.0);
        let mut current = loss(a, b);
        for _ in 0..100 {
            let (mut g_a, mut g_b, mut h_aa, mut h_ab, mut h_bb) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for &(x, y) in scored {
                let t = if y { t_pos } else { t_neg };
                let p = 1.0 / (1.0 + (-(a * x + b)).exp());
                let d = p - t;
                let w = (p * (1.0 - p)).max(1e-12);
                g_a += d * x;
                g_b += d;
                h_aa += w * x * x;
                h_ab += w * x;
                h_bb += w;
            }
            let det = h_aa * h_bb - h_ab * h_ab;
            if det.abs() < 1e-12 {
                break;
            }
            let (da, db) = (
                (h_bb * g_a - h_ab * g_b) / det,
                (h_aa * g_b - h_ab * g_a) / det,
            );
            // Backtracking: halve the Newton step until the loss does not increase.
            let mut step = 1.0;
            let mut improved = false;
            for _ in 0..30 {
                let (na, nb) = (a - step * da, b - step * db);
                let l = loss(na, nb);
                if l <= current {
                    a = na;
                    b = nb;
                    improved = current - l > 1e-10;
                    current = l;
                    break;
                }
                step /= 2.0;
            }
            if !improved {
                break;
            }
        }
        if a.is_finite() && b.is_finite() && a > 0.0 {
            self.calibration = (a, b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Draws patterns from a known two-class model over three concepts and checks that EM
    /// recovers λ and m/u of the agreeing level.
    #[test]
    fn em_recovers_known_model() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        // Concepts 0 (name, 12 levels), 1 (dob, 7 levels), 5 (national id, 4 levels): use level 1
        // (agree) vs the last level (disagree) only.
        let truth = [
            (0usize, 0.9, 0.02, 12u32),
            (1, 0.85, 0.01, 7),
            (5, 0.95, 0.001, 4),
        ];
        let lambda = 0.2;
        let mut h = Histogram::default();
        for _ in 0..200_000 {
            let is_match = rng.gen_bool(lambda);
            let mut p: Pattern = 0;
            for &(c, m, u, last) in &truth {
                let agree = rng.gen_bool(if is_match { m } else { u });
                p |= (if agree { 1 } else { last }) << (4 * c);
            }
            *h.entry(p).or_default() += 1;
        }
        let mut active = [false; CONCEPTS];
        for t in &truth {
            active[t.0] = true;
        }
        // Random pairs are almost all non-matches: draw them from the u side only.
        let mut random = Histogram::default();
        for _ in 0..50_000 {
            let mut p: Pattern = 0;
            for &(c, _, u, last) in &truth {
                p |= (if rng.gen_bool(u) { 1 } else { last }) << (4 * c);
            }
            *random.entry(p).or_default() += 1;
        }
        let mut model = Model::initial(active, level_distribution(&random));
        model.train_em(&h, 500);
        assert!(
            (model.lambda - lambda).abs() < 0.01,
            "lambda {}",
            model.lambda
        );
        for &(c, m, u, _) in &truth {
            assert!((model.m[c][1] - m).abs() < 0.02, "m[{c}] {}", model.m[c][1]);
            assert!((model.u[c][1] - u).abs() < 0.01, "u[{c}] {}", model.u[c][1]);
        }
    }

    #[test]
    fn one_label_moves_only_the_levels_it_shows() {
        let base = Model::initial([true; CONCEPTS], level_distribution(&Histogram::default()));
        // A labelled match agreeing on concept 1 at level 2; every other concept missing.
        let p: Pattern = 2 << 4;
        let mut matches = Histogram::default();
        matches.insert(p, 1);
        let mut model = base.clone();
        model.refine_with_labels(&matches, &Histogram::default());
        assert!(model.m[1][2] > base.m[1][2]);
        assert!(model.weight(1, 2) > base.weight(1, 2));
        assert!((model.m[1].iter().sum::<f64>() - 1.0).abs() < 1e-9);
        for c in (0..CONCEPTS).filter(|&c| c != 1) {
            assert_eq!(model.m[c], base.m[c], "concept {c} unchanged");
        }
        assert_eq!(model.u, base.u);
        // A labelled non-match with the same pattern raises u instead, lowering the weight.
        let mut model = base.clone();
        model.refine_with_labels(&Histogram::default(), &matches);
        assert!(model.weight(1, 2) < base.weight(1, 2));
        assert_eq!(model.m, base.m);
    }

    #[test]
    fn calibration_fits_a_known_slope() {
        // Scores whose true probability is σ(0.5·x − 1).
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let scored: Vec<(f64, bool)> = (0..20_000)
            .map(|_| {
                let x: f64 = rng.gen_range(-10.0..10.0);
                let p = 1.0 / (1.0 + (-(0.5 * x - 1.0)).exp());
                (x, rng.gen_bool(p))
            })
            .collect();
        let mut model = Model::initial([true; CONCEPTS], level_distribution(&Histogram::default()));
        model.fit_calibration(&scored);
        assert!(
            (model.calibration.0 - 0.5).abs() < 0.05,
            "{:?}",
            model.calibration
        );
        assert!(
            (model.calibration.1 + 1.0).abs() < 0.1,
            "{:?}",
            model.calibration
        );
    }
}
