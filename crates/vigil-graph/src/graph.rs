//! The compact graph: nodes with keys, labels and types; merged, weighted, typed edges in CSR form.

use rustc_hash::FxHashMap;

/// A node of one [`Graph`], numbered from 0 in order of first appearance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The node's index into per-node result vectors.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A merged edge of one [`Graph`], numbered in (source, target) order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EdgeId(pub u32);

/// Whether edges have a direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Directed,
    Undirected,
}

/// One merged edge. In an undirected graph `source <= target`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    pub source: NodeId,
    pub target: NodeId,
    /// The sum of the weights of every input edge merged into this one.
    pub weight: f64,
}

/// Why an input edge exists: its type and the record that justifies it (both optional).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Provenance<'g> {
    pub kind: Option<&'g str>,
    pub justification: Option<&'g str>,
}

/// Compressed sparse rows: the neighbours of node `u` are `nbr[off[u]..off[u + 1]]`, sorted.
#[derive(Clone, Debug, Default)]
pub(crate) struct Csr {
    pub(crate) off: Vec<usize>,
    pub(crate) nbr: Vec<u32>,
    pub(crate) edge: Vec<u32>,
}

impl Csr {
    #[inline]
    pub(crate) fn range(&self, u: usize) -> std::ops::Range<usize> {
        self.off[u]..self.off[u + 1]
    }
    #[inline]
    pub(crate) fn neighbours(&self, u: usize) -> &[u32] {
        &self.nbr[self.range(u)]
    }
}

/// Strings stored once and referred to by index.
#[derive(Clone, Debug, Default)]
pub(crate) struct Interner {
    pub(crate) strings: Vec<Box<str>>,
    pub(crate) index: FxHashMap<Box<str>, u32>,
}

impl Interner {
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.into());
        self.index.insert(s.into(), i);
        i
    }
    pub(crate) fn get(&self, i: u32) -> Option<&str> {
        self.strings.get(i as usize).map(|s| &**s)
    }
}

pub(crate) const NONE: u32 = u32::MAX;

/// A graph snapshot. Built by [`crate::GraphBuilder`]; immutable afterwards.
///
/// Duplicate input edges (same endpoints; in an undirected graph in either order) are merged into
/// one edge whose weight is the sum of theirs and which keeps every input edge's provenance.
/// A self-loop is kept: it adds 2 to its node's degree (as networkx counts) and appears once in
/// the node's adjacency (as in networkx's adjacency matrix).
#[derive(Clone, Debug)]
pub struct Graph {
    pub(crate) direction: Direction,
    pub(crate) keys: Vec<Box<str>>,
    pub(crate) labels: FxHashMap<u32, Box<str>>,
    pub(crate) node_kind: Vec<u32>,
    pub(crate) edges: Vec<Edge>,
    pub(crate) prov_off: Vec<u32>,
    pub(crate) prov: Vec<(u32, u32)>,
    pub(crate) node_kinds: Interner,
    pub(crate) edge_kinds: Interner,
    pub(crate) justifications: Interner,
    /// Out-neighbours (directed) or all neighbours (undirected).
    pub(crate) out: Csr,
    /// In-neighbours; empty for an undirected graph.
    pub(crate) inc: Csr,
    /// The nodes that have a self-loop, ascending.
    pub(crate) self_loops: Vec<u32>,
}

impl Graph {
    pub fn direction(&self) -> Direction {
        self.direction
    }
    pub fn is_directed(&self) -> bool {
        self.direction == Direction::Directed
    }
    pub fn node_count(&self) -> usize {
        self.keys.len()
    }
    /// The number of merged edges (self-loops included).
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = NodeId> {
        (0..self.keys.len() as u32).map(NodeId)
    }
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }
    /// The unique key a node was added with.
    pub fn key(&self, node: NodeId) -> &str {
        self.keys.get(node.index()).map_or("", |s| s)
    }
    /// The display label: the one given to the builder, else the key.
    pub fn label(&self, node: NodeId) -> &str {
        self.labels
            .get(&node.0)
            .map_or_else(|| self.key(node), |s| &**s)
    }
    /// The node's type, if one was given.
    pub fn node_kind(&self, node: NodeId) -> Option<&str> {
        self.node_kind.get(node.index()).and_then(|&k| {
            if k == NONE {
                None
            } else {
                self.node_kinds.get(k)
            }
        })
    }
    /// Finds a node by key (a linear scan; for one-off look-ups such as a CLI argument).
    pub fn find(&self, key: &str) -> Option<NodeId> {
        self.keys
            .iter()
            .position(|k| &**k == key)
            .map(|i| NodeId(i as u32))
    }
    /// Finds a node by key, or names the missing key in the error.
    pub fn require(&self, key: &str) -> Result<NodeId, crate::GraphError> {
        self.find(key)
            .ok_or_else(|| crate::GraphError::UnknownNode(key.to_owned()))
    }
    /// The types and justifications of the input edges merged into `edge`.
    pub fn provenance(&self, edge: EdgeId) -> impl Iterator<Item = Provenance<'_>> {
        let i = edge.0 as usize;
        let range = match (self.prov_off.get(i), self.prov_off.get(i + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        };
        self.prov
            .get(range)
            .unwrap_or(&[])
            .iter()
            .map(|&(k, j)| Provenance {
                kind: if k == NONE {
                    None
                } else {
                    self.edge_kinds.get(k)
                },
                justification: if j == NONE {
                    None
                } else {
                    self.justifications.get(j)
                },
            })
    }
    /// Out-neighbours (directed) or neighbours (undirected), sorted by id.
    pub fn neighbours(&self, node: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.out.neighbours(node.index()).iter().map(|&v| NodeId(v))
    }
    /// In-neighbours (directed) or neighbours (undirected), sorted by id.
    pub fn predecessors(&self, node: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.inbound()
            .neighbours(node.index())
            .iter()
            .map(|&v| NodeId(v))
    }
    /// The CSR of edges into each node (the out-CSR when undirected).
    pub(crate) fn inbound(&self) -> &Csr {
        if self.is_directed() {
            &self.inc
        } else {
            &self.out
        }
    }
    #[inline]
    pub(crate) fn weight(&self, edge: u32) -> f64 {
        self.edges.get(edge as usize).map_or(0.0, |e| e.weight)
    }
}
