//! GEXF 1.3 (gexf.net), Gephi's native format.

use super::edge_notes;
use super::escape::{number, xml};
use crate::{Graph, GraphError};
use std::io::Write;

pub fn write_gexf(g: &Graph, out: &mut dyn Write) -> Result<(), GraphError> {
    let mut w = std::io::BufWriter::new(out);
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
    )?;
    writeln!(w, "  <meta><creator>Vigil</creator></meta>")?;
    let dir = if g.is_directed() {
        "directed"
    } else {
        "undirected"
    };
    writeln!(w, r#"  <graph mode="static" defaultedgetype="{dir}">"#)?;
    writeln!(
        w,
        r#"    <attributes class="node"><attribute id="type" title="type" type="string"/></attributes>"#
    )?;
    writeln!(
        w,
        r#"    <attributes class="edge"><attribute id="type" title="type" type="string"/><attribute id="justification" title="justification" type="string"/></attributes>"#
    )?;
    writeln!(w, "    <nodes>")?;
    for v in g.nodes() {
        write!(
            w,
            r#"      <node id="{}" label="{}""#,
            xml(g.key(v)),
            xml(g.label(v))
        )?;
        match g.node_kind(v) {
            Some(kind) => writeln!(
                w,
                r#"><attvalues><attvalue for="type" value="{}"/></attvalues></node>"#,
                xml(kind)
            )?,
            None => writeln!(w, "/>")?,
        }
    }
    writeln!(w, "    </nodes>\n    <edges>")?;
    for (i, e) in g.edges().iter().enumerate() {
        let (kinds, just) = edge_notes(g, i);
        write!(
            w,
            r#"      <edge id="{i}" source="{}" target="{}" weight="{}""#,
            xml(g.key(e.source)),
            xml(g.key(e.target)),
            number(e.weight)
        )?;
        if kinds.is_empty() && just.is_empty() {
            writeln!(w, "/>")?;
            continue;
        }
        write!(w, "><attvalues>")?;
        if !kinds.is_empty() {
            write!(w, r#"<attvalue for="type" value="{}"/>"#, xml(&kinds))?;
        }
        if !just.is_empty() {
            write!(
                w,
                r#"<attvalue for="justification" value="{}"/>"#,
                xml(&just)
            )?;
        }
        writeln!(w, "</attvalues></edge>")?;
    }
    writeln!(w, "    </edges>\n  </graph>\n</gexf>")?;
    w.flush()?;
    Ok(())
}
