//! Connected components (weakly connected in a directed graph), numbered from 0 in order of
//! their lowest node id.
//!
//! Union–find over the adjacency with Rem's algorithm (splicing; every node's parent has a lower
//! id, so a set's root is its lowest node): each edge is read once, as the out-neighbours
//! of its higher-numbered end in an undirected graph, or from the out-lists in a directed one.

use crate::Graph;

/// Component ids per node and the size of each component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Components {
    pub component: Vec<u32>,
    pub sizes: Vec<u32>,
}

impl Components {
    pub fn count(&self) -> usize {
        self.sizes.len()
    }
}

pub fn connected_components(g: &Graph) -> Components {
    let n = g.node_count();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let out = &g.out;
    // Once n - 1 unions have happened every node is in one set: the remaining edges change
    // nothing (a dense or well-connected graph stops early).
    let mut sets = n;
    for v in 0..n {
        if sets <= 1 {
            break;
        }
        let neighbours = out.neighbours(v);
        // Undirected lists hold each edge at both ends; sorted, so the lower ends come first.
        let once = if g.is_directed() {
            neighbours
        } else {
            &neighbours[..neighbours.partition_point(|&u| (u as usize) < v)]
        };
        for &u in once {
            if unite(&mut parent, v as u32, u) {
                sets -= 1;
            }
        }
    }
    // A node's parent has a lower id, so it is labelled before the node, with its root's label.
    let mut component = vec![0u32; n];
    let mut sizes = Vec::new();
    for v in 0..n {
        let p = parent[v] as usize;
        let c = if p == v {
            sizes.push(0);
            (sizes.len() - 1) as u32
        } else {
            component[p]
        };
        component[v] = c;
        sizes[c as usize] += 1;
    }
    Components { component, sizes }
}

/// Rem's union with splicing: walks up from both nodes, always from the one whose parent is
/// higher, and points each node passed at the other side's lower parent. True when the two
/// nodes were in different sets.
fn unite(parent: &mut [u32], a: u32, b: u32) -> bool {
    let (mut x, mut y) = (a as usize, b as usize);
    while parent[x] != parent[y] {
        if parent[x] < parent[y] {
            std::mem::swap(&mut x, &mut y);
        }
        let px = parent[x] as usize;
        if px == x {
            parent[x] = parent[y];
            return true;
        }
        parent[x] = parent[y];
        x = px;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Direction, GraphBuilder};

    #[test]
    fn components_are_numbered_by_their_lowest_node() {
        for direction in [Direction::Undirected, Direction::Directed] {
            let mut b = GraphBuilder::new(direction);
            for key in ["a", "b", "c", "d", "e", "f"] {
                b.add_node(key, None, None);
            }
            // {a, e} joined late through f -> a; {b, d}; c alone.
            for (s, t) in [("e", "f"), ("d", "b"), ("f", "a"), ("c", "c")] {
                b.add_edge_by_key(s, t, 1.0).unwrap();
            }
            let c = connected_components(&b.build().unwrap());
            assert_eq!(c.component, vec![0, 1, 2, 1, 0, 0], "{direction:?}");
            assert_eq!(c.sizes, vec![3, 2, 1], "{direction:?}");
        }
    }
}
