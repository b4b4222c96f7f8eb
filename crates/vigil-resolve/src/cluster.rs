//! Clustering of scored pairs that resists chaining: edges are taken strongest first (so
//! high-confidence components form first) and two clusters merge only when the average weight
//! over all their cross pairs — scored on demand when blocking never compared them — clears the
//! threshold and no cross pair is cannot-linked. Plain connected components would join two
//! people through one weak or wrong edge.

use rustc_hash::FxHashMap;

/// A scored candidate pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    pub a: u32,
    pub b: u32,
    /// Match weight in bits (log2 odds).
    pub bits: f32,
}

/// Largest number of cross pairs examined per merge (larger clusters are sampled).
const MAX_CROSS: usize = 16;

/// Clusters `n` records. `edges` above `min_bits` are merge candidates; `score` returns the weight
/// of any pair; `cannot_link` vetoes a pair. Returns a dense cluster id per record, numbered in
/// order of first appearance.
pub fn cluster(
    n: usize,
    edges: &[Edge],
    min_bits: f64,
    score: impl Fn(u32, u32) -> f64,
    cannot_link: impl Fn(u32, u32) -> bool,
) -> Vec<u32> {
    // Weights of merge candidates are cached; weaker pairs are re-scored on demand, which keeps
    // memory proportional to the matches rather than to all kept edges.
    let mut known: FxHashMap<(u32, u32), f32> = FxHashMap::default();
    for e in edges.iter().filter(|e| f64::from(e.bits) >= min_bits) {
        let k = (e.a.min(e.b), e.a.max(e.b));
        let v = known.entry(k).or_insert(e.bits);
        *v = v.max(e.bits);
    }
    let mut order: Vec<Edge> = edges
        .iter()
        .copied()
        .filter(|e| f64::from(e.bits) >= min_bits && e.a != e.b)
        .collect();
    order.sort_by(|x, y| y.bits.total_cmp(&x.bits).then((x.a, x.b).cmp(&(y.a, y.b))));
    let mut owner: Vec<u32> = (0..n as u32).collect();
    let mut members: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    let weight = |i: u32, j: u32| -> f64 {
        known
            .get(&(i.min(j), i.max(j)))
            .map_or_else(|| score(i, j), |&w| f64::from(w))
    };
    // Merges already refused, with the cluster sizes at the time: clusters only grow, so equal
    // sizes mean nothing changed and the answer would be the same.
    let mut refused: FxHashMap<(u32, u32), (usize, usize)> = FxHashMap::default();
    let size = |members: &FxHashMap<u32, Vec<u32>>, c: u32| members.get(&c).map_or(1, Vec::len);
    for e in order {
        let (ca, cb) = (owner[e.a as usize], owner[e.b as usize]);
        if ca == cb {
            continue;
        }
        let key = (ca.min(cb), ca.max(cb));
        let sizes = (size(&members, key.0), size(&members, key.1));
        if refused.get(&key) == Some(&sizes) {
            continue;
        }
        let (ok, sum, count) = {
            let (sa, sb) = ([ca], [cb]);
            let ma: &[u32] = members.get(&ca).map_or(&sa[..], |v| v.as_slice());
            let mb: &[u32] = members.get(&cb).map_or(&sb[..], |v| v.as_slice());
            let mut ok = true;
            let mut sum = 0.0;
            let mut count = 0usize;
            let step_a = ma.len().div_ceil(MAX_CROSS).max(1);
            let step_b = mb.len().div_ceil(MAX_CROSS).max(1);
            'outer: for &i in ma.iter().step_by(step_a) {
                for &j in mb.iter().step_by(step_b) {
                    if cannot_link(i, j) {
                        ok = false;
                        break 'outer;
                    }
                    sum += weight(i, j);
                    count += 1;
                }
            }
            (ok, sum, count)
        };
        if !ok || count == 0 || sum / (count as f64) < min_bits {
            refused.insert(key, sizes);
            continue;
        }
        let ma = members.remove(&ca).unwrap_or_else(|| vec![ca]);
        let mb = members.remove(&cb).unwrap_or_else(|| vec![cb]);
        // Merge the smaller into the larger.
        let (keep, mut kept, moved) = if ma.len() >= mb.len() {
            (ca, ma, mb)
        } else {
            (cb, mb, ma)
        };
        for &r in &moved {
            owner[r as usize] = keep;
        }
        kept.extend_from_slice(&moved);
        members.insert(keep, kept);
    }
    let mut dense: FxHashMap<u32, u32> = FxHashMap::default();
    owner
        .iter()
        .map(|o| {
            let next = dense.len() as u32;
            *dense.entry(*o).or_insert(next)
        })
        .collect()
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
