//! Connected components (weakly connected in a directed graph), numbered from 0 in order of
//! their lowest node id.
//!
//! Dense undirected graphs (mean degree ≥ 32): breadth-first search that stops once every node
//! is labelled. Otherwise union–find over the adjacency with Rem's algorithm (splicing; every
//! node's parent has a lower id, so a set's root is its lowest node): each edge is read once, as
//! the out-neighbours of its higher-numbered end in an undirected graph, or from the out-lists in
//! a directed one.

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
    if !g.is_directed() && g.out.nbr.len() >= DENSE_MEAN_DEGREE * n {
        dense_by_search(g)
    } else {
        by_union_find(g)
    }
}

/// Union–find over the adjacency (see the module documentation).
fn by_union_find(g: &Graph) -> Components {
    let n = g.node_count();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let out = &g.out;
    for v in 0..n {
        let neighbours = out.neighbours(v);
        // Undirected lists hold each edge at both ends; sorted, so the lower ends come first.
        let once = if g.is_directed() {
            neighbours
        } else {
            &neighbours[..neighbours.partition_point(|&u| (u as usize) < v)]
        };
        for &u in once {
            unite(&mut parent, v as u32, u);
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

/// From this mean degree on, breadth-first search beats union–find: a search labels most
/// nodes from the first few adjacency lists and stops once every node has a label, while
/// union–find reads every edge. (Sparse graphs: union–find's near-sequential reads win.)
const DENSE_MEAN_DEGREE: usize = 32;

/// Breadth-first search from each unlabelled node in id order (so components are numbered by
/// their lowest node), stopping as soon as every node has a label.
fn dense_by_search(g: &Graph) -> Components {
    const UNLABELLED: u32 = u32::MAX;
    let n = g.node_count();
    let mut component = vec![UNLABELLED; n];
    let mut sizes: Vec<u32> = Vec::new();
    // Every node enters the queue once, so one vector serves every search.
    let mut queue: Vec<u32> = Vec::with_capacity(n);
    for s in 0..n {
        if queue.len() == n {
            break;
        }
        if component[s] != UNLABELLED {
            continue;
        }
        let c = sizes.len() as u32;
        let first = queue.len();
        let mut head = first;
        component[s] = c;
        queue.push(s as u32);
        while head < queue.len() && queue.len() < n {
            let v = queue[head] as usize;
            head += 1;
            for &w in g.out.neighbours(v) {
                if component[w as usize] == UNLABELLED {
                    component[w as usize] = c;
                    queue.push(w);
                }
            }
        }
        sizes.push((queue.len() - first) as u32);
    }
    Components { component, sizes }
}

/// Rem's union with splicing: walks up from both nodes, always from the one whose parent is
/// higher, and points each node passed at the other side's lower parent.
fn unite(parent: &mut [u32], a: u32, b: u32) {
    let (mut x, mut y) = (a as usize, b as usize);
    while parent[x] != parent[y] {
        if parent[x] < parent[y] {
            std::mem::swap(&mut x, &mut y);
        }
        let px = parent[x] as usize;
        if px == x {
            parent[x] = parent[y];
            return;
        }
        parent[x] = parent[y];
        x = px;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Direction, GraphBuilder};

    proptest::proptest! {
        /// The search for dense graphs and union–find label every graph alike (the property
        /// tests of the crate only reach union–find: their graphs are sparse).
        #[test]
        fn search_and_union_find_agree(
            n in 1usize..60,
            edges in proptest::collection::vec((0usize..60, 0usize..60), 0..400),
        ) {
            let mut b = GraphBuilder::new(Direction::Undirected);
            for i in 0..n {
                b.add_node(&format!("n{i}"), None, None);
            }
            for (s, t) in edges {
                b.add_edge_by_key(&format!("n{}", s % n), &format!("n{}", t % n), 1.0).unwrap();
            }
            let g = b.build().unwrap();
            proptest::prop_assert_eq!(dense_by_search(&g), by_union_find(&g));
        }
    }

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
