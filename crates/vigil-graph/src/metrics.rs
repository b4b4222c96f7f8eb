//! Every per-node metric in one table, and its CSV form
//! (`node,degree,weighted_degree,betweenness,closeness,harmonic,pagerank,eigenvector,core,community`).

use crate::centrality::{
    eigenvector_centrality, pagerank, path_centrality, EigenvectorOptions, PageRankOptions,
    PathCentrality, PathCentralityOptions,
};
use crate::louvain::{louvain, Communities, LouvainOptions};
use crate::{core_number, degree, weighted_degree, Graph, GraphError, NodeId};
use std::io::Write;

#[derive(Clone, Copy, Debug, Default)]
pub struct MetricsOptions {
    pub paths: PathCentralityOptions,
    pub pagerank: PageRankOptions,
    pub eigenvector: EigenvectorOptions,
    pub louvain: LouvainOptions,
}

/// Per-node metrics (index = node id). A power iteration that did not converge leaves its column
/// `None` and says so in `warnings`.
#[derive(Clone, Debug)]
pub struct NodeMetrics {
    pub degree: Vec<u64>,
    pub weighted_degree: Vec<f64>,
    pub paths: PathCentrality,
    pub pagerank: Option<Vec<f64>>,
    pub eigenvector: Option<Vec<f64>>,
    pub core: Vec<u32>,
    pub communities: Communities,
    pub warnings: Vec<String>,
}

/// Computes every metric; `stage` is told the name of each step before it starts.
pub fn compute_metrics(
    g: &Graph,
    options: &MetricsOptions,
    stage: &mut dyn FnMut(&str),
) -> Result<NodeMetrics, GraphError> {
    let mut warnings = Vec::new();
    stage("degree");
    let degree = degree(g);
    let weighted_degree = weighted_degree(g);
    stage("betweenness, closeness, harmonic");
    let paths = path_centrality(g, &options.paths)?;
    stage("pagerank");
    let pagerank = match pagerank(g, &options.pagerank) {
        Ok(v) => Some(v),
        Err(e @ GraphError::NotConverged { .. }) => {
            warnings.push(e.to_string());
            None
        }
        Err(e) => return Err(e),
    };
    stage("eigenvector");
    let eigenvector = match eigenvector_centrality(g, &options.eigenvector) {
        Ok(v) => Some(v),
        Err(e @ GraphError::NotConverged { .. }) => {
            warnings.push(e.to_string());
            None
        }
        Err(e) => return Err(e),
    };
    stage("k-core");
    let core = core_number(g);
    stage("communities");
    let communities = louvain(g, &options.louvain);
    Ok(NodeMetrics {
        degree,
        weighted_degree,
        paths,
        pagerank,
        eigenvector,
        core,
        communities,
        warnings,
    })
}

/// The CSV header of [`write_metrics_csv`].
pub const METRICS_HEADER: [&str; 10] = [
    "node",
    "degree",
    "weighted_degree",
    "betweenness",
    "closeness",
    "harmonic",
    "pagerank",
    "eigenvector",
    "core",
    "community",
];

/// Writes one row per node in node-id order; floats in shortest round-trip form.
pub fn write_metrics_csv<W: Write>(g: &Graph, m: &NodeMetrics, out: W) -> Result<(), GraphError> {
    let mut w = csv::Writer::from_writer(out);
    let io = |e: csv::Error| GraphError::Io(std::io::Error::other(e.to_string()));
    w.write_record(METRICS_HEADER).map_err(io)?;
    let opt = |v: &Option<Vec<f64>>, i: usize| {
        v.as_ref()
            .and_then(|v| v.get(i))
            .map_or(String::new(), f64::to_string)
    };
    for v in g.nodes() {
        let i = v.index();
        let row = [
            g.key(NodeId(v.0)).to_owned(),
            m.degree[i].to_string(),
            m.weighted_degree[i].to_string(),
            m.paths.betweenness[i].to_string(),
            m.paths.closeness[i].to_string(),
            m.paths.harmonic[i].to_string(),
            opt(&m.pagerank, i),
            opt(&m.eigenvector, i),
            m.core[i].to_string(),
            m.communities.community[i].to_string(),
        ];
        w.write_record(&row).map_err(io)?;
    }
    w.flush()?;
    Ok(())
}
