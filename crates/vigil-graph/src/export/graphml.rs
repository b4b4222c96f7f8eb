//! GraphML (graphml.graphdrawing.org), readable by networkx, igraph, Gephi, Cytoscape and yEd.

use super::edge_notes;
use super::escape::{number, xml};
use crate::{Graph, GraphError};
use std::io::Write;

pub fn write_graphml(g: &Graph, out: &mut dyn Write) -> Result<(), GraphError> {
    let mut w = std::io::BufWriter::new(out);
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    writeln!(
        w,
        r#"  <key id="label" for="node" attr.name="label" attr.type="string"/>"#
    )?;
    writeln!(
        w,
        r#"  <key id="ntype" for="node" attr.name="type" attr.type="string"/>"#
    )?;
    writeln!(
        w,
        r#"  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>"#
    )?;
    writeln!(
        w,
        r#"  <key id="etype" for="edge" attr.name="type" attr.type="string"/>"#
    )?;
    writeln!(
        w,
        r#"  <key id="justification" for="edge" attr.name="justification" attr.type="string"/>"#
    )?;
    let dir = if g.is_directed() {
        "directed"
    } else {
        "undirected"
    };
    writeln!(w, r#"  <graph id="G" edgedefault="{dir}">"#)?;
    for v in g.nodes() {
        write!(
            w,
            r#"    <node id="{}"><data key="label">{}</data>"#,
            xml(g.key(v)),
            xml(g.label(v))
        )?;
        if let Some(kind) = g.node_kind(v) {
            write!(w, r#"<data key="ntype">{}</data>"#, xml(kind))?;
        }
        writeln!(w, "</node>")?;
    }
    for (i, e) in g.edges().iter().enumerate() {
        let (kinds, just) = edge_notes(g, i);
        write!(
            w,
            r#"    <edge id="e{i}" source="{}" target="{}"><data key="weight">{}</data>"#,
            xml(g.key(e.source)),
            xml(g.key(e.target)),
            number(e.weight)
        )?;
        if !kinds.is_empty() {
            write!(w, r#"<data key="etype">{}</data>"#, xml(&kinds))?;
        }
        if !just.is_empty() {
            write!(w, r#"<data key="justification">{}</data>"#, xml(&just))?;
        }
        writeln!(w, "</edge>")?;
    }
    writeln!(w, "  </graph>\n</graphml>")?;
    w.flush()?;
    Ok(())
}
