//! Every per-node metric in one table, and its CSV form
//! (`node,degree,weighted_degree,betweenness,closeness,harmonic,pagerank,eigenvector,core,community`).

use crate::centrality::{
    distance_centrality, eigenvector_centrality, pagerank, path_centrality, EigenvectorOptions,
    PageRankOptions, PathCentrality, PathCentralityOptions,
};
use crate::louvain::{louvain, Communities, LouvainOptions};
use crate::{
    connected_components, core_number, degree, weighted_degree, Components, Graph, GraphError,
    NodeId,
};
use std::io::Write;

#[derive(Clone, Copy, Debug, Default)]
pub struct MetricsOptions {
    pub paths: PathCentralityOptions,
    pub pagerank: PageRankOptions,
    pub eigenvector: EigenvectorOptions,
    pub louvain: LouvainOptions,
    /// Compute only this metric (the other columns stay empty); `None` computes all.
    pub only: Option<Metric>,
}

/// One step of [`compute_metrics`], for computing (and timing) it alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Degree,
    /// Betweenness, closeness and harmonic from one Brandes sweep (what computing every metric
    /// uses).
    Paths,
    /// Closeness and harmonic alone, from shortest distances without betweenness's path counts.
    Distances,
    PageRank,
    Eigenvector,
    Core,
    Communities,
    Components,
}

impl std::str::FromStr for Metric {
    type Err = GraphError;
    fn from_str(s: &str) -> Result<Self, GraphError> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "degree" => Metric::Degree,
            "paths" | "betweenness" => Metric::Paths,
            "distances" | "closeness" | "harmonic" => Metric::Distances,
            "pagerank" => Metric::PageRank,
            "eigenvector" => Metric::Eigenvector,
            "core" | "kcore" | "k-core" => Metric::Core,
            "community" | "communities" | "louvain" => Metric::Communities,
            "components" => Metric::Components,
            other => {
                return Err(GraphError::InvalidArgument(format!(
                    "unknown metric {other:?} (expected degree, paths or betweenness, closeness or harmonic, pagerank, eigenvector, core, communities or components)"
                )))
            }
        })
    }
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
    pub components: Components,
    pub warnings: Vec<String>,
}

/// Computes every metric (or only `options.only`); `stage` is told the name of each step before it
/// starts, and `"done"` at the end, so a caller can time each step.
pub fn compute_metrics(
    g: &Graph,
    options: &MetricsOptions,
    stage: &mut dyn FnMut(&str),
) -> Result<NodeMetrics, GraphError> {
    let mut warnings = Vec::new();
    let want = |m: Metric| options.only.is_none_or(|o| o == m);
    let (mut degree_v, mut weighted) = (Vec::new(), Vec::new());
    if want(Metric::Degree) {
        stage("degree");
        degree_v = degree(g);
        stage("weighted degree");
        weighted = weighted_degree(g);
    }
    let mut paths = PathCentrality {
        betweenness: Vec::new(),
        closeness: Vec::new(),
        harmonic: Vec::new(),
        sources: 0,
        sampled: false,
        betweenness_error_bound: None,
    };
    if want(Metric::Paths) {
        stage("betweenness, closeness, harmonic");
        paths = path_centrality(g, &options.paths)?;
    }
    // Only when asked alone: with every metric, the sweep above already gave both.
    if options.only == Some(Metric::Distances) {
        stage("closeness, harmonic");
        let d = distance_centrality(g, &options.paths)?;
        paths = PathCentrality {
            closeness: d.closeness,
            harmonic: d.harmonic,
            sources: d.sources,
            sampled: d.sampled,
            ..paths
        };
    }
    let mut converged = |name: &str, r: Result<Vec<f64>, GraphError>| match r {
        Ok(v) => Ok(Some(v)),
        Err(e @ GraphError::NotConverged { .. }) => {
            warnings.push(format!("{name}: {e}"));
            Ok(None)
        }
        Err(e) => Err(e),
    };
    let mut pr = None;
    if want(Metric::PageRank) {
        stage("pagerank");
        pr = converged("pagerank", pagerank(g, &options.pagerank))?;
    }
    let mut eigen = None;
    if want(Metric::Eigenvector) {
        stage("eigenvector");
        eigen = converged(
            "eigenvector",
            eigenvector_centrality(g, &options.eigenvector),
        )?;
    }
    let mut core = Vec::new();
    if want(Metric::Core) {
        stage("k-core");
        core = core_number(g);
    }
    let mut communities = Communities {
        community: Vec::new(),
        count: 0,
        modularity: f64::NAN,
    };
    if want(Metric::Communities) {
        stage("communities");
        communities = louvain(g, &options.louvain);
    }
    let mut components = Components {
        component: Vec::new(),
        sizes: Vec::new(),
    };
    if want(Metric::Components) {
        stage("components");
        components = connected_components(g);
    }
    stage("done");
    Ok(NodeMetrics {
        degree: degree_v,
        weighted_degree: weighted,
        paths,
        pagerank: pr,
        eigenvector: eigen,
        core,
        communities,
        components,
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

/// Writes one row per node in node-id order; floats in shortest round-trip form; a metric that was
/// not computed (or did not converge) is left empty.
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
        let text = |v: &[f64]| v.get(i).map_or(String::new(), f64::to_string);
        let row = [
            g.key(NodeId(v.0)).to_owned(),
            m.degree.get(i).map_or(String::new(), u64::to_string),
            text(&m.weighted_degree),
            text(&m.paths.betweenness),
            text(&m.paths.closeness),
            text(&m.paths.harmonic),
            opt(&m.pagerank, i),
            opt(&m.eigenvector, i),
            m.core.get(i).map_or(String::new(), u32::to_string),
            m.communities
                .community
                .get(i)
                .map_or(String::new(), u32::to_string),
        ];
        w.write_record(&row).map_err(io)?;
    }
    w.flush()?;
    Ok(())
}
