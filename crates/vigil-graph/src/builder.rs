//! Builds a [`Graph`]: interns node keys, validates weights, merges duplicate edges, lays out CSR.

use crate::graph::{Csr, Direction, Edge, Graph, Interner, NodeId, NONE};
use crate::GraphError;
use rustc_hash::FxHashMap;

#[derive(Clone, Copy)]
struct RawEdge {
    u: u32,
    v: u32,
    w: f64,
    kind: u32,
    just: u32,
}

/// Collects nodes and edges, then [`GraphBuilder::build`]s the immutable [`Graph`].
///
/// ```
/// use vigil_graph::{Direction, GraphBuilder};
/// let mut b = GraphBuilder::new(Direction::Undirected);
/// let a = b.add_node("person:1", Some("Person"), Some("A. Example"));
/// let p = b.add_node("phone:+14805550142", Some("Phone"), None);
/// b.add_edge(a, p, 1.0, Some("uses_phone"), Some("record-17")).unwrap();
/// let g = b.build().unwrap();
/// assert_eq!(g.edge_count(), 1);
/// ```
pub struct GraphBuilder {
    direction: Direction,
    keys: Interner,
    labels: FxHashMap<u32, Box<str>>,
    node_kind: Vec<u32>,
    node_kinds: Interner,
    edge_kinds: Interner,
    justifications: Interner,
    raw: Vec<RawEdge>,
}

impl GraphBuilder {
    pub fn new(direction: Direction) -> Self {
        GraphBuilder {
            direction,
            keys: Interner::default(),
            labels: FxHashMap::default(),
            node_kind: Vec::new(),
            node_kinds: Interner::default(),
            edge_kinds: Interner::default(),
            justifications: Interner::default(),
            raw: Vec::new(),
        }
    }

    /// Adds a node, or returns the existing one with this key (filling in a type or label it lacked).
    pub fn add_node(&mut self, key: &str, kind: Option<&str>, label: Option<&str>) -> NodeId {
        let id = self.keys.intern(key);
        if id as usize == self.node_kind.len() {
            self.node_kind.push(NONE);
        }
        if let Some(kind) = kind {
            let k = self.node_kinds.intern(kind);
            if let Some(slot) = self.node_kind.get_mut(id as usize) {
                if *slot == NONE {
                    *slot = k;
                }
            }
        }
        if let Some(label) = label {
            if label != key {
                self.labels.entry(id).or_insert_with(|| label.into());
            }
        }
        NodeId(id)
    }

    /// Adds an edge between two nodes already added. The weight must be finite and non-negative.
    pub fn add_edge(
        &mut self,
        source: NodeId,
        target: NodeId,
        weight: f64,
        kind: Option<&str>,
        justification: Option<&str>,
    ) -> Result<(), GraphError> {
        if !(weight.is_finite() && weight >= 0.0) {
            return Err(GraphError::InvalidWeight(weight));
        }
        let n = self.node_kind.len() as u32;
        for node in [source, target] {
            if node.0 >= n {
                return Err(GraphError::NodeOutOfRange(node.0));
            }
        }
        let kind = kind.map_or(NONE, |k| self.edge_kinds.intern(k));
        let just = justification.map_or(NONE, |j| self.justifications.intern(j));
        self.raw.push(RawEdge {
            u: source.0,
            v: target.0,
            w: weight,
            kind,
            just,
        });
        Ok(())
    }

    /// Adds an edge by node keys, adding either node if it is new.
    pub fn add_edge_by_key(
        &mut self,
        source: &str,
        target: &str,
        weight: f64,
    ) -> Result<(), GraphError> {
        let s = self.add_node(source, None, None);
        let t = self.add_node(target, None, None);
        self.add_edge(s, t, weight, None, None)
    }

    pub fn node_count(&self) -> usize {
        self.node_kind.len()
    }

    pub fn raw_edge_count(&self) -> usize {
        self.raw.len()
    }

    /// Merges duplicate edges (summing weights) and lays out the adjacency.
    pub fn build(self) -> Result<Graph, GraphError> {
        let GraphBuilder {
            direction,
            keys,
            labels,
            node_kind,
            node_kinds,
            edge_kinds,
            justifications,
            mut raw,
        } = self;
        let n = node_kind.len();
        if n >= NONE as usize {
            return Err(GraphError::TooLarge(NONE));
        }
        if direction == Direction::Undirected {
            for e in &mut raw {
                if e.u > e.v {
                    std::mem::swap(&mut e.u, &mut e.v);
                }
            }
        }
        // Stable sort keeps the input order of provenance within a merged edge.
        raw.sort_by_key(|e| (e.u, e.v));
        let has_prov = raw.iter().any(|e| e.kind != NONE || e.just != NONE);
        let mut edges: Vec<Edge> = Vec::with_capacity(raw.len());
        let mut prov_off: Vec<u32> = Vec::new();
        let mut prov: Vec<(u32, u32)> = Vec::new();
        for e in &raw {
            let same = edges
                .last()
                .is_some_and(|l| l.source.0 == e.u && l.target.0 == e.v);
            if same {
                if let Some(l) = edges.last_mut() {
                    l.weight += e.w;
                }
            } else {
                if edges.len() >= NONE as usize - 1 {
                    return Err(GraphError::TooLarge(NONE));
                }
                if has_prov {
                    prov_off.push(prov.len() as u32);
                }
                edges.push(Edge {
                    source: NodeId(e.u),
                    target: NodeId(e.v),
                    weight: e.w,
                });
            }
            if has_prov {
                prov.push((e.kind, e.just));
            }
        }
        if has_prov {
            prov_off.push(prov.len() as u32);
        }
        drop(raw);
        let self_loops: Vec<u32> = edges
            .iter()
            .filter(|e| e.source == e.target)
            .map(|e| e.source.0)
            .collect();
        let (out, inc) = match direction {
            Direction::Undirected => (undirected_csr(n, &edges), Csr::default()),
            Direction::Directed => directed_csrs(n, &edges),
        };
        let mut key_strings = keys.strings;
        drop(keys.index);
        key_strings.shrink_to_fit();
        Ok(Graph {
            direction,
            keys: key_strings,
            labels,
            node_kind,
            edges,
            prov_off,
            prov,
            node_kinds,
            edge_kinds,
            justifications,
            out,
            inc,
            self_loops,
        })
    }
}

/// Each non-loop edge appears in both endpoints' rows; a self-loop once. Rows come out sorted
/// because the edges are sorted by (source, target) with source <= target.
fn undirected_csr(n: usize, edges: &[Edge]) -> Csr {
    let mut off = vec![0usize; n + 1];
    for e in edges {
        off[e.source.index() + 1] += 1;
        if e.source != e.target {
            off[e.target.index() + 1] += 1;
        }
    }
    for i in 0..n {
        off[i + 1] += off[i];
    }
    let total = off[n];
    let mut nbr = vec![0u32; total];
    let mut edge = vec![0u32; total];
    let mut cursor = off.clone();
    for (i, e) in edges.iter().enumerate() {
        let (u, v) = (e.source.index(), e.target.index());
        // Entries for v from edges (u, v) with u < v come before v's own (v, w) entries.
        nbr[cursor[u]] = v as u32;
        edge[cursor[u]] = i as u32;
        cursor[u] += 1;
        if u != v {
            nbr[cursor[v]] = u as u32;
            edge[cursor[v]] = i as u32;
            cursor[v] += 1;
        }
    }
    let mut csr = Csr { off, nbr, edge };
    sort_rows(&mut csr);
    csr
}

fn directed_csrs(n: usize, edges: &[Edge]) -> (Csr, Csr) {
    let mut out_off = vec![0usize; n + 1];
    let mut in_off = vec![0usize; n + 1];
    for e in edges {
        out_off[e.source.index() + 1] += 1;
        in_off[e.target.index() + 1] += 1;
    }
    for i in 0..n {
        out_off[i + 1] += out_off[i];
        in_off[i + 1] += in_off[i];
    }
    let m = edges.len();
    let (mut out_nbr, mut out_edge) = (vec![0u32; m], vec![0u32; m]);
    let (mut in_nbr, mut in_edge) = (vec![0u32; m], vec![0u32; m]);
    let mut oc = out_off.clone();
    let mut ic = in_off.clone();
    for (i, e) in edges.iter().enumerate() {
        let (u, v) = (e.source.index(), e.target.index());
        out_nbr[oc[u]] = v as u32;
        out_edge[oc[u]] = i as u32;
        oc[u] += 1;
        in_nbr[ic[v]] = u as u32;
        in_edge[ic[v]] = i as u32;
        ic[v] += 1;
    }
    (
        Csr {
            off: out_off,
            nbr: out_nbr,
            edge: out_edge,
        },
        Csr {
            off: in_off,
            nbr: in_nbr,
            edge: in_edge,
        },
    )
}

/// Rows are filled in edge order, which for undirected rows is already sorted except when a
/// node's row mixes both roles; a check keeps the common case linear.
fn sort_rows(csr: &mut Csr) {
    let n = csr.off.len().saturating_sub(1);
    for u in 0..n {
        let r = csr.off[u]..csr.off[u + 1];
        let row = &csr.nbr[r.clone()];
        if row.windows(2).all(|w| w[0] <= w[1]) {
            continue;
        }
        let mut pairs: Vec<(u32, u32)> = csr.nbr[r.clone()]
            .iter()
            .copied()
            .zip(csr.edge[r.clone()].iter().copied())
            .collect();
        pairs.sort_unstable();
        for (k, (a, b)) in pairs.into_iter().enumerate() {
            csr.nbr[r.start + k] = a;
            csr.edge[r.start + k] = b;
        }
    }
}
