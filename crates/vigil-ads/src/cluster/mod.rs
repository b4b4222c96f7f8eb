//! Operations (A3): near-duplicate text clustering (MinHash LSH verified by exact Jaccard) joined
//! with hard-selector edges, generic-value suppression (X5) and per-link explanations (§7).

mod buckets;
mod minhash;
mod operations;
mod text;
mod union_find;

pub use minhash::{band_keys, candidate_probability, MinHashScheme, MinHasher};
#[cfg(test)]
pub(crate) use operations::{agreements, binomial_quantile, SketchFilter};
pub use operations::{
    ClusterStats, Clusterer, Link, LinkReason, Operation, Operations, PreparedAd, SelectorCount,
    Suppressed, SuppressionReason,
};
pub use text::{jaccard5, jaccard_at_least, jaccard_sorted, normalise, shingles};
pub use union_find::UnionFind;

use rustc_hash::FxHashSet;

/// Clustering parameters. Every value is explicit so a result can be reproduced.
#[derive(Clone, Debug)]
pub struct ClusterConfig {
    /// Exact Jaccard a candidate pair must reach to become a text edge.
    pub threshold: f64,
    /// LSH bands `b`.
    pub bands: usize,
    /// Rows per band `r`; `bands * rows <= num_perm`.
    pub rows: usize,
    /// MinHash signature slots ("permutations").
    pub num_perm: usize,
    /// How signatures are computed (both estimate Jaccard; exact Jaccard decides every link).
    pub scheme: MinHashScheme,
    /// Seed of the MinHash hash family.
    pub seed: u64,
    /// A selector seen in more distinct text clusters than this is generic: it annotates, it
    /// does not merge.
    pub generic_max_text_clusters: usize,
    /// A selector seen in more distinct cities than this is generic.
    pub generic_max_cities: usize,
    /// A selector that appears alongside more distinct other selector values than this is
    /// generic: a switchboard or hotline sits next to the numbers of many unrelated operations,
    /// while an operation's own number keeps company with a handful of its own.
    pub generic_max_co_values: usize,
    /// Deployment list of known generic values (hotlines, switchboards), compared with the
    /// normalised selector value.
    pub stoplist: FxHashSet<String>,
    /// Most exact-Jaccard checks spent on one LSH bucket; buckets beyond it are counted in the
    /// statistics (a bucket that large means boilerplate shared by unrelated ads).
    pub max_checks_per_bucket: usize,
    /// Also emit one-ad operations.
    pub include_singletons: bool,
    /// Add hard-selector edges (false: text links only, for comparison with text-only tools).
    pub use_selectors: bool,
}

impl Default for ClusterConfig {
    /// t = 0.7 with (b, r) = (21, 6) on 128 permutations: implied threshold (1/21)^(1/6) ≈ 0.60,
    /// 93% candidate probability at s = 0.7; exact Jaccard decides (§7).
    fn default() -> Self {
        Self {
            threshold: 0.7,
            bands: 21,
            rows: 6,
            num_perm: 128,
            scheme: MinHashScheme::OnePermutation,
            seed: 1,
            generic_max_text_clusters: 20,
            generic_max_cities: 12,
            generic_max_co_values: 8,
            stoplist: FxHashSet::default(),
            max_checks_per_bucket: 200_000,
            include_singletons: false,
            use_selectors: true,
        }
    }
}

/// Why a clustering could not run.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ClusterError {
    /// `bands * rows` exceeds the number of permutations, or one of them is zero.
    #[error("bands × rows = {bands} × {rows} must be between 1 and num_perm = {num_perm}")]
    Banding {
        bands: usize,
        rows: usize,
        num_perm: usize,
    },
    /// The threshold is not in (0, 1].
    #[error("threshold {0} must be in (0, 1]")]
    Threshold(f64),
    /// More ads than a `u32` index can address.
    #[error("more than {max} ads in one clustering run", max = u32::MAX)]
    TooManyAds,
}

impl ClusterConfig {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), ClusterError> {
        if self.bands == 0 || self.rows == 0 || self.bands * self.rows > self.num_perm {
            return Err(ClusterError::Banding {
                bands: self.bands,
                rows: self.rows,
                num_perm: self.num_perm,
            });
        }
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(ClusterError::Threshold(self.threshold));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
