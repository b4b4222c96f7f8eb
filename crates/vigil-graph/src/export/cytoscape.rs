//! Cytoscape JSON (the `elements` layout read by Cytoscape desktop, cytoscape.js and
//! networkx's `cytoscape_graph`).

use super::edge_notes;
use super::escape::{json, number};
use crate::{Graph, GraphError};
use std::io::Write;

pub fn write_cytoscape(g: &Graph, out: &mut dyn Write) -> Result<(), GraphError> {
    let mut w = std::io::BufWriter::new(out);
    writeln!(
        w,
        r#"{{"data":{{}},"directed":{},"multigraph":false,"elements":{{"nodes":["#,
        g.is_directed()
    )?;
    for v in g.nodes() {
        let sep = if v.index() + 1 < g.node_count() {
            ","
        } else {
            ""
        };
        let kind = g
            .node_kind(v)
            .map_or(String::new(), |k| format!(r#","type":{}"#, json(k)));
        writeln!(
            w,
            r#"{{"data":{{"id":{},"value":{},"name":{}{kind}}}}}{sep}"#,
            json(g.key(v)),
            json(g.key(v)),
            json(g.label(v))
        )?;
    }
    writeln!(w, r#"],"edges":["#)?;
    let m = g.edge_count();
    for (i, e) in g.edges().iter().enumerate() {
        let (kinds, just) = edge_notes(g, i);
        let sep = if i + 1 < m { "," } else { "" };
        let mut extra = String::new();
        if !kinds.is_empty() {
            extra.push_str(&format!(r#","type":{}"#, json(&kinds)));
        }
        if !just.is_empty() {
            extra.push_str(&format!(r#","justification":{}"#, json(&just)));
        }
        writeln!(
            w,
            r#"{{"data":{{"id":"e{i}","source":{},"target":{},"weight":{}{extra}}}}}{sep}"#,
            json(g.key(e.source)),
            json(g.key(e.target)),
            number(e.weight)
        )?;
    }
    writeln!(w, "]}}}}")?;
    w.flush()?;
    Ok(())
}
