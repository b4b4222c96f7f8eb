//! Closeness and harmonic centrality alone, without the path counts and dependencies that the
//! Brandes sweep of [`super::paths`] needs for betweenness.
//!
//! With hop counts, 64 sources are searched at once: each node holds one bit per source in a
//! word, and one breadth-first level moves every source's frontier along each edge with a single
//! OR (the multi-source BFS of Then et al., "The More the Merrier", VLDB 2014). With weights as
//! distances, one Dijkstra search per source, the same as the sweep's without path counting.
//!
//! Sources (every node, or the same seeded sample) and formulas are those of
//! [`super::path_centrality`], so the values are the sweep's: closeness bit for bit (its distance
//! sums are whole numbers with hop counts; with weights the same relaxations run in the same
//! order, and harmonic is then bit for bit too); harmonic with hop counts to rounding, since it
//! adds `count/d` per level instead of `1/d` per source.

use super::paths::{
    check_distances, choose_sources, closeness_and_harmonic, hop_inverses, in_waves, Item, Reach,
    CHUNK,
};
use super::PathCentralityOptions;
use crate::{Graph, GraphError};
use std::collections::BinaryHeap;

/// Closeness and harmonic centrality, one value per node (index = node id).
#[derive(Clone, Debug)]
pub struct DistanceCentrality {
    pub closeness: Vec<f64>,
    pub harmonic: Vec<f64>,
    /// How many sources were used (n when exact).
    pub sources: usize,
    /// True when the values are estimates from sampled sources.
    pub sampled: bool,
}

/// Sources searched together by one breadth-first pass: one bit of a `u64` each.
const LANES: usize = 64;

/// Closeness and harmonic centrality as [`super::path_centrality`] defines them, from the same
/// sources; `options.confidence` is not used (it only qualifies betweenness).
pub fn distance_centrality(
    g: &Graph,
    options: &PathCentralityOptions,
) -> Result<DistanceCentrality, GraphError> {
    check_distances(g, options.weights_as_distance)?;
    let n = g.node_count();
    let (sources, sampled) = choose_sources(n, options.sampling)?;
    let mut total = vec![Reach::default(); n];
    if options.weights_as_distance {
        // The sweep's chunks, so that every node's sums are added in the sweep's order.
        let chunks: Vec<&[u32]> = sources.chunks(CHUNK).collect();
        in_waves(
            &chunks,
            |chunk| {
                let mut scratch = Dijkstra::new(n);
                let mut reach = vec![Reach::default(); n];
                for &s in chunk.iter() {
                    scratch.run(g, s as usize, &mut reach);
                }
                reach
            },
            |part| add(&mut total, &part),
        );
    } else {
        let batches: Vec<&[u32]> = sources.chunks(LANES).collect();
        let inverse = hop_inverses();
        in_waves(
            &batches,
            |batch| {
                let mut reach = vec![Reach::default(); n];
                breadth_first_lanes(g, batch, &inverse, &mut reach);
                reach
            },
            |part| add(&mut total, &part),
        );
    }
    let (closeness, harmonic) = closeness_and_harmonic(n, &sources, sampled, |v| total[v]);
    Ok(DistanceCentrality {
        closeness,
        harmonic,
        sources: sources.len(),
        sampled,
    })
}

fn add(total: &mut [Reach], part: &[Reach]) {
    for (a, b) in total.iter_mut().zip(part) {
        a.dist_sum += b.dist_sum;
        a.harmonic += b.harmonic;
        a.reached += b.reached;
    }
}

/// Breadth-first search from up to [`LANES`] sources at once, adding each source's hop distance
/// to every node it reaches (the node itself excepted) into `reach`.
fn breadth_first_lanes(g: &Graph, batch: &[u32], inverse: &[f64], reach: &mut [Reach]) {
    let n = g.node_count();
    let out = &g.out;
    // seen: sources that have reached the node; frontier: those that reached it at the current
    // level; next: those that reach it at the next level.
    let mut seen = vec![0u64; n];
    let mut frontier = vec![0u64; n];
    let mut next = vec![0u64; n];
    let mut active: Vec<u32> = Vec::with_capacity(batch.len());
    let mut touched: Vec<u32> = Vec::new();
    for (lane, &s) in batch.iter().enumerate() {
        let s = s as usize;
        if frontier[s] == 0 {
            active.push(s as u32);
        }
        seen[s] |= 1 << lane;
        frontier[s] |= 1 << lane;
    }
    let mut d: u32 = 0;
    while !active.is_empty() {
        d += 1;
        for &v in &active {
            let f = frontier[v as usize];
            for &w in out.neighbours(v as usize) {
                let w = w as usize;
                let fresh = f & !seen[w];
                if fresh != 0 {
                    if next[w] == 0 {
                        touched.push(w as u32);
                    }
                    next[w] |= fresh;
                }
            }
        }
        for &v in &active {
            frontier[v as usize] = 0;
        }
        let inv = inverse
            .get(d as usize)
            .copied()
            .unwrap_or_else(|| 1.0 / f64::from(d));
        for &w in &touched {
            let w = w as usize;
            let fresh = next[w];
            next[w] = 0;
            seen[w] |= fresh;
            frontier[w] = fresh;
            let count = fresh.count_ones();
            let r = &mut reach[w];
            r.reached += count;
            r.dist_sum += (u64::from(count) * u64::from(d)) as f64;
            r.harmonic += f64::from(count) * inv;
        }
        std::mem::swap(&mut active, &mut touched);
        touched.clear();
    }
}

/// Dijkstra's search state for one thread, reset after each source.
struct Dijkstra {
    dist: Vec<f64>,
    done: Vec<bool>,
    heap: BinaryHeap<Item>,
    touched: Vec<u32>,
}

impl Dijkstra {
    fn new(n: usize) -> Self {
        Dijkstra {
            dist: vec![f64::INFINITY; n],
            done: vec![false; n],
            heap: BinaryHeap::new(),
            touched: Vec::new(),
        }
    }

    /// Adds the distance from `s` to every node it reaches; the heap pops and relaxations are
    /// those of the sweep's search, so the distances are bit for bit the same.
    fn run(&mut self, g: &Graph, s: usize, reach: &mut [Reach]) {
        let out = &g.out;
        self.heap.clear();
        self.dist[s] = 0.0;
        self.heap.push(Item(0.0, s as u32));
        self.touched.push(s as u32);
        while let Some(Item(d, v)) = self.heap.pop() {
            let v = v as usize;
            if self.done[v] || d > self.dist[v] {
                continue;
            }
            self.done[v] = true;
            if v != s {
                let r = &mut reach[v];
                r.reached += 1;
                r.dist_sum += d;
                r.harmonic += 1.0 / d;
            }
            for i in out.range(v) {
                let w = out.nbr[i] as usize;
                if self.done[w] {
                    continue;
                }
                let nd = d + g.weight(out.edge[i]);
                if nd < self.dist[w] {
                    if self.dist[w] == f64::INFINITY {
                        self.touched.push(w as u32);
                    }
                    self.dist[w] = nd;
                    self.heap.push(Item(nd, w as u32));
                }
            }
        }
        for &v in &self.touched {
            self.dist[v as usize] = f64::INFINITY;
            self.done[v as usize] = false;
        }
        self.touched.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Direction, GraphBuilder, Sampling};

    fn path_graph(len: usize, direction: Direction) -> Graph {
        let mut b = GraphBuilder::new(direction);
        for i in 1..len {
            b.add_edge_by_key(&format!("p{}", i - 1), &format!("p{i}"), 1.0)
                .unwrap();
        }
        b.build().unwrap()
    }

    #[test]
    fn a_long_path_is_searched_level_by_level() {
        // 200 nodes: more levels than the 1/d table of short distances would need, four batches.
        let g = path_graph(200, Direction::Undirected);
        let options = PathCentralityOptions {
            sampling: Sampling::Exact,
            ..Default::default()
        };
        let d = distance_centrality(&g, &options).unwrap();
        // End node: distances 1..=199, closeness 199 / (199*200/2), harmonic H(199).
        assert!((d.closeness[0] - 199.0 / 19_900.0).abs() < 1e-15);
        let h199: f64 = (1..200).map(|k| 1.0 / f64::from(k)).sum();
        assert!((d.harmonic[0] - h199).abs() < 1e-12);
        assert_eq!(d.sources, 200);
        assert!(!d.sampled);
    }

    #[test]
    fn directed_distances_are_measured_to_the_node() {
        let g = path_graph(4, Direction::Directed);
        let options = PathCentralityOptions {
            sampling: Sampling::Exact,
            ..Default::default()
        };
        let d = distance_centrality(&g, &options).unwrap();
        // p0 is reached by nobody; p3 by p2, p1, p0 at 1, 2, 3 hops.
        assert_eq!(d.closeness[0], 0.0);
        assert_eq!(d.harmonic[0], 0.0);
        assert!((d.closeness[3] - 3.0 / 6.0).abs() < 1e-15);
        assert!((d.harmonic[3] - (1.0 + 0.5 + 1.0 / 3.0)).abs() < 1e-15);
    }

    #[test]
    fn non_positive_distances_are_refused() {
        let mut b = GraphBuilder::new(Direction::Undirected);
        b.add_edge_by_key("a", "b", 0.0).unwrap();
        let g = b.build().unwrap();
        let options = PathCentralityOptions {
            weights_as_distance: true,
            ..Default::default()
        };
        assert!(matches!(
            distance_centrality(&g, &options),
            Err(GraphError::InvalidArgument(_))
        ));
    }
}
