//! MinHash signatures over shingle keys, LSH band keys, and the banding candidate probability
//! `1 − (1 − s^r)^b`. Two signature schemes: one-permutation hashing with optimal densification
//! (the default: one hash per shingle) and a family of `num_perm` seeded multiply-shift hashes
//! (one hash per shingle and function).

use super::text::mix64;
use rand_core_free::SeededStream;

/// How a signature is computed. Both give, per signature slot, a value that two sets share with
/// probability equal to their Jaccard similarity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MinHashScheme {
    /// One-permutation hashing (Li, Owen & Zhang 2012) with optimal densification (Shrivastava
    /// 2017): each shingle is hashed once, its hash picks one of `num_perm` bins and the bin keeps
    /// its minimum; an empty bin copies the value of a non-empty bin chosen by a seeded probe
    /// sequence that depends only on the bin. Cost `O(shingles + num_perm)`.
    #[default]
    OnePermutation,
    /// `num_perm` independent functions `h_i(x) = (a_i · mix(x) + b_i) >> 32`, each minimised
    /// over every shingle. Cost `O(shingles × num_perm)`.
    Permutations,
}

/// A seeded MinHash family of `num_perm` signature slots.
#[derive(Clone, Debug)]
pub struct MinHasher {
    a: Vec<u64>,
    b: Vec<u64>,
    scheme: MinHashScheme,
    /// Seed mixed into every shingle hash (one-permutation scheme).
    key: u64,
    /// Seed of the densification probe sequence.
    probe_key: u64,
}

impl MinHasher {
    /// `num_perm` multiply-shift functions drawn deterministically from `seed`
    /// ([`MinHashScheme::Permutations`]).
    pub fn new(num_perm: usize, seed: u64) -> Self {
        Self::with_scheme(num_perm, seed, MinHashScheme::Permutations)
    }

    /// A family of `num_perm` slots of `scheme`, drawn deterministically from `seed`.
    pub fn with_scheme(num_perm: usize, seed: u64, scheme: MinHashScheme) -> Self {
        let mut stream = SeededStream::new(seed);
        let (mut a, mut b) = (Vec::with_capacity(num_perm), Vec::with_capacity(num_perm));
        for _ in 0..num_perm {
            a.push(stream.next() | 1);
            b.push(stream.next());
        }
        let (key, probe_key) = (stream.next(), stream.next());
        Self {
            a,
            b,
            scheme,
            key,
            probe_key,
        }
    }

    /// Number of hash functions.
    pub fn num_perm(&self) -> usize {
        self.a.len()
    }

    /// The signature of a shingle set. Empty sets give all-max.
    pub fn signature(&self, shingles: &[u64]) -> Vec<u32> {
        match self.scheme {
            MinHashScheme::OnePermutation => self.one_permutation(shingles),
            MinHashScheme::Permutations => self.permutations(shingles),
        }
    }

    /// [`MinHashScheme::OnePermutation`]: the top 32 bits of a shingle's hash pick its bin, the
    /// low 32 bits are its value.
    fn one_permutation(&self, shingles: &[u64]) -> Vec<u32> {
        let k = self.a.len();
        let mut sig = vec![u32::MAX; k];
        if k == 0 {
            return sig;
        }
        let mut filled = vec![false; k];
        for &s in shingles {
            let h = mix64(s ^ self.key);
            let bin = (((h >> 32) * k as u64) >> 32) as usize;
            sig[bin] = sig[bin].min(h as u32);
            filled[bin] = true;
        }
        let filled_count = filled.iter().filter(|f| **f).count();
        if filled_count == 0 || filled_count == k {
            return sig;
        }
        // Optimal densification: bin i probes bins j = h(i, 1), h(i, 2), … until one that a
        // shingle filled, and copies its value. The probe sequence depends only on i (and the
        // seed), so two sets with the same filled bins copy the same values.
        for i in 0..k {
            if filled[i] {
                continue;
            }
            let mut attempt = 1u64;
            let from = loop {
                let h = mix64(self.probe_key ^ (((i as u64) << 32) | attempt));
                let j = (((h >> 32) * k as u64) >> 32) as usize;
                if filled[j] {
                    break j;
                }
                attempt += 1;
                if attempt > 4 * k as u64 {
                    // Astronomically unlikely; the first filled bin to the right is as
                    // deterministic.
                    break (1..k)
                        .map(|d| (i + d) % k)
                        .find(|&j| filled[j])
                        .unwrap_or(i);
                }
            };
            sig[i] = sig[from];
        }
        sig
    }

    /// [`MinHashScheme::Permutations`]: per function, the minimum hash.
    fn permutations(&self, shingles: &[u64]) -> Vec<u32> {
        // `>> 32` is monotone, so the minimum is taken over the full 64-bit values and shifted
        // once at the end.
        let mut sig = vec![u64::MAX; self.a.len()];
        let mut mixed = [0u64; 4];
        // Four shingles per pass over the functions: each function's coefficients and running
        // minimum are loaded once per four hashes (the loop is throughput-bound).
        let mut quads = shingles.chunks_exact(4);
        for q in quads.by_ref() {
            for (m, &s) in mixed.iter_mut().zip(q) {
                *m = mix64(s);
            }
            let [x0, x1, x2, x3] = mixed;
            for ((m, &a), &b) in sig.iter_mut().zip(&self.a).zip(&self.b) {
                let h = |x: u64| a.wrapping_mul(x).wrapping_add(b);
                *m = (*m).min(h(x0).min(h(x1)).min(h(x2).min(h(x3))));
            }
        }
        for &s in quads.remainder() {
            let x = mix64(s);
            for ((m, &a), &b) in sig.iter_mut().zip(&self.a).zip(&self.b) {
                *m = (*m).min(a.wrapping_mul(x).wrapping_add(b));
            }
        }
        sig.into_iter().map(|m| (m >> 32) as u32).collect()
    }

    /// The straightforward definition, kept to test the unrolled version against.
    #[cfg(test)]
    fn signature_reference(&self, shingles: &[u64]) -> Vec<u32> {
        (0..self.a.len())
            .map(|i| {
                shingles
                    .iter()
                    .map(|&s| {
                        (self.a[i].wrapping_mul(mix64(s)).wrapping_add(self.b[i]) >> 32) as u32
                    })
                    .min()
                    .unwrap_or(u32::MAX)
            })
            .collect()
    }
}

/// One key per band of `rows` consecutive signature values; bands beyond the signature are not
/// formed (the caller validates `bands * rows <= num_perm`).
pub fn band_keys(signature: &[u32], bands: usize, rows: usize) -> impl Iterator<Item = u64> + '_ {
    (0..bands).map(move |band| {
        let slice = signature.get(band * rows..(band + 1) * rows).unwrap_or(&[]);
        slice
            .iter()
            .fold(mix64(band as u64), |h, &v| mix64(h ^ u64::from(v)))
    })
}

/// Probability that two sets of Jaccard similarity `s` share at least one band of `rows` rows
/// among `bands` bands: `1 − (1 − s^rows)^bands`.
pub fn candidate_probability(s: f64, bands: u32, rows: u32) -> f64 {
    1.0 - (1.0 - s.powi(rows as i32)).powi(bands as i32)
}

/// A tiny deterministic stream (splitmix64) so the hash family needs no RNG crate.
mod rand_core_free {
    pub struct SeededStream(u64);
    impl SeededStream {
        pub fn new(seed: u64) -> Self {
            Self(seed)
        }
        pub fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            super::mix64(self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::text::{jaccard_sorted, normalise, shingles};

    /// The §7 banding table, rounded to three decimals.
    #[test]
    fn banding_table_rows() {
        let table: [((u32, u32), [&str; 6]); 6] = [
            (
                (25, 5),
                ["0.059", "0.548", "0.868", "0.990", "1.000", "1.000"],
            ),
            (
                (21, 6),
                ["0.015", "0.282", "0.633", "0.928", "0.998", "1.000"],
            ),
            (
                (14, 9),
                ["0.000", "0.027", "0.132", "0.438", "0.867", "0.999"],
            ),
            (
                (9, 13),
                ["0.000", "0.001", "0.012", "0.084", "0.399", "0.929"],
            ),
            (
                (5, 25),
                ["0.000", "0.000", "0.000", "0.001", "0.019", "0.311"],
            ),
            (
                (4, 5),
                ["0.010", "0.119", "0.277", "0.521", "0.796", "0.972"],
            ),
        ];
        for ((b, r), row) in table {
            for (s, want) in [0.3, 0.5, 0.6, 0.7, 0.8, 0.9].into_iter().zip(row) {
                assert_eq!(
                    format!("{:.3}", candidate_probability(s, b, r)),
                    want,
                    "(b={b}, r={r}) at s={s}"
                );
            }
        }
    }

    #[test]
    fn same_seed_same_family_and_estimate_tracks_jaccard() {
        let a = shingles(&normalise("New in town! Sweet young girl, 100% real pics, incall outcall available now, call 480 555 0142", &[], true));
        let b = shingles(&normalise("New in town! Sweet young girl, 100% real pics, incall and outcall available now, text 480 555 0199", &[], true));
        let h = MinHasher::new(128, 7);
        assert_eq!(h.signature(&a), MinHasher::new(128, 7).signature(&a));
        let (sa, sb) = (h.signature(&a), h.signature(&b));
        let est = sa.iter().zip(&sb).filter(|(x, y)| x == y).count() as f64 / 128.0;
        // 128 permutations: standard error about 0.04; allow five of them.
        assert!((est - jaccard_sorted(&a, &b)).abs() < 0.2, "estimate {est}");
    }

    proptest::proptest! {
        #[test]
        fn unrolled_signature_equals_the_definition(set in proptest::collection::vec(proptest::prelude::any::<u64>(), 0..40)) {
            let h = MinHasher::new(16, 3);
            proptest::prop_assert_eq!(h.signature(&set), h.signature_reference(&set));
        }
    }

    #[test]
    fn one_permutation_slots_agree_with_probability_jaccard() {
        // A = 0..200, B = 100..300: Jaccard 100 / 300. Mean agreement over many seeds.
        let a: Vec<u64> = (0..200).map(|x| x * 7_919).collect();
        let b: Vec<u64> = (100..300).map(|x| x * 7_919).collect();
        let (mut agree, mut slots) = (0usize, 0usize);
        for seed in 0..60 {
            let h = MinHasher::with_scheme(126, seed, MinHashScheme::OnePermutation);
            let (sa, sb) = (h.signature(&a), h.signature(&b));
            agree += sa.iter().zip(&sb).filter(|(x, y)| x == y).count();
            slots += sa.len();
        }
        let est = agree as f64 / slots as f64;
        assert!((est - 1.0 / 3.0).abs() < 0.03, "estimate {est}");
    }

    #[test]
    fn one_permutation_fills_every_slot_and_is_deterministic() {
        let h = MinHasher::with_scheme(126, 1, MinHashScheme::OnePermutation);
        let few = [1u64, 2, 3];
        let sig = h.signature(&few);
        assert_eq!(sig, h.signature(&few));
        assert!(sig.iter().all(|&v| v != u32::MAX), "densified: {sig:?}");
        assert!(h.signature(&[]).iter().all(|&v| v == u32::MAX));
        let s = shingles(&normalise(
            "New in town! Sweet young girl, 100% real pics, incall outcall available now",
            &[],
            true,
        ));
        let ka: Vec<u64> = band_keys(&h.signature(&s), 21, 6).collect();
        assert_eq!(ka, band_keys(&h.signature(&s), 21, 6).collect::<Vec<_>>());
    }

    #[test]
    fn identical_sets_share_every_band() {
        let s = shingles("identical text here");
        let h = MinHasher::new(128, 1);
        let ka: Vec<u64> = band_keys(&h.signature(&s), 21, 6).collect();
        let kb: Vec<u64> = band_keys(&h.signature(&s), 21, 6).collect();
        assert_eq!(ka, kb);
        assert_eq!(ka.len(), 21);
    }
}
