//! Bridges and articulation points (brokers) of the undirected view, by Tarjan's low-point DFS
//! (iterative, so deep graphs cannot overflow the stack). Self-loops are ignored; duplicate input
//! edges were merged, so a doubled tie is one edge and can be a bridge.

use crate::{Graph, NodeId};

/// Edges whose removal disconnects their endpoints, each as (lower id, higher id), sorted.
/// Nodes whose removal disconnects the graph, sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Brokers {
    pub bridges: Vec<(NodeId, NodeId)>,
    pub articulation_points: Vec<NodeId>,
}

pub fn brokers(g: &Graph) -> Brokers {
    let n = g.node_count();
    // Undirected adjacency: for a directed graph, union of out and in neighbours.
    let neighbours = |v: usize| -> Vec<u32> {
        if g.is_directed() {
            let mut all: Vec<u32> = g
                .out
                .neighbours(v)
                .iter()
                .chain(g.inc.neighbours(v))
                .copied()
                .collect();
            all.sort_unstable();
            all.dedup();
            all
        } else {
            g.out.neighbours(v).to_vec()
        }
    };
    let mut disc = vec![u32::MAX; n];
    let mut low = vec![0u32; n];
    let mut is_cut = vec![false; n];
    let mut bridges = Vec::new();
    let mut time = 0u32;
    // Stack frames: (node, parent, its neighbours, next index).
    let mut stack: Vec<(u32, u32, Vec<u32>, usize)> = Vec::new();
    for root in 0..n {
        if disc[root] != u32::MAX {
            continue;
        }
        disc[root] = time;
        low[root] = time;
        time += 1;
        let mut root_children = 0;
        stack.push((root as u32, u32::MAX, neighbours(root), 0));
        while let Some(frame) = stack.last_mut() {
            let (v, parent) = (frame.0 as usize, frame.1);
            if let Some(&w) = frame.2.get(frame.3) {
                frame.3 += 1;
                let wi = w as usize;
                if wi == v || w == parent {
                    continue;
                }
                if disc[wi] == u32::MAX {
                    disc[wi] = time;
                    low[wi] = time;
                    time += 1;
                    if v == root {
                        root_children += 1;
                    }
                    stack.push((w, v as u32, neighbours(wi), 0));
                } else {
                    low[v] = low[v].min(disc[wi]);
                }
            } else {
                stack.pop();
                if parent != u32::MAX {
                    let p = parent as usize;
                    low[p] = low[p].min(low[v]);
                    if low[v] > disc[p] {
                        bridges.push((NodeId(p.min(v) as u32), NodeId(p.max(v) as u32)));
                    }
                    if p != root && low[v] >= disc[p] {
                        is_cut[p] = true;
                    }
                }
            }
        }
        if root_children > 1 {
            is_cut[root] = true;
        }
    }
    bridges.sort_unstable();
    let articulation_points = (0..n)
        .filter(|&v| is_cut[v])
        .map(|v| NodeId(v as u32))
        .collect();
    Brokers {
        bridges,
        articulation_points,
    }
}
