//! Eigenvector centrality by power iteration on `A + I`, step for step as networkx 3.6's
//! `eigenvector_centrality`: start from the uniform vector, normalise to unit Euclidean length
//! each step, stop when the L1 change is below `n * tol`. In a directed graph a node is central
//! when central nodes point to it (the left eigenvector), as in networkx.

use super::vector::{adjacency_weights, divide, fill, l1_distance, parallel, row_sum};
use crate::{Graph, GraphError};

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
    let parallel = parallel(inc.nbr.len());
    // The weight of the i-th in-adjacency entry, read in order by every iteration.
    let in_weights = if options.weighted {
        adjacency_weights(g, inc, parallel)
    } else {
        Vec::new()
    };
    let nf = n as f64;
    let mut x = vec![1.0 / nf; n];
    let mut next = vec![0.0; n];
    for _ in 0..options.max_iter {
        fill(parallel, &mut next, |v| {
            let weights = in_weights.get(inc.range(v)).unwrap_or(&[]);
            x[v] + row_sum(&x, inc.neighbours(v), weights)
        });
        let norm = next.iter().map(|a| a * a).sum::<f64>().sqrt();
        let norm = if norm == 0.0 { 1.0 } else { norm };
        divide(parallel, &mut next, norm);
        let err = l1_distance(parallel, &next, &x);
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
