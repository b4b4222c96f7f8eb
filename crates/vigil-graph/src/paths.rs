//! Shortest paths between two nodes: by hops (BFS) or by weight as distance (Dijkstra), and the
//! k shortest simple paths (Yen 1971), as networkx's `shortest_path` and `shortest_simple_paths`.

use crate::{Graph, GraphError, NodeId};
use rustc_hash::FxHashSet;
use std::cmp::Ordering;
use std::collections::{BTreeSet, BinaryHeap};

/// How a path's length is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cost {
    /// Number of edges.
    Hops,
    /// Sum of edge weights (which must be non-negative).
    Weight,
}

/// A path: its nodes from source to target and its length.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    pub nodes: Vec<NodeId>,
    pub cost: f64,
}

struct Mask<'a> {
    nodes: &'a [bool],
    edges: &'a FxHashSet<(u32, u32)>,
}

impl Mask<'_> {
    fn allows(&self, directed: bool, u: u32, v: u32) -> bool {
        if self.nodes.get(v as usize).copied().unwrap_or(false) {
            return false;
        }
        if self.edges.is_empty() {
            return true;
        }
        !(self.edges.contains(&(u, v)) || (!directed && self.edges.contains(&(v, u))))
    }
}

#[derive(PartialEq)]
struct Item(f64, u32);
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Item {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| other.1.cmp(&self.1))
    }
}

fn edge_cost(g: &Graph, cost: Cost, e: u32) -> f64 {
    match cost {
        Cost::Hops => 1.0,
        Cost::Weight => g.weight(e),
    }
}

fn search(g: &Graph, s: u32, t: u32, cost: Cost, mask: &Mask<'_>) -> Option<Path> {
    let n = g.node_count();
    let mut dist = vec![f64::INFINITY; n];
    let mut parent = vec![u32::MAX; n];
    let mut done = vec![false; n];
    let mut heap = BinaryHeap::new();
    dist[s as usize] = 0.0;
    heap.push(Item(0.0, s));
    let directed = g.is_directed();
    while let Some(Item(d, v)) = heap.pop() {
        let vi = v as usize;
        if done[vi] {
            continue;
        }
        done[vi] = true;
        if v == t {
            break;
        }
        for i in g.out.range(vi) {
            let w = g.out.nbr[i];
            if w == v || done[w as usize] || !mask.allows(directed, v, w) {
                continue;
            }
            let nd = d + edge_cost(g, cost, g.out.edge[i]);
            if nd < dist[w as usize] {
                dist[w as usize] = nd;
                parent[w as usize] = v;
                heap.push(Item(nd, w));
            }
        }
    }
    if !done[t as usize] {
        return None;
    }
    let mut nodes = vec![NodeId(t)];
    let mut cur = t;
    while cur != s {
        cur = parent[cur as usize];
        if cur == u32::MAX {
            return None;
        }
        nodes.push(NodeId(cur));
    }
    nodes.reverse();
    Some(Path {
        nodes,
        cost: dist[t as usize],
    })
}

/// One shortest path, or `None` when `target` cannot be reached.
pub fn shortest_path(
    g: &Graph,
    source: NodeId,
    target: NodeId,
    cost: Cost,
) -> Result<Option<Path>, GraphError> {
    check(g, source)?;
    check(g, target)?;
    check_weights(g, cost)?;
    let banned = vec![false; g.node_count()];
    let none = FxHashSet::default();
    Ok(search(
        g,
        source.0,
        target.0,
        cost,
        &Mask {
            nodes: &banned,
            edges: &none,
        },
    ))
}

fn check(g: &Graph, node: NodeId) -> Result<(), GraphError> {
    if node.index() < g.node_count() {
        Ok(())
    } else {
        Err(GraphError::NodeOutOfRange(node.0))
    }
}

fn check_weights(g: &Graph, cost: Cost) -> Result<(), GraphError> {
    if cost == Cost::Weight
        && g.edges()
            .iter()
            .any(|e| e.weight.is_nan() || e.weight < 0.0)
    {
        return Err(GraphError::InvalidArgument(
            "weights used as distances must be non-negative".into(),
        ));
    }
    Ok(())
}

fn path_cost(g: &Graph, nodes: &[NodeId], cost: Cost) -> f64 {
    nodes
        .windows(2)
        .map(|w| {
            let (u, v) = (w[0].index(), w[1].0);
            g.out
                .range(u)
                .find(|&i| g.out.nbr[i] == v)
                .map_or(f64::INFINITY, |i| edge_cost(g, cost, g.out.edge[i]))
        })
        .sum()
}

/// Up to `k` shortest simple paths in order of cost (ties by node ids), by Yen's algorithm.
pub fn k_shortest_paths(
    g: &Graph,
    source: NodeId,
    target: NodeId,
    k: usize,
    cost: Cost,
) -> Result<Vec<Path>, GraphError> {
    check(g, source)?;
    check(g, target)?;
    check_weights(g, cost)?;
    let n = g.node_count();
    let mut found: Vec<Path> = Vec::new();
    if k == 0 {
        return Ok(found);
    }
    let mut banned_nodes = vec![false; n];
    let mut banned_edges: FxHashSet<(u32, u32)> = FxHashSet::default();
    let Some(first) = search(
        g,
        source.0,
        target.0,
        cost,
        &Mask {
            nodes: &banned_nodes,
            edges: &banned_edges,
        },
    ) else {
        return Ok(found);
    };
    found.push(first);
    // Candidates ordered by (cost, nodes); the set removes duplicates.
    let mut candidates: BTreeSet<(OrdF64, Vec<u32>)> = BTreeSet::new();
    while found.len() < k {
        let Some(prev) = found.last().map(|p| p.nodes.clone()) else {
            break;
        };
        for i in 0..prev.len().saturating_sub(1) {
            let spur = prev[i];
            let root = &prev[..=i];
            banned_edges.clear();
            for p in &found {
                if p.nodes.len() > i + 1 && p.nodes[..=i] == *root {
                    banned_edges.insert((p.nodes[i].0, p.nodes[i + 1].0));
                }
            }
            banned_nodes.iter_mut().for_each(|b| *b = false);
            for r in &root[..i] {
                banned_nodes[r.index()] = true;
            }
            let mask = Mask {
                nodes: &banned_nodes,
                edges: &banned_edges,
            };
            if let Some(spur_path) = search(g, spur.0, target.0, cost, &mask) {
                let mut nodes: Vec<NodeId> = root[..i].to_vec();
                nodes.extend_from_slice(&spur_path.nodes);
                let c = path_cost(g, &nodes, cost);
                candidates.insert((OrdF64(c), nodes.iter().map(|v| v.0).collect()));
            }
        }
        let Some((c, nodes)) = candidates.pop_first() else {
            break;
        };
        let nodes: Vec<NodeId> = nodes.into_iter().map(NodeId).collect();
        if found.iter().any(|p| p.nodes == nodes) {
            continue;
        }
        found.push(Path { nodes, cost: c.0 });
    }
    Ok(found)
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct OrdF64(f64);
impl Eq for OrdF64 {}
impl PartialOrd for OrdF64 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for OrdF64 {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Direction, GraphBuilder};

    fn graph(edges: &[(&str, &str, f64)], direction: Direction) -> Graph {
        let mut b = GraphBuilder::new(direction);
        for &(u, v, w) in edges {
            b.add_edge_by_key(u, v, w).unwrap();
        }
        b.build().unwrap()
    }

    #[test]
    fn hops_and_weights_choose_different_routes() {
        let g = graph(
            &[
                ("a", "b", 5.0),
                ("b", "d", 5.0),
                ("a", "c", 1.0),
                ("c", "e", 1.0),
                ("e", "d", 1.0),
            ],
            Direction::Undirected,
        );
        let (a, d) = (g.find("a").unwrap(), g.find("d").unwrap());
        let hops = shortest_path(&g, a, d, Cost::Hops).unwrap().unwrap();
        assert_eq!(hops.nodes.len(), 3);
        let weighted = shortest_path(&g, a, d, Cost::Weight).unwrap().unwrap();
        assert_eq!(weighted.cost, 3.0);
        assert_eq!(weighted.nodes.len(), 4);
    }

    #[test]
    fn unreachable_is_none() {
        let g = graph(&[("a", "b", 1.0), ("c", "d", 1.0)], Direction::Directed);
        let (a, d) = (g.find("a").unwrap(), g.find("d").unwrap());
        assert!(shortest_path(&g, a, d, Cost::Hops).unwrap().is_none());
        assert!(k_shortest_paths(&g, a, d, 3, Cost::Hops)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn yen_lists_simple_paths_in_cost_order() {
        let g = graph(
            &[
                ("c", "d", 3.0),
                ("c", "e", 2.0),
                ("d", "f", 4.0),
                ("e", "d", 1.0),
                ("e", "f", 2.0),
                ("e", "g", 3.0),
                ("f", "g", 2.0),
                ("f", "h", 1.0),
                ("g", "h", 2.0),
            ],
            Direction::Directed,
        );
        let (c, h) = (g.find("c").unwrap(), g.find("h").unwrap());
        let paths = k_shortest_paths(&g, c, h, 3, Cost::Weight).unwrap();
        let costs: Vec<f64> = paths.iter().map(|p| p.cost).collect();
        assert_eq!(costs, vec![5.0, 7.0, 8.0]);
        for p in &paths {
            let set: FxHashSet<_> = p.nodes.iter().collect();
            assert_eq!(set.len(), p.nodes.len(), "path is simple");
        }
    }
}
