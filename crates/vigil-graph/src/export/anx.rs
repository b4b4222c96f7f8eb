//! i2 Analyst's Notebook exchange XML (ANX, the chart layout of Analyst's Notebook 7 and later):
//! one `ChartItem` with an `End`/`Entity` per node and one with a `Link` per edge, entity types
//! mapped to standard i2 icons, nodes laid out on a grid (Analyst's Notebook re-lays them out).

use super::edge_notes;
use super::escape::{number, xml};
use crate::{Graph, GraphError};
use std::io::Write;

fn icon(kind: Option<&str>) -> &'static str {
    match kind.unwrap_or("") {
        "Person" => "Person",
        "Organization" | "Company" | "PublicBody" => "Organisation",
        "Phone" => "Phone",
        "Email" => "Email",
        "BankAccount" => "Account",
        "CryptoWallet" => "Account",
        "Vehicle" => "Car",
        "Address" | "RealEstate" => "House",
        "UserAccount" | "OnlineAd" => "Internet",
        _ => "General",
    }
}

pub fn write_anx(g: &Graph, out: &mut dyn Write) -> Result<(), GraphError> {
    let mut w = std::io::BufWriter::new(out);
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(w, r#"<Chart IdReferenceLinking="false" Rigorous="true">"#)?;
    let mut types: Vec<&str> = g.nodes().map(|v| icon(g.node_kind(v))).collect();
    types.sort_unstable();
    types.dedup();
    writeln!(w, "  <EntityTypeCollection>")?;
    for t in &types {
        writeln!(w, r#"    <EntityType Name="{t}" IconFile="{t}"/>"#)?;
    }
    writeln!(w, "  </EntityTypeCollection>")?;
    writeln!(
        w,
        r#"  <LinkTypeCollection><LinkType Name="Link" Colour="0"/></LinkTypeCollection>"#
    )?;
    writeln!(w, "  <ChartItemCollection>")?;
    let columns = (g.node_count() as f64).sqrt().ceil().max(1.0) as usize;
    for v in g.nodes() {
        let (x, y) = ((v.index() % columns) * 120, (v.index() / columns) * 120);
        writeln!(
            w,
            r#"    <ChartItem Label="{label}" DateSet="false" XPosition="{x}"><End Y="{y}"><Entity EntityId="n{id}" Identity="{key}" LabelIsIdentity="false"><Icon><IconStyle Type="{icon}"/></Icon></Entity></End></ChartItem>"#,
            label = xml(g.label(v)),
            id = v.0,
            key = xml(g.key(v)),
            icon = icon(g.node_kind(v)),
        )?;
    }
    let arrow = if g.is_directed() {
        "ArrowOnHead"
    } else {
        "ArrowNone"
    };
    for (i, e) in g.edges().iter().enumerate() {
        let (kinds, just) = edge_notes(g, i);
        let mut description = format!("weight {}", number(e.weight));
        if !just.is_empty() {
            description.push_str("; justification: ");
            description.push_str(&just);
        }
        writeln!(
            w,
            r#"    <ChartItem Label="{label}" Description="{desc}" DateSet="false"><Link End1Id="n{a}" End2Id="n{b}"><LinkStyle Type="Link" ArrowStyle="{arrow}" Strength="1" MlStyle="MultiplicityMultiple"/></Link></ChartItem>"#,
            label = xml(&kinds),
            desc = xml(&description),
            a = e.source.0,
            b = e.target.0,
        )?;
    }
    writeln!(w, "  </ChartItemCollection>\n</Chart>")?;
    w.flush()?;
    Ok(())
}
