//! PageRank by power iteration, step for step as networkx 3.6's `pagerank` (scipy version).
//!
//! Each iteration computes `x' = alpha (x P + (sum of x over dangling nodes) / n) + (1 - alpha) / n`
//! where `P` is the adjacency matrix (a self-loop once, weights when `weighted`) divided by each
//! row's sum, and a dangling node is one whose row sums to 0; an undirected edge counts in both
//! directions. It stops when the L1 change is below `n * tol`, as networkx does, so values agree
//! with networkx's to well within that tolerance (in practice to about 1e-15).

use super::vector::{adjacency_weights, fill, l1_distance, parallel, row_sum};
use crate::{Graph, GraphError};

#[derive(Clone, Copy, Debug)]
pub struct PageRankOptions {
    pub alpha: f64,
    pub tol: f64,
    pub max_iter: usize,
    pub weighted: bool,
}

impl Default for PageRankOptions {
    /// networkx's defaults: alpha 0.85, tol 1e-6, 100 iterations, `weight="weight"`.
    fn default() -> Self {
        PageRankOptions {
            alpha: 0.85,
            tol: 1e-6,
            max_iter: 100,
            weighted: true,
        }
    }
}

/// One value per node (index = node id), summing to 1.
pub fn pagerank(g: &Graph, options: &PageRankOptions) -> Result<Vec<f64>, GraphError> {
    let n = g.node_count();
    if n == 0 {
        return Ok(Vec::new());
    }
    if !(options.alpha > 0.0 && options.alpha < 1.0) {
        return Err(GraphError::InvalidArgument(format!(
            "alpha {} is not in (0, 1)",
            options.alpha
        )));
    }
    let out = &g.out;
    let inc = g.inbound();
    let parallel = parallel(inc.nbr.len());
    // The weight of the i-th in-adjacency entry (the out-adjacency too when undirected).
    let in_weights = if options.weighted {
        adjacency_weights(g, inc, parallel)
    } else {
        Vec::new()
    };
    let out_weight = |i: usize| match (options.weighted, g.is_directed()) {
        (false, _) => 1.0,
        (true, false) => in_weights[i],
        (true, true) => g.weight(out.edge[i]),
    };
    let out_strength: Vec<f64> = (0..n).map(|u| out.range(u).map(out_weight).sum()).collect();
    let inv: Vec<f64> = out_strength
        .iter()
        .map(|&s| if s != 0.0 { 1.0 / s } else { 0.0 })
        .collect();
    let dangling: Vec<usize> = (0..n).filter(|&u| out_strength[u] == 0.0).collect();
    let nf = n as f64;
    let p = 1.0 / nf;
    let mut x = vec![p; n];
    let mut contrib = vec![0.0; n];
    let mut next = vec![0.0; n];
    for _ in 0..options.max_iter {
        fill(parallel, &mut contrib, |u| x[u] * inv[u]);
        let dangling_sum: f64 = dangling.iter().map(|&u| x[u]).sum();
        let base = options.alpha * dangling_sum * p + (1.0 - options.alpha) * p;
        fill(parallel, &mut next, |v| {
            let weights = in_weights.get(inc.range(v)).unwrap_or(&[]);
            options.alpha * row_sum(&contrib, inc.neighbours(v), weights) + base
        });
        let err = l1_distance(parallel, &next, &x);
        std::mem::swap(&mut x, &mut next);
        if err < nf * options.tol {
            return Ok(x);
        }
    }
    Err(GraphError::NotConverged {
        algorithm: "PageRank",
        iterations: options.max_iter,
    })
}
