//! Eigenvector centrality by power iteration on `A + I`, step for step as networkx 3.6's
//! `eigenvector_centrality`: start from the uniform vector, normalise to unit Euclidean length
//! each step, stop when the L1 change is below `n * tol`. In a directed graph a node is central
//! when central nodes point to it (the left eigenvector), as in networkx.

use crate::{Graph, GraphError};
use rayon::prelude::*;

#[derive(Clone, Copy, Debug)]
pub struct EigenvectorOptions {
    pub tol: f64,
    pub max_iter: usize,
    pub weighted: bool,
}

impl Default for EigenvectorOptions {
    /// networkx's defaults (tol 1e-6, 100 iterations), with weights used.
    fn default() -> Self {
        EigenvectorOptions {
            tol: 1e-6,
            max_iter: 100,
            weighted: true,
        }
    }
}

pub fn eigenvector_centrality(
    g: &Graph,
    options: &EigenvectorOptions,
) -> Result<Vec<f64>, GraphError> {
    let n = g.node_count();
    if n == 0 {
        return Ok(Vec::new());
    }
    let inc = g.inbound();
    let w = |e: u32| if options.weighted { g.weight(e) } else { 1.0 };
    let nf = n as f64;
    let mut x = vec![1.0 / nf; n];
    let mut next = vec![0.0; n];
    for _ in 0..options.max_iter {
        next.par_iter_mut()
            .enumerate()
            .with_min_len(1024)
            .for_each(|(v, slot)| {
                let mut s = x[v];
                for i in inc.range(v) {
                    s += x[inc.nbr[i] as usize] * w(inc.edge[i]);
                }
                *slot = s;
            });
        let norm = next.iter().map(|a| a * a).sum::<f64>().sqrt();
        let norm = if norm == 0.0 { 1.0 } else { norm };
        next.par_iter_mut().for_each(|a| *a /= norm);
        let err: f64 = next
            .par_iter()
            .zip(x.par_iter())
            .map(|(a, b)| (a - b).abs())
            .sum();
        std::mem::swap(&mut x, &mut next);
        if err < nf * options.tol {
            return Ok(x);
        }
    }
    Err(GraphError::NotConverged {
        algorithm: "eigenvector centrality",
        iterations: options.max_iter,
    })
}
