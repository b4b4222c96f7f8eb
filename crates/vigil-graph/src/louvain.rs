//! Community detection by the Louvain method (Blondel et al. 2008), seeded and reproducible, with
//! modularity as networkx's `modularity` computes it.
//!
//! Communities are found on the undirected view of the graph: in a directed graph `u -> v` and
//! `v -> u` add their weights. Within a level nodes are visited in an order shuffled by the seed
//! and revisited only when a neighbour moved (fast local moving); a node moves only for a strictly
//! positive gain. After the last level, one more round of single-node moves on the original graph
//! refines the partition. Levels stop when a level improves modularity by
//! less than `threshold` (networkx's default 1e-7) or merges nothing.

use crate::Graph;
use rand::seq::SliceRandom;
use rand::SeedableRng;

#[derive(Clone, Copy, Debug)]
pub struct LouvainOptions {
    pub resolution: f64,
    pub threshold: f64,
    pub seed: u64,
    pub weighted: bool,
}

impl Default for LouvainOptions {
    fn default() -> Self {
        LouvainOptions {
            resolution: 1.0,
            threshold: 1e-7,
            seed: 0,
            weighted: true,
        }
    }
}

/// A partition of the nodes: community ids numbered from 0 in order of their lowest node id.
#[derive(Clone, Debug)]
pub struct Communities {
    pub community: Vec<u32>,
    pub count: usize,
    pub modularity: f64,
}

/// A bound on node visits within one level, in multiples of the node count.
const MAX_PASSES: usize = 1000;

/// A weighted undirected graph in CSR with self-loop weights kept apart.
struct Level {
    off: Vec<usize>,
    nbr: Vec<u32>,
    w: Vec<f64>,
    /// Weight of the self-loop of each node (each internal edge counted once).
    loops: Vec<f64>,
    /// Weighted degree: neighbours' weights plus twice the self-loop.
    strength: Vec<f64>,
}

impl Level {
    fn from_graph(g: &Graph, weighted: bool) -> Level {
        let n = g.node_count();
        let mut lists: Vec<(u32, u32, f64)> = Vec::with_capacity(2 * g.edge_count());
        let mut loops = vec![0.0; n];
        for e in g.edges() {
            let w = if weighted { e.weight } else { 1.0 };
            let (u, v) = (e.source.0, e.target.0);
            if u == v {
                loops[u as usize] += w;
            } else {
                lists.push((u, v, w));
                lists.push((v, u, w));
            }
        }
        Level::from_lists(n, lists, loops)
    }

    fn from_lists(n: usize, mut lists: Vec<(u32, u32, f64)>, loops: Vec<f64>) -> Level {
        lists.sort_unstable_by_key(|&(u, v, _)| (u, v));
        let mut off = vec![0usize; n + 1];
        let mut nbr = Vec::with_capacity(lists.len());
        let mut w: Vec<f64> = Vec::with_capacity(lists.len());
        let mut last: Option<(u32, u32)> = None;
        for (u, v, x) in lists {
            if last == Some((u, v)) {
                if let Some(l) = w.last_mut() {
                    *l += x;
                }
                continue;
            }
            last = Some((u, v));
            off[u as usize + 1] += 1;
            nbr.push(v);
            w.push(x);
        }
        for i in 0..n {
            off[i + 1] += off[i];
        }
        let strength = (0..n)
            .map(|u| w[off[u]..off[u + 1]].iter().sum::<f64>() + 2.0 * loops[u])
            .collect();
        Level {
            off,
            nbr,
            w,
            loops,
            strength,
        }
    }

    fn len(&self) -> usize {
        self.loops.len()
    }

    /// Moves single nodes to the neighbouring community with the best modularity gain until no
    /// move helps. Nodes are first visited in a seeded random order; after a move, the moved
    /// node's neighbours outside its new community are queued again (the "fast local move" of
    /// Traag et al. 2019), which reaches the same kind of local optimum as repeated full passes
    /// while revisiting only nodes whose neighbourhood changed. Returns each node's community.
    fn move_nodes(
        &self,
        start: Vec<u32>,
        m2: f64,
        resolution: f64,
        rng: &mut rand_chacha::ChaCha8Rng,
    ) -> Vec<u32> {
        let n = self.len();
        let mut comm = start;
        let mut tot: Vec<f64> = vec![0.0; n];
        for (u, &c) in comm.iter().enumerate() {
            tot[c as usize] += self.strength[u];
        }
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.shuffle(rng);
        let mut queue: std::collections::VecDeque<u32> = order.into();
        let mut queued = vec![true; n];
        let mut weight_to = vec![0.0f64; n];
        let mut touched: Vec<u32> = Vec::new();
        // Each move strictly raises modularity, so this bound is never the reason to stop in practice.
        let mut budget = n.saturating_mul(MAX_PASSES);
        while let Some(i) = queue.pop_front() {
            if budget == 0 {
                break;
            }
            budget -= 1;
            let i = i as usize;
            queued[i] = false;
            let ki = self.strength[i];
            let ci = comm[i] as usize;
            touched.clear();
            for j in self.off[i]..self.off[i + 1] {
                let c = comm[self.nbr[j] as usize] as usize;
                if weight_to[c] == 0.0 {
                    touched.push(c as u32);
                }
                weight_to[c] += self.w[j];
            }
            tot[ci] -= ki;
            let gain = |c: usize, wt: f64| wt - resolution * tot[c] * ki / m2;
            let mut best = ci;
            let mut best_gain = gain(ci, weight_to[ci]);
            for &c in &touched {
                let c = c as usize;
                let g = gain(c, weight_to[c]);
                if g > best_gain + 1e-12 * (1.0 + best_gain.abs()) {
                    best = c;
                    best_gain = g;
                }
            }
            tot[best] += ki;
            for &c in &touched {
                weight_to[c as usize] = 0.0;
            }
            weight_to[ci] = 0.0;
            if best != ci {
                comm[i] = best as u32;
                for j in self.off[i]..self.off[i + 1] {
                    let v = self.nbr[j] as usize;
                    if !queued[v] && comm[v] as usize != best {
                        queued[v] = true;
                        queue.push_back(v as u32);
                    }
                }
            }
        }
        comm
    }

    /// Collapses each community into one node.
    fn aggregate(&self, comm: &[u32], count: usize) -> Level {
        let mut loops = vec![0.0; count];
        let mut lists = Vec::new();
        for u in 0..self.len() {
            let cu = comm[u];
            loops[cu as usize] += self.loops[u];
            for j in self.off[u]..self.off[u + 1] {
                let cv = comm[self.nbr[j] as usize];
                if cu == cv {
                    // Each internal edge is seen from both ends.
                    loops[cu as usize] += self.w[j] / 2.0;
                } else {
                    lists.push((cu, cv, self.w[j]));
                }
            }
        }
        Level::from_lists(count, lists, loops)
    }

    fn modularity(&self, comm: &[u32], count: usize, resolution: f64) -> f64 {
        let m2: f64 = self.strength.iter().sum();
        if m2 == 0.0 {
            return 0.0;
        }
        let mut inside = vec![0.0; count];
        let mut tot = vec![0.0; count];
        for u in 0..self.len() {
            let c = comm[u] as usize;
            tot[c] += self.strength[u];
            inside[c] += 2.0 * self.loops[u];
            for j in self.off[u]..self.off[u + 1] {
                if comm[self.nbr[j] as usize] as usize == c {
                    inside[c] += self.w[j];
                }
            }
        }
        inside
            .iter()
            .zip(&tot)
            .map(|(&l, &t)| l / m2 - resolution * (t / m2) * (t / m2))
            .sum()
    }
}

/// Renumbers labels from 0 in order of first appearance; returns the count.
fn renumber(labels: &mut [u32]) -> usize {
    let mut map = vec![u32::MAX; labels.len()];
    let mut next = 0u32;
    for l in labels.iter_mut() {
        let slot = &mut map[*l as usize];
        if *slot == u32::MAX {
            *slot = next;
            next += 1;
        }
        *l = *slot;
    }
    next as usize
}

pub fn louvain(g: &Graph, options: &LouvainOptions) -> Communities {
    let base = Level::from_graph(g, options.weighted);
    let n = base.len();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(options.seed);
    let mut partition: Vec<u32> = (0..n as u32).collect();
    let mut count = n;
    let m2: f64 = base.strength.iter().sum();
    if m2 == 0.0 {
        return Communities {
            community: partition,
            count,
            modularity: 0.0,
        };
    }
    let mut modularity = base.modularity(&partition, count, options.resolution);
    // The first level is the original graph itself; later ones are aggregates. `base` is kept
    // for the final refinement (building it is a sort of every adjacency entry).
    let mut aggregate: Option<Level> = None;
    loop {
        let level = aggregate.as_ref().unwrap_or(&base);
        let singletons: Vec<u32> = (0..level.len() as u32).collect();
        let mut comm = level.move_nodes(singletons, m2, options.resolution, &mut rng);
        let new_count = renumber(&mut comm);
        if new_count == level.len() {
            break;
        }
        for p in partition.iter_mut() {
            *p = comm[*p as usize];
        }
        let next = level.aggregate(&comm, new_count);
        let singletons: Vec<u32> = (0..new_count as u32).collect();
        let q = next.modularity(&singletons, new_count, options.resolution);
        let gain = q - modularity;
        modularity = q;
        count = new_count;
        aggregate = Some(next);
        if gain < options.threshold {
            break;
        }
    }
    let _ = count;
    // Final refinement: local moves of single nodes on the original graph, starting from the
    // multi-level partition (a node stuck in the wrong aggregate can still move).
    let mut refined = base.move_nodes(partition.clone(), m2, options.resolution, &mut rng);
    let refined_count = renumber(&mut refined);
    let q = base.modularity(&refined, refined_count, options.resolution);
    if q > modularity {
        partition = refined;
        modularity = q;
    }
    let count = renumber(&mut partition);
    Communities {
        community: partition,
        count,
        modularity,
    }
}

/// Modularity of a partition of `g` (undirected view), as networkx's `modularity`.
pub fn modularity(g: &Graph, community: &[u32], resolution: f64, weighted: bool) -> f64 {
    let level = Level::from_graph(g, weighted);
    let count = community
        .iter()
        .copied()
        .max()
        .map_or(0, |c| c as usize + 1);
    if community.len() != level.len() {
        return f64::NAN;
    }
    level.modularity(community, count, resolution)
}
