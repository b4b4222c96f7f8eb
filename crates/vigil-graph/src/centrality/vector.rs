//! Vector steps of the power iterations (PageRank, eigenvector): on rayon's threads for large
//! graphs, on the calling thread for small ones, where one iteration takes microseconds and
//! handing it to the pool (and waiting for its threads on a busy machine) would cost more.

use crate::graph::Csr;
use crate::Graph;
use rayon::prelude::*;

/// Graphs with fewer adjacency entries than this iterate on the calling thread.
const PARALLEL_MIN_ENTRIES: usize = 1 << 17;

/// Whether a power iteration over this many adjacency entries should use rayon's threads.
pub(crate) fn parallel(adjacency_entries: usize) -> bool {
    adjacency_entries >= PARALLEL_MIN_ENTRIES
}

/// `out[i] = f(i)` for every `i`.
pub(crate) fn fill(parallel: bool, out: &mut [f64], f: impl Fn(usize) -> f64 + Sync) {
    if parallel {
        out.par_iter_mut()
            .enumerate()
            .with_min_len(1024)
            .for_each(|(i, slot)| *slot = f(i));
    } else {
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = f(i);
        }
    }
}

/// Divides every element by `divisor`.
pub(crate) fn divide(parallel: bool, x: &mut [f64], divisor: f64) {
    if parallel {
        x.par_iter_mut()
            .with_min_len(1024)
            .for_each(|a| *a /= divisor);
    } else {
        x.iter_mut().for_each(|a| *a /= divisor);
    }
}

/// The L1 distance between two vectors of the same length.
pub(crate) fn l1_distance(parallel: bool, a: &[f64], b: &[f64]) -> f64 {
    if parallel {
        a.par_iter()
            .zip(b.par_iter())
            .with_min_len(1024)
            .map(|(x, y)| (x - y).abs())
            .sum()
    } else {
        a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum()
    }
}

/// The weight of every adjacency entry of `csr`, in its order, so that an iteration reads
/// weights sequentially instead of looking each one up in the edge list at random.
pub(crate) fn adjacency_weights(g: &Graph, csr: &Csr, parallel: bool) -> Vec<f64> {
    if parallel {
        csr.edge
            .par_iter()
            .with_min_len(4096)
            .map(|&e| g.weight(e))
            .collect()
    } else {
        csr.edge.iter().map(|&e| g.weight(e)).collect()
    }
}

/// `Σ x[nbr[i]] · weights[i]` over one adjacency row (`Σ x[nbr[i]]` when `weights` is empty),
/// kept in four running sums so that each addition need not wait for the one before: rows of
/// hundreds of entries (dense graphs) then take a quarter of the time. The order of additions
/// differs from a plain loop's by rounding only.
pub(crate) fn row_sum(x: &[f64], nbr: &[u32], weights: &[f64]) -> f64 {
    let mut sums = [0.0f64; 4];
    let mut rest = 0.0;
    if weights.is_empty() {
        let mut quads = nbr.chunks_exact(4);
        for q in &mut quads {
            for (s, &u) in sums.iter_mut().zip(q) {
                *s += x[u as usize];
            }
        }
        for &u in quads.remainder() {
            rest += x[u as usize];
        }
    } else {
        let mut quads = nbr.chunks_exact(4);
        let mut weight_quads = weights.chunks_exact(4);
        for (q, wq) in (&mut quads).zip(&mut weight_quads) {
            for ((s, &u), &w) in sums.iter_mut().zip(q).zip(wq) {
                *s += x[u as usize] * w;
            }
        }
        for (&u, &w) in quads.remainder().iter().zip(weight_quads.remainder()) {
            rest += x[u as usize] * w;
        }
    }
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + rest
}
