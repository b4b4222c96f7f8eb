//! Betweenness, closeness and harmonic centrality from one sweep of single-source shortest paths
//! (Brandes 2001), exact or from a seeded sample of sources, in parallel.
//!
//! Definitions follow networkx 3.6 so that results can be compared value for value:
//! - betweenness is `betweenness_centrality(G, normalized=True, endpoints=False)`: divided by
//!   `(n-1)(n-2)`; with `k` sampled sources a source node is divided by `(k-1)(n-2)` and any other
//!   node by `k(n-2)`, as networkx 3.6 does;
//! - closeness is `closeness_centrality(G, wf_improved=True)`: `(r-1)/sum(d)` times `(r-1)/(n-1)`
//!   where `r` counts the nodes that reach the node (the Wasserman–Faust scaling for disconnected
//!   graphs); in a directed graph distances are measured *to* the node, as networkx does;
//! - harmonic is `harmonic_centrality(G)`: the sum of `1/d(v, u)` over `v != u`, unnormalised.
//!
//! Distances are hop counts, or with [`PathCentralityOptions::weights_as_distance`] the edge
//! weights (which must then be positive), as networkx's `weight=`/`distance=` arguments do.

use crate::graph::Csr;
use crate::{Graph, GraphError};
use rand::SeedableRng;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Whether to use every node as a source or a sample of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sampling {
    /// Every node is a source: exact values.
    Exact,
    /// `sources` nodes drawn uniformly without replacement with a seeded generator.
    Sources { sources: usize, seed: u64 },
    /// Exact when `n <= max_exact_nodes`, else `sources` sampled sources.
    Auto {
        max_exact_nodes: usize,
        sources: usize,
        seed: u64,
    },
}

#[derive(Clone, Copy, Debug)]
pub struct PathCentralityOptions {
    pub sampling: Sampling,
    /// Use edge weights as distances (Dijkstra) instead of hop counts (BFS).
    pub weights_as_distance: bool,
    /// The confidence the reported error bound holds with (for example 0.95).
    pub confidence: f64,
}

impl Default for PathCentralityOptions {
    fn default() -> Self {
        PathCentralityOptions {
            sampling: Sampling::Auto {
                max_exact_nodes: 20_000,
                sources: 1024,
                seed: 0,
            },
            weights_as_distance: false,
            confidence: 0.95,
        }
    }
}

/// The three path-based centralities, one value per node (index = node id).
#[derive(Clone, Debug)]
pub struct PathCentrality {
    pub betweenness: Vec<f64>,
    pub closeness: Vec<f64>,
    pub harmonic: Vec<f64>,
    /// How many sources were used (n when exact).
    pub sources: usize,
    /// True when the values are estimates from sampled sources.
    pub sampled: bool,
    /// With sampling: an absolute bound on the error of every normalised betweenness value that
    /// holds for all nodes at once with probability `confidence` (Hoeffding's inequality with a
    /// union bound over nodes: `sqrt(ln(2n/(1-confidence)) / (2(k-1)))`). `None` when exact.
    pub betweenness_error_bound: Option<f64>,
}

/// Sources processed by one task; accumulators are summed in chunk order so that results do not
/// depend on the number of threads.
pub(crate) const CHUNK: usize = 32;

pub fn path_centrality(
    g: &Graph,
    options: &PathCentralityOptions,
) -> Result<PathCentrality, GraphError> {
    check_distances(g, options.weights_as_distance)?;
    if !(options.confidence > 0.0 && options.confidence < 1.0) {
        return Err(GraphError::InvalidArgument(
            "confidence must be in (0, 1)".into(),
        ));
    }
    let (sources, sampled) = choose_sources(g.node_count(), options.sampling)?;
    let total = sweep(g, &sources, options.weights_as_distance);
    Ok(finish(g, total, &sources, sampled, options.confidence))
}

/// Refuses non-positive weights when they are used as distances (self-loops excepted).
pub(crate) fn check_distances(g: &Graph, weights_as_distance: bool) -> Result<(), GraphError> {
    if weights_as_distance
        && g.edges()
            .iter()
            .any(|e| e.weight <= 0.0 && e.source != e.target)
    {
        return Err(GraphError::InvalidArgument(
            "weights used as distances must be positive".into(),
        ));
    }
    Ok(())
}

/// The sources of a sweep in increasing id order, and whether they are a sample.
pub(crate) fn choose_sources(n: usize, sampling: Sampling) -> Result<(Vec<u32>, bool), GraphError> {
    let sample = match sampling {
        Sampling::Exact => None,
        Sampling::Sources { sources, seed } => Some((sources, seed)),
        Sampling::Auto {
            max_exact_nodes,
            sources,
            seed,
        } => (n > max_exact_nodes).then_some((sources, seed)),
    };
    Ok(match sample {
        Some((k, seed)) if k < n => {
            if k < 2 {
                return Err(GraphError::InvalidArgument(
                    "sampling needs at least 2 sources".into(),
                ));
            }
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let mut picked: Vec<u32> = rand::seq::index::sample(&mut rng, n, k)
                .into_iter()
                .map(|i| i as u32)
                .collect();
            picked.sort_unstable();
            (picked, true)
        }
        _ => ((0..n as u32).collect(), false),
    })
}

/// Runs `work` on every unit in parallel, at most one wave of `current_num_threads` units at a
/// time, and hands the results to `merge` in unit order, so that sums do not depend on the number
/// of threads (and a wave's results are all that is held at once).
pub(crate) fn in_waves<U: Sync, R: Send>(
    units: &[U],
    work: impl Fn(&U) -> R + Sync,
    mut merge: impl FnMut(R),
) {
    let wave = rayon::current_num_threads().max(1);
    for group in units.chunks(wave) {
        let results: Vec<R> = group.par_iter().map(&work).collect();
        results.into_iter().for_each(&mut merge);
    }
}

/// 1/d for the hop distances that occur in practice (longer ones are divided directly).
pub(crate) fn hop_inverses() -> Vec<f64> {
    (0..1024)
        .map(|d| if d == 0 { 0.0 } else { 1.0 / f64::from(d) })
        .collect()
}

/// What the sources contributed to one node: how many reached it, the sum of their distances to
/// it and the sum of the inverses of those distances.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Reach {
    pub(crate) reached: u32,
    pub(crate) dist_sum: f64,
    pub(crate) harmonic: f64,
}

/// Closeness (networkx's, with the Wasserman–Faust scaling) and harmonic centrality from each
/// node's [`Reach`]; with sampled sources each source stands for `(n-1)/k'` nodes, `k' = k - 1`
/// for a node that is itself a source (it cannot reach itself).
pub(crate) fn closeness_and_harmonic(
    n: usize,
    sources: &[u32],
    sampled: bool,
    reach: impl Fn(usize) -> Reach,
) -> (Vec<f64>, Vec<f64>) {
    let k = sources.len();
    let mut is_source = vec![false; n];
    if sampled {
        for &s in sources {
            is_source[s as usize] = true;
        }
    }
    let scale = |v: usize| -> f64 {
        if !sampled {
            1.0
        } else if is_source[v] {
            (n as f64 - 1.0) / (k as f64 - 1.0)
        } else {
            (n as f64 - 1.0) / k as f64
        }
    };
    let mut closeness = vec![0.0; n];
    let mut harmonic = vec![0.0; n];
    for v in 0..n {
        let s = scale(v);
        let r = reach(v);
        let reached = f64::from(r.reached) * s;
        let total = r.dist_sum * s;
        if total > 0.0 && n > 1 {
            let c = reached / total;
            closeness[v] = c * (reached / (n as f64 - 1.0));
        }
        harmonic[v] = r.harmonic * s;
    }
    (closeness, harmonic)
}

/// Per-node sums over sources, kept together so one source touches one cache line per node.
#[derive(Clone, Copy, Default)]
struct Sums {
    bc: f64,
    dist_sum: f64,
    harmonic: f64,
    reached: u32,
}

#[derive(Clone)]
struct Acc(Vec<Sums>);

impl Acc {
    fn new(n: usize) -> Self {
        Acc(vec![Sums::default(); n])
    }
    fn add(&mut self, other: &Acc) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            a.bc += b.bc;
            a.dist_sum += b.dist_sum;
            a.harmonic += b.harmonic;
            a.reached += b.reached;
        }
    }
    fn reach(&mut self, v: usize, d: f64, inv: f64) {
        let x = &mut self.0[v];
        x.reached += 1;
        x.dist_sum += d;
        x.harmonic += inv;
    }
}

struct Scratch {
    dist: Vec<f64>,
    sigma: Vec<f64>,
    delta: Vec<f64>,
    order: Vec<u32>,
    done: Vec<bool>,
    heap: BinaryHeap<Item>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Scratch {
            dist: vec![f64::INFINITY; n],
            sigma: vec![0.0; n],
            delta: vec![0.0; n],
            order: Vec::with_capacity(n),
            done: vec![false; n],
            heap: BinaryHeap::new(),
        }
    }
}

fn sweep(g: &Graph, sources: &[u32], weighted: bool) -> Acc {
    let n = g.node_count();
    let mut total = Acc::new(n);
    let chunks: Vec<&[u32]> = sources.chunks(CHUNK).collect();
    let inverse = hop_inverses();
    in_waves(
        &chunks,
        |chunk| {
            let mut acc = Acc::new(n);
            if weighted {
                let mut scratch = Scratch::new(n);
                for &s in chunk.iter() {
                    dijkstra_source(g, s as usize, &mut scratch, &mut acc);
                }
            } else {
                let mut hops = vec![UNSEEN; n];
                let mut flow = vec![Flow::default(); n];
                let mut order = Vec::with_capacity(n);
                for &s in chunk.iter() {
                    bfs_source(
                        g, s as usize, &mut hops, &mut flow, &mut order, &inverse, &mut acc,
                    );
                }
            }
            acc
        },
        |acc| total.add(&acc),
    );
    total
}

/// Path counts and dependencies of one node for one unweighted source. Hop counts live in a
/// separate, denser array: every adjacency entry reads a hop count, but only shortest-path
/// (DAG) edges touch these.
#[derive(Clone, Copy, Default)]
struct Flow {
    sigma: f64,
    delta: f64,
}

const UNSEEN: u32 = u32::MAX;

fn bfs_source(
    g: &Graph,
    s: usize,
    hops: &mut [u32],
    flow: &mut [Flow],
    order: &mut Vec<u32>,
    inverse: &[f64],
    acc: &mut Acc,
) {
    let out: &Csr = &g.out;
    let inc: &Csr = g.inbound();
    order.clear();
    hops[s] = 0;
    flow[s] = Flow {
        sigma: 1.0,
        delta: 0.0,
    };
    order.push(s as u32);
    let mut head = 0;
    while head < order.len() {
        let v = order[head] as usize;
        head += 1;
        let dv = hops[v];
        let sv = flow[v].sigma;
        for &w in out.neighbours(v) {
            let w = w as usize;
            let hw = hops[w];
            if hw == UNSEEN {
                hops[w] = dv + 1;
                order.push(w as u32);
                flow[w].sigma = sv;
            } else if hw == dv + 1 {
                flow[w].sigma += sv;
            }
        }
    }
    // Backward: accumulate dependencies, record this source's distances, and reset each node
    // once it can no longer be read (a reset hop count never matches `hops + 1 == dw`, dw >= 1).
    for &w in order.iter().rev() {
        let w = w as usize;
        let dw = hops[w];
        let Flow {
            sigma: sw,
            delta: delta_w,
        } = flow[w];
        hops[w] = UNSEEN;
        flow[w] = Flow::default();
        if dw == 0 {
            continue;
        }
        let coeff = (1.0 + delta_w) / sw;
        for &v in inc.neighbours(w) {
            let v = v as usize;
            if hops[v].wrapping_add(1) == dw {
                let f = &mut flow[v];
                f.delta += f.sigma * coeff;
            }
        }
        let d = dw as usize;
        let x = &mut acc.0[w];
        x.bc += delta_w;
        x.reached += 1;
        x.dist_sum += d as f64;
        x.harmonic += inverse.get(d).copied().unwrap_or_else(|| 1.0 / d as f64);
    }
}

#[derive(PartialEq)]
pub(crate) struct Item(pub(crate) f64, pub(crate) u32);
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Item {
    // Reversed for a min-heap; ties by node id for determinism.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| other.1.cmp(&self.1))
    }
}

fn dijkstra_source(g: &Graph, s: usize, sc: &mut Scratch, acc: &mut Acc) {
    let out = &g.out;
    let inc = g.inbound();
    sc.order.clear();
    sc.heap.clear();
    sc.dist[s] = 0.0;
    sc.heap.push(Item(0.0, s as u32));
    let mut touched: Vec<u32> = vec![s as u32];
    while let Some(Item(d, v)) = sc.heap.pop() {
        let v = v as usize;
        if sc.done[v] || d > sc.dist[v] {
            continue;
        }
        sc.done[v] = true;
        // Every predecessor on a shortest path is final before v (weights are positive).
        if v == s {
            sc.sigma[v] = 1.0;
        } else {
            let mut sigma = 0.0;
            for i in inc.range(v) {
                let u = inc.nbr[i] as usize;
                if sc.done[u] && u != v && sc.dist[u] + g.weight(inc.edge[i]) == d {
                    sigma += sc.sigma[u];
                }
            }
            sc.sigma[v] = sigma;
        }
        sc.order.push(v as u32);
        for i in out.range(v) {
            let w = out.nbr[i] as usize;
            if sc.done[w] {
                continue;
            }
            let nd = d + g.weight(out.edge[i]);
            if nd < sc.dist[w] {
                if sc.dist[w] == f64::INFINITY {
                    touched.push(w as u32);
                }
                sc.dist[w] = nd;
                sc.heap.push(Item(nd, w as u32));
            }
        }
    }
    for &v in sc.order.iter().skip(1) {
        let v = v as usize;
        let d = sc.dist[v];
        acc.reach(v, d, 1.0 / d);
    }
    for &w in sc.order.iter().rev() {
        let w = w as usize;
        if w == s {
            continue;
        }
        let coeff = (1.0 + sc.delta[w]) / sc.sigma[w];
        for i in inc.range(w) {
            let v = inc.nbr[i] as usize;
            if v != w && sc.done[v] && sc.dist[v] + g.weight(inc.edge[i]) == sc.dist[w] {
                sc.delta[v] += sc.sigma[v] * coeff;
            }
        }
        acc.0[w].bc += sc.delta[w];
    }
    for &v in &touched {
        let v = v as usize;
        sc.dist[v] = f64::INFINITY;
        sc.sigma[v] = 0.0;
        sc.delta[v] = 0.0;
        sc.done[v] = false;
    }
}

fn finish(g: &Graph, acc: Acc, sources: &[u32], sampled: bool, confidence: f64) -> PathCentrality {
    let n = g.node_count();
    let k = sources.len();
    let mut is_source = vec![false; n];
    if sampled {
        for &s in sources {
            is_source[s as usize] = true;
        }
    }
    let mut betweenness: Vec<f64> = acc.0.iter().map(|x| x.bc).collect();
    if n > 2 {
        let big_n = (n - 1) as f64;
        for (v, b) in betweenness.iter_mut().enumerate() {
            let denom = if !sampled {
                big_n * (big_n - 1.0)
            } else if is_source[v] {
                (k as f64 - 1.0) * (big_n - 1.0)
            } else {
                k as f64 * (big_n - 1.0)
            };
            *b /= denom;
        }
    }
    let (closeness, harmonic) = closeness_and_harmonic(n, sources, sampled, |v| {
        let x = &acc.0[v];
        Reach {
            reached: x.reached,
            dist_sum: x.dist_sum,
            harmonic: x.harmonic,
        }
    });
    let betweenness_error_bound = sampled.then(|| {
        let delta = 1.0 - confidence;
        ((2.0 * n as f64 / delta).ln() / (2.0 * (k as f64 - 1.0))).sqrt()
    });
    PathCentrality {
        betweenness,
        closeness,
        harmonic,
        sources: k,
        sampled,
        betweenness_error_bound,
    }
}
