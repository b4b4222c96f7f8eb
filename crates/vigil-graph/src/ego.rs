//! n-hop ego networks and induced subgraphs. As networkx's `ego_graph`, a directed graph is
//! followed along out-edges only unless `undirected` is asked for.

use crate::graph::NONE;
use crate::{Graph, GraphBuilder, GraphError, NodeId};

/// The nodes within `hops` of `center`, center first, then in order of distance.
pub fn within_hops(
    g: &Graph,
    center: NodeId,
    hops: u32,
    undirected: bool,
) -> Result<Vec<NodeId>, GraphError> {
    if center.index() >= g.node_count() {
        return Err(GraphError::NodeOutOfRange(center.0));
    }
    let mut dist = vec![u32::MAX; g.node_count()];
    dist[center.index()] = 0;
    let mut order = vec![center.0];
    let mut head = 0;
    let both = undirected && g.is_directed();
    while let Some(&v) = order.get(head) {
        head += 1;
        let d = dist[v as usize];
        if d >= hops {
            continue;
        }
        let ins: &[u32] = if both {
            g.inc.neighbours(v as usize)
        } else {
            &[]
        };
        for &w in g.out.neighbours(v as usize).iter().chain(ins) {
            if dist[w as usize] == u32::MAX {
                dist[w as usize] = d + 1;
                order.push(w);
            }
        }
    }
    Ok(order.into_iter().map(NodeId).collect())
}

/// The ego network: the subgraph induced by the nodes within `hops` of `center`.
pub fn ego_network(
    g: &Graph,
    center: NodeId,
    hops: u32,
    undirected: bool,
) -> Result<Graph, GraphError> {
    let nodes = within_hops(g, center, hops, undirected)?;
    induced_subgraph(g, &nodes)
}

/// The subgraph on `nodes` (in that order) with every edge between them, keeping node types,
/// labels, merged weights and provenance.
pub fn induced_subgraph(g: &Graph, nodes: &[NodeId]) -> Result<Graph, GraphError> {
    let mut map = vec![NONE; g.node_count()];
    let mut b = GraphBuilder::new(g.direction());
    for &v in nodes {
        if v.index() >= g.node_count() {
            return Err(GraphError::NodeOutOfRange(v.0));
        }
        let label = g.labels.get(&v.0).map(|s| &**s);
        let id = b.add_node(g.key(v), g.node_kind(v), label);
        map[v.index()] = id.0;
    }
    for (i, e) in g.edges().iter().enumerate() {
        let (s, t) = (map[e.source.index()], map[e.target.index()]);
        if s == NONE || t == NONE {
            continue;
        }
        let prov: Vec<_> = g.provenance(crate::EdgeId(i as u32)).collect();
        if prov.is_empty() {
            b.add_edge(NodeId(s), NodeId(t), e.weight, None, None)?;
        } else {
            // Spread the merged weight back over the provenance records so it sums the same.
            let share = e.weight / prov.len() as f64;
            for p in prov {
                b.add_edge(NodeId(s), NodeId(t), share, p.kind, p.justification)?;
            }
        }
    }
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Direction;

    #[test]
    fn two_hops_on_a_path() {
        let mut b = GraphBuilder::new(Direction::Undirected);
        for (u, v) in [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")] {
            b.add_edge_by_key(u, v, 1.0).unwrap();
        }
        let g = b.build().unwrap();
        let ego = ego_network(&g, g.find("c").unwrap(), 1, false).unwrap();
        assert_eq!(ego.node_count(), 3);
        assert_eq!(ego.edge_count(), 2);
        let ego = ego_network(&g, g.find("a").unwrap(), 2, false).unwrap();
        let keys: Vec<&str> = ego.nodes().map(|v| ego.key(v)).collect();
        assert_eq!(keys, ["a", "b", "c"]);
    }

    #[test]
    fn directed_ego_follows_out_edges() {
        let mut b = GraphBuilder::new(Direction::Directed);
        b.add_edge_by_key("a", "b", 1.0).unwrap();
        b.add_edge_by_key("c", "a", 1.0).unwrap();
        let g = b.build().unwrap();
        let a = g.find("a").unwrap();
        assert_eq!(within_hops(&g, a, 1, false).unwrap().len(), 2);
        assert_eq!(within_hops(&g, a, 1, true).unwrap().len(), 3);
    }
}
