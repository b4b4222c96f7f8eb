//! Exchange formats (N3): GraphML, GEXF, Cytoscape JSON, FollowTheMoney JSON lines and i2 ANX,
//! each a writer over `impl Write`. Every format carries node keys, labels and types, and edge
//! weights, types and justifications; merged edges list their distinct types and every
//! justification, separated by `"; "`.

mod anx;
mod cytoscape;
mod escape;
mod ftm;
mod gexf;
mod graphml;

pub use anx::write_anx;
pub use cytoscape::write_cytoscape;
pub use ftm::write_ftm;
pub use gexf::write_gexf;
pub use graphml::write_graphml;

use crate::{EdgeId, Graph, GraphError};
use std::io::Write;

/// An export format, parsed from its CLI name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    GraphMl,
    Gexf,
    Cytoscape,
    Ftm,
    Anx,
}

impl std::str::FromStr for Format {
    type Err = GraphError;
    fn from_str(s: &str) -> Result<Self, GraphError> {
        match s.to_ascii_lowercase().as_str() {
            "graphml" => Ok(Format::GraphMl),
            "gexf" => Ok(Format::Gexf),
            "cytoscape" | "cyjs" => Ok(Format::Cytoscape),
            "ftm" | "followthemoney" => Ok(Format::Ftm),
            "anx" | "i2" => Ok(Format::Anx),
            other => Err(GraphError::InvalidArgument(format!(
                "unknown format {other:?} (expected graphml, gexf, cytoscape, ftm or anx)"
            ))),
        }
    }
}

/// Writes `g` in `format`.
pub fn write(g: &Graph, format: Format, out: &mut dyn Write) -> Result<(), GraphError> {
    match format {
        Format::GraphMl => write_graphml(g, out),
        Format::Gexf => write_gexf(g, out),
        Format::Cytoscape => write_cytoscape(g, out),
        Format::Ftm => write_ftm(g, out),
        Format::Anx => write_anx(g, out),
    }
}

/// The distinct edge types and all justifications of merged edge `i`, each joined by `"; "`.
pub(crate) fn edge_notes(g: &Graph, i: usize) -> (String, String) {
    let mut kinds: Vec<&str> = Vec::new();
    let mut just: Vec<&str> = Vec::new();
    for p in g.provenance(EdgeId(i as u32)) {
        if let Some(k) = p.kind {
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
        if let Some(j) = p.justification {
            just.push(j);
        }
    }
    (kinds.join("; "), just.join("; "))
}
