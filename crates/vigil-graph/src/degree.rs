//! Degree and weighted degree, counted as networkx counts them: a self-loop adds 2 (in+out in a
//! directed graph), and a directed node's degree is its in-degree plus its out-degree.

use crate::Graph;

/// Number of edge ends at each node.
pub fn degree(g: &Graph) -> Vec<u64> {
    strength(g, |_| 1.0).into_iter().map(|d| d as u64).collect()
}

/// Sum of the weights of the edge ends at each node.
pub fn weighted_degree(g: &Graph) -> Vec<f64> {
    strength(g, |w| w)
}

fn strength(g: &Graph, f: impl Fn(f64) -> f64) -> Vec<f64> {
    let mut d = vec![0.0; g.node_count()];
    for e in g.edges() {
        let w = f(e.weight);
        d[e.source.index()] += w;
        d[e.target.index()] += w;
    }
    d
}
