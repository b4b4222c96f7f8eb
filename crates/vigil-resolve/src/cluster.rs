//! Clustering of scored pairs that resists chaining: edges are taken strongest first (so
//! high-confidence components form first) and two clusters merge only when the average weight
//! over their cross pairs — scored on demand when blocking never compared them — clears the
//! threshold and no cross pair is cannot-linked. Plain connected components would join two
//! people through one weak or wrong edge.
//!
//! Work and memory are bounded so that a million records cluster in seconds:
//! * only edges at or above the threshold are merge candidates (weaker edges are never needed:
//!   pairs that blocking compared but that are not candidates are re-scored when a merge check
//!   asks for them, like pairs blocking never compared);
//! * records are split into the connected components of the candidate edges, and components are
//!   clustered independently and in parallel (no merge can cross a component);
//! * a merge check looks at no more than [`MAX_CROSS`] members of each side (an even stride
//!   through each cluster), so at most `MAX_CROSS²` pairs per candidate edge, and every candidate
//!   edge triggers at most one check;
//! * pair weights scored on demand are cached per component, up to [`CACHE_LIMIT`] entries
//!   (then the cache is emptied and refilled), so a large component cannot grow memory without
//!   bound.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// A scored candidate pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    pub a: u32,
    pub b: u32,
    /// Match weight in bits (log2 odds).
    pub bits: f32,
}

/// Largest number of members of each cluster examined per merge check (larger clusters are
/// sampled with an even stride), so a check scores at most `MAX_CROSS²` pairs.
pub const MAX_CROSS: usize = 16;

/// Largest number of on-demand pair weights cached per component.
pub const CACHE_LIMIT: usize = 1 << 20;

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = p;
    }
    x
}

/// Counters of one clustering run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClusterStats {
    /// Distinct pairs at or above the threshold.
    pub candidate_edges: u64,
    /// Connected components of those edges (records in none are singletons).
    pub components: u64,
    /// Records in the largest component.
    pub largest_component: u64,
    /// Merge checks run, and how many of them merged.
    pub checks: u64,
    pub merges: u64,
    /// Pair weights scored on demand (not found among the edges or the cache).
    pub scored_on_demand: u64,
}

/// Clusters `n` records. `edges` at or above `min_bits` are merge candidates; `score` returns the
/// weight of any pair; `cannot_link` vetoes a pair. Returns a dense cluster id per record,
/// numbered in order of first appearance. The result depends only on the inputs, not on the
/// number of threads.
pub fn cluster(
    n: usize,
    edges: &[Edge],
    min_bits: f64,
    score: impl Fn(u32, u32) -> f64 + Sync,
    cannot_link: impl Fn(u32, u32) -> bool + Sync,
) -> Vec<u32> {
    cluster_with_stats(n, edges, min_bits, score, cannot_link).0
}

/// [`cluster`] with its counters.
pub fn cluster_with_stats(
    n: usize,
    edges: &[Edge],
    min_bits: f64,
    score: impl Fn(u32, u32) -> f64 + Sync,
    cannot_link: impl Fn(u32, u32) -> bool + Sync,
) -> (Vec<u32>, ClusterStats) {
    let mut cand: Vec<Edge> = edges
        .par_iter()
        .filter(|e| {
            f64::from(e.bits) >= min_bits && e.a != e.b && (e.a as usize) < n && (e.b as usize) < n
        })
        .map(|e| Edge {
            a: e.a.min(e.b),
            b: e.a.max(e.b),
            bits: e.bits,
        })
        .collect();
    // One edge per pair, the strongest.
    cand.par_sort_unstable_by(|x, y| (x.a, x.b).cmp(&(y.a, y.b)).then(y.bits.total_cmp(&x.bits)));
    cand.dedup_by_key(|e| (e.a, e.b));
    // Connected components of the candidate edges.
    let mut parent: Vec<u32> = (0..n as u32).collect();
    for e in &cand {
        let (ra, rb) = (find(&mut parent, e.a), find(&mut parent, e.b));
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    let root: Vec<u32> = (0..n as u32).map(|x| find(&mut parent, x)).collect();
    drop(parent);
    // Group edges by component, strongest first within each.
    cand.par_sort_unstable_by(|x, y| {
        root[x.a as usize]
            .cmp(&root[y.a as usize])
            .then(y.bits.total_cmp(&x.bits))
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    let mut ranges = Vec::new();
    let mut s = 0;
    for e in 1..=cand.len() {
        if e == cand.len() || root[cand[e].a as usize] != root[cand[s].a as usize] {
            ranges.push((s, e));
            s = e;
        }
    }
    // Largest components first, so one big component does not finish last on one thread.
    ranges.sort_by_key(|&(s, e)| (std::cmp::Reverse(e - s), s));
    let parts: Vec<(Vec<(u32, u32)>, ClusterStats)> = ranges
        .par_iter()
        .with_max_len(1)
        .map(|&(s, e)| component(&cand[s..e], min_bits, &score, &cannot_link))
        .collect();
    let mut stats = ClusterStats {
        candidate_edges: cand.len() as u64,
        components: ranges.len() as u64,
        ..ClusterStats::default()
    };
    let mut owner: Vec<u32> = (0..n as u32).collect();
    for (part, st) in parts {
        stats.largest_component = stats.largest_component.max(part.len() as u64);
        stats.checks += st.checks;
        stats.merges += st.merges;
        stats.scored_on_demand += st.scored_on_demand;
        for (r, rep) in part {
            owner[r as usize] = rep;
        }
    }
    let mut dense: FxHashMap<u32, u32> = FxHashMap::default();
    let ids: Vec<u32> = owner
        .iter()
        .map(|o| {
            let next = dense.len() as u32;
            *dense.entry(*o).or_insert(next)
        })
        .collect();
    (ids, stats)
}

/// Clusters one connected component given its edges, strongest first. Returns (record,
/// representative record) for each of its records.
fn component(
    edges: &[Edge],
    min_bits: f64,
    score: &(impl Fn(u32, u32) -> f64 + Sync),
    cannot_link: &(impl Fn(u32, u32) -> bool + Sync),
) -> (Vec<(u32, u32)>, ClusterStats) {
    let mut st = ClusterStats::default();
    let mut recs: Vec<u32> = edges.iter().flat_map(|e| [e.a, e.b]).collect();
    recs.sort_unstable();
    recs.dedup();
    let local = |r: u32| recs.binary_search(&r).map_or(0, |i| i as u32);
    let k = recs.len();
    // Local cluster of each local record, named by a local record; members of each cluster.
    let mut owner: Vec<u32> = (0..k as u32).collect();
    let mut members: Vec<Vec<u32>> = (0..k as u32).map(|i| vec![i]).collect();
    let mut known: FxHashMap<(u32, u32), f32> = FxHashMap::default();
    known.reserve(edges.len());
    let local_edges: Vec<(u32, u32, f32)> = edges
        .iter()
        .map(|e| {
            let (a, b) = (local(e.a), local(e.b));
            known.insert((a.min(b), a.max(b)), e.bits);
            (a, b, e.bits)
        })
        .collect();
    let mut cache: FxHashMap<(u32, u32), f32> = FxHashMap::default();
    // Merges already refused, with the cluster sizes at the time: clusters only grow, so equal
    // sizes mean nothing changed and the answer would be the same.
    let mut refused: FxHashMap<(u32, u32), (usize, usize)> = FxHashMap::default();
    for (a, b, _) in local_edges {
        let (ca, cb) = (owner[a as usize], owner[b as usize]);
        if ca == cb {
            continue;
        }
        let key = (ca.min(cb), ca.max(cb));
        let sizes = (members[key.0 as usize].len(), members[key.1 as usize].len());
        if refused.get(&key) == Some(&sizes) {
            continue;
        }
        let (ma, mb) = (&members[ca as usize], &members[cb as usize]);
        st.checks += 1;
        let mut ok = true;
        let mut sum = 0.0;
        let mut count = 0usize;
        let step_a = ma.len().div_ceil(MAX_CROSS).max(1);
        let step_b = mb.len().div_ceil(MAX_CROSS).max(1);
        'outer: for &i in ma.iter().step_by(step_a) {
            for &j in mb.iter().step_by(step_b) {
                let (gi, gj) = (recs[i as usize], recs[j as usize]);
                if cannot_link(gi, gj) {
                    ok = false;
                    break 'outer;
                }
                let pk = (i.min(j), i.max(j));
                let w = match known.get(&pk).or_else(|| cache.get(&pk)) {
                    Some(&w) => f64::from(w),
                    None => {
                        st.scored_on_demand += 1;
                        let w = score(gi, gj);
                        if cache.len() >= CACHE_LIMIT {
                            cache.clear();
                        }
                        cache.insert(pk, w as f32);
                        w
                    }
                };
                sum += w;
                count += 1;
            }
        }
        if !ok || count == 0 || sum / (count as f64) < min_bits {
            refused.insert(key, sizes);
            continue;
        }
        // Merge the smaller into the larger.
        st.merges += 1;
        let (keep, moved) = if ma.len() >= mb.len() {
            (ca, cb)
        } else {
            (cb, ca)
        };
        let moved_members = std::mem::take(&mut members[moved as usize]);
        for &r in &moved_members {
            owner[r as usize] = keep;
        }
        members[keep as usize].extend_from_slice(&moved_members);
    }
    let out = (0..k).map(|i| (recs[i], recs[owner[i] as usize])).collect();
    (out, st)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(a: u32, b: u32, bits: f32) -> Edge {
        Edge { a, b, bits }
    }

    #[test]
    fn a_weak_bridge_does_not_chain_two_people() {
        // 0-1 and 2-3 are strong pairs; 1-2 is a bridge above threshold, but 0-2, 0-3, 1-3 score
        // strongly negative when asked.
        let edges = [e(0, 1, 20.0), e(2, 3, 20.0), e(1, 2, 2.0)];
        let ids = cluster(4, &edges, 0.0, |_, _| -15.0, |_, _| false);
        assert_eq!(ids, vec![0, 0, 1, 1]);
        // Connected components would have joined them: with neutral unseen pairs they merge.
        let ids = cluster(4, &edges, 0.0, |_, _| 0.0, |_, _| false);
        assert_eq!(ids, vec![0, 0, 0, 0]);
    }

    #[test]
    fn cannot_link_vetoes_and_result_is_order_independent() {
        let edges = [e(0, 1, 10.0), e(1, 2, 9.0), e(3, 4, 8.0)];
        let ids = cluster(
            5,
            &edges,
            0.0,
            |_, _| 5.0,
            |a, b| (a.min(b), a.max(b)) == (0, 2),
        );
        assert_eq!(ids, vec![0, 0, 1, 2, 2]);
        let mut rev = edges;
        rev.reverse();
        assert_eq!(
            cluster(
                5,
                &rev,
                0.0,
                |_, _| 5.0,
                |a, b| (a.min(b), a.max(b)) == (0, 2)
            ),
            ids
        );
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    fn components(n: usize, edges: &[Edge], min_bits: f64) -> Vec<u32> {
        let mut parent: Vec<u32> = (0..n as u32).collect();
        for e in edges.iter().filter(|e| f64::from(e.bits) >= min_bits) {
            let (ra, rb) = (find(&mut parent, e.a), find(&mut parent, e.b));
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
        (0..n as u32).map(|x| find(&mut parent, x)).collect()
    }

    proptest! {
        /// Clusters never cross a connected component of the candidate edges, and the result
        /// does not depend on the number of threads.
        #[test]
        fn clusters_refine_components_and_ignore_thread_count(
            raw in proptest::collection::vec((0u32..40, 0u32..40, -10.0f32..20.0), 0..120),
            unseen in -10.0f64..5.0,
        ) {
            let edges: Vec<Edge> = raw.iter().map(|&(a, b, bits)| Edge { a, b, bits }).collect();
            let score = |i: u32, j: u32| unseen + f64::from((i * 7 + j * 3) % 5);
            let run = |threads: usize| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .map(|p| p.install(|| cluster(40, &edges, 0.0, score, |_, _| false)))
            };
            let (one, two) = (run(1), run(2));
            prop_assert!(one.is_ok() && two.is_ok());
            let (one, two) = (one.unwrap_or_default(), two.unwrap_or_default());
            prop_assert_eq!(&one, &two);
            let comp = components(40, &edges, 0.0);
            for i in 0..40 {
                for j in 0..40 {
                    if one[i] == one[j] {
                        prop_assert_eq!(comp[i], comp[j]);
                    }
                }
            }
        }
    }
}
