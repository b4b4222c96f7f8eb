//! Synthetic scale-free graphs (Barabási–Albert preferential attachment), seeded and streamed.
//!
//! The graph starts from a clique of `per_node + 1` nodes; each later node links to `per_node`
//! distinct earlier nodes chosen with probability proportional to their degree. Edges come out
//! one at a time (memory: one u32 per edge end, for the degree-proportional draw), with an integer
//! weight in 1..=5, and stop after exactly `edges` edges. Same seed, same graph.

use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// One generated edge; nodes are numbered from 0 in order of arrival.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SynthEdge {
    pub source: u32,
    pub target: u32,
    pub weight: u32,
}

/// The edge stream of [`scale_free`].
pub struct ScaleFree {
    rng: ChaCha8Rng,
    per_node: u32,
    ends: Vec<u32>,
    pending: Vec<SynthEdge>,
    next_node: u32,
    emitted: u64,
    limit: u64,
}

/// A Barabási–Albert edge stream of exactly `edges` edges, each new node attaching `per_node`
/// (at least 1) edges.
pub fn scale_free(edges: u64, per_node: u32, seed: u64) -> ScaleFree {
    let per_node = per_node.max(1);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut pending = Vec::new();
    let mut ends = Vec::with_capacity(
        usize::try_from(edges.saturating_mul(2))
            .unwrap_or(0)
            .min(1 << 28),
    );
    // Seed clique on nodes 0..=per_node, emitted in reverse so `pop` yields them in order.
    for u in 0..=per_node {
        for v in (u + 1)..=per_node {
            let weight = rng.gen_range(1..=5);
            pending.push(SynthEdge {
                source: u,
                target: v,
                weight,
            });
            ends.push(u);
            ends.push(v);
        }
    }
    if per_node == 1 {
        // A single seed edge: 0-1.
        pending.truncate(1);
    }
    pending.reverse();
    ScaleFree {
        rng,
        per_node,
        ends,
        pending,
        next_node: per_node + 1,
        emitted: 0,
        limit: edges,
    }
}

impl ScaleFree {
    fn attach_next(&mut self) {
        let t = self.next_node;
        self.next_node += 1;
        let mut chosen: Vec<u32> = Vec::with_capacity(self.per_node as usize);
        let want = (self.per_node as usize).min(t as usize);
        while chosen.len() < want {
            let i = self.rng.gen_range(0..self.ends.len());
            let v = self.ends[i];
            if !chosen.contains(&v) {
                chosen.push(v);
            }
        }
        for &v in chosen.iter().rev() {
            let weight = self.rng.gen_range(1..=5);
            self.pending.push(SynthEdge {
                source: t,
                target: v,
                weight,
            });
        }
        for &v in &chosen {
            self.ends.push(t);
            self.ends.push(v);
        }
    }
}

impl Iterator for ScaleFree {
    type Item = SynthEdge;
    fn next(&mut self) -> Option<SynthEdge> {
        if self.emitted >= self.limit {
            return None;
        }
        if self.pending.is_empty() {
            self.attach_next();
        }
        let edge = self.pending.pop()?;
        self.emitted += 1;
        Some(edge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_count_and_reproducible() {
        let a: Vec<_> = scale_free(1000, 3, 7).collect();
        let b: Vec<_> = scale_free(1000, 3, 7).collect();
        let c: Vec<_> = scale_free(1000, 3, 8).collect();
        assert_eq!(a.len(), 1000);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn no_self_loops_or_duplicates_and_degrees_are_skewed() {
        let edges: Vec<_> = scale_free(20_000, 4, 1).collect();
        let mut seen = std::collections::HashSet::new();
        let mut degree = std::collections::HashMap::new();
        for e in &edges {
            assert_ne!(e.source, e.target);
            assert!(seen.insert((e.source.min(e.target), e.source.max(e.target))));
            assert!((1..=5).contains(&e.weight));
            *degree.entry(e.source).or_insert(0u32) += 1;
            *degree.entry(e.target).or_insert(0u32) += 1;
        }
        let max = degree.values().copied().max().unwrap_or(0);
        // Preferential attachment grows hubs far above the mean degree of 8.
        assert!(max > 100, "max degree {max}");
    }
}
