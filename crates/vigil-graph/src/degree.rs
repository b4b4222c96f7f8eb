//! Degree and weighted degree, counted as networkx counts them: a self-loop adds 2 (in+out in a
//! directed graph), and a directed node's degree is its in-degree plus its out-degree.
//!
//! Degrees are read from the adjacency offsets (an undirected self-loop is listed once, so it is
//! counted once more); weighted degrees from one pass over the edge list, which is sequential
//! where the adjacency would look every weight up at random.

use crate::Graph;

/// Number of edge ends at each node.
pub fn degree(g: &Graph) -> Vec<u64> {
    let out = &g.out.off;
    if g.is_directed() {
        let inc = &g.inc.off;
        return (0..g.node_count())
            .map(|v| (out[v + 1] - out[v] + inc[v + 1] - inc[v]) as u64)
            .collect();
    }
    let mut d: Vec<u64> = out.windows(2).map(|w| (w[1] - w[0]) as u64).collect();
    for &v in &g.self_loops {
        d[v as usize] += 1;
    }
    d
}

/// Sum of the weights of the edge ends at each node.
pub fn weighted_degree(g: &Graph) -> Vec<f64> {
    let mut d = vec![0.0; g.node_count()];
    // Consecutive edges mostly share their source, so adding each weight straight into
    // `d[source]` would chain every addition on the one before it; a run of equal sources is
    // summed in four lanes instead and added once.
    let mut run_source: Option<usize> = None;
    let mut lanes = [0.0f64; 4];
    let flush = |d: &mut [f64], source: Option<usize>, lanes: &mut [f64; 4]| {
        if let Some(s) = source {
            d[s] += (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        }
        *lanes = [0.0; 4];
    };
    for (i, e) in g.edges().iter().enumerate() {
        let s = e.source.index();
        if run_source != Some(s) {
            flush(&mut d, run_source, &mut lanes);
            run_source = Some(s);
        }
        lanes[i % 4] += e.weight;
        d[e.target.index()] += e.weight;
    }
    flush(&mut d, run_source, &mut lanes);
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Direction, GraphBuilder};

    fn triangle_with_loop(direction: Direction) -> Graph {
        let mut b = GraphBuilder::new(direction);
        b.add_edge_by_key("a", "b", 1.5).unwrap();
        b.add_edge_by_key("b", "c", 2.0).unwrap();
        b.add_edge_by_key("c", "a", 4.0).unwrap();
        b.add_edge_by_key("a", "a", 0.25).unwrap();
        b.build().unwrap()
    }

    #[test]
    fn a_self_loop_counts_twice_either_way() {
        for direction in [Direction::Undirected, Direction::Directed] {
            let g = triangle_with_loop(direction);
            assert_eq!(degree(&g), vec![4, 2, 2], "{direction:?}");
            assert_eq!(
                weighted_degree(&g),
                vec![1.5 + 4.0 + 0.5, 3.5, 6.0],
                "{direction:?}"
            );
        }
    }
}
