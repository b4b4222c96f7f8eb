//! `vigil graph`: network metrics, paths, ego networks and exports over an edge-list CSV.
//!
//! A bad row of the edge list is reported as `FILE:LINE: reason` on stderr (the first
//! [`SHOWN_BAD_ROWS`], then a count) and skipped; the command runs on the rest and exits with
//! status 2, as `vigil extract` does for skipped lines.

use anyhow::Context;
use clap::Subcommand;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use vigil_graph::export::Format;
use vigil_graph::{
    Cost, Direction, Graph, GraphError, LouvainOptions, MetricsOptions, PathCentralityOptions,
    Sampling,
};

/// Arguments of `vigil graph`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// One row of metrics per node: degree, betweenness, closeness, harmonic, PageRank,
    /// eigenvector, k-core, community.
    #[command(long_about = METRICS_HELP)]
    Metrics(MetricsArgs),
    /// Shortest path(s) between two nodes (exit status 2 when there is none).
    Path(PathArgs),
    /// The n-hop ego network around a node, as an edge list (or another format).
    Ego(EgoArgs),
    /// Convert an edge list to GraphML, GEXF, Cytoscape JSON, FollowTheMoney JSON lines or i2 ANX.
    Export(ExportArgs),
}

const METRICS_HELP: &str = "\
One row per node: node,degree,weighted_degree,betweenness,closeness,harmonic,pagerank,eigenvector,core,community

Input: EDGES.csv with rows source,target[,weight[,type[,justification]]]; the header is optional
and detected. Duplicate edges are merged and their weights summed; self-loops are kept. A bad row
(too few fields, an empty node name, a weight that is not a finite non-negative number) is
reported on stderr with its line and skipped; the exit status is then 2.

Definitions follow networkx 3.6:
  degree, weighted_degree  a self-loop counts twice; directed: in + out
  betweenness   normalised as networkx does (endpoints excluded, divided by (n-1)(n-2)); hop
                distances unless --weights-as-distance
  closeness     networkx's closeness_centrality with the Wasserman-Faust scaling for disconnected
                graphs; directed: distances to the node
  harmonic      sum of 1/d over the other nodes, unnormalised
  pagerank      alpha 0.85, tol 1e-6, weighted, dangling mass spread uniformly
  eigenvector   power iteration on A+I, tol 1e-6, weighted, at most --eigenvector-max-iter
                iterations (empty, with a warning, if it does not converge)
  core          k-core number (self-loops ignored)
  community     Louvain on the undirected view, seeded by --seed; modularity printed on stderr

Betweenness, closeness and harmonic are EXACT when the graph has at most --exact-max-nodes nodes
(default 20000). Above that they are SAMPLED from --samples source nodes (default 1024) drawn with
--seed, and stderr states the error bound on betweenness (Hoeffding, 95% for all nodes at once).
All three come from one Brandes sweep; --only closeness (or harmonic) computes closeness and
harmonic alone from shortest distances, which is faster, with the same sources and values.";

#[derive(clap::Args)]
struct MetricsArgs {
    /// Edge list CSV.
    edges: PathBuf,
    /// Where to write the metrics CSV.
    #[arg(long)]
    out: PathBuf,
    /// Treat edges as directed (source -> target).
    #[arg(long)]
    directed: bool,
    /// Seed for Louvain and for sampled betweenness.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Largest graph (in nodes) on which path centralities are computed exactly.
    #[arg(long, default_value_t = 20_000)]
    exact_max_nodes: usize,
    /// Number of sampled sources above --exact-max-nodes.
    #[arg(long, default_value_t = 1024)]
    samples: usize,
    /// Use weights as distances for betweenness/closeness/harmonic (default: hop counts).
    #[arg(long)]
    weights_as_distance: bool,
    /// Compute only one metric: degree, paths or betweenness (betweenness+closeness+harmonic in
    /// one sweep), closeness or harmonic (both, without betweenness), pagerank, eigenvector, core,
    /// communities or components; the other columns stay empty.
    #[arg(long)]
    only: Option<String>,
    /// For benchmarks: compute the metrics up to this many times, printing each step's time every
    /// time, but start no repetition once --repeat-budget seconds have been spent.
    #[arg(long, default_value_t = 1, hide = true, value_parser = clap::value_parser!(u32).range(1..=1000))]
    repeat: u32,
    /// See --repeat.
    #[arg(long, default_value_t = 2.0, hide = true)]
    repeat_budget: f64,
    /// Iteration limit of the eigenvector power iteration (networkx's default is 100; large
    /// graphs may need more to reach tol 1e-6).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    eigenvector_max_iter: u32,
    /// Iteration limit of PageRank.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pagerank_max_iter: u32,
}

#[derive(clap::Args)]
struct PathArgs {
    /// Edge list CSV.
    edges: PathBuf,
    #[arg(long)]
    from: String,
    #[arg(long)]
    to: String,
    /// How many shortest simple paths to list (Yen's algorithm).
    #[arg(long, default_value_t = 1)]
    k: usize,
    /// Measure paths by summed weight instead of hop count.
    #[arg(long)]
    by_weight: bool,
    #[arg(long)]
    directed: bool,
}

#[derive(clap::Args)]
struct EgoArgs {
    /// Edge list CSV.
    edges: PathBuf,
    #[arg(long)]
    node: String,
    #[arg(long, default_value_t = 2)]
    hops: u32,
    /// Output file (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// csv (an edge list), graphml, gexf, cytoscape, ftm or anx.
    #[arg(long, default_value = "csv")]
    format: String,
    #[arg(long)]
    directed: bool,
    /// In a directed graph, follow edges both ways.
    #[arg(long)]
    undirected: bool,
}

#[derive(clap::Args)]
struct ExportArgs {
    /// Edge list CSV.
    edges: PathBuf,
    /// graphml, gexf, cytoscape, ftm or anx.
    #[arg(long)]
    format: String,
    #[arg(long)]
    out: PathBuf,
    #[arg(long)]
    directed: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Metrics(a) => metrics(a),
        Command::Path(a) => path(a),
        Command::Ego(a) => ego(a),
        Command::Export(a) => export(a),
    }
}

fn direction(directed: bool) -> Direction {
    if directed {
        Direction::Directed
    } else {
        Direction::Undirected
    }
}

/// Bad rows reported one by one; past these, only their number.
const SHOWN_BAD_ROWS: u64 = 100;

/// An edge list read into a graph, and how many of its rows were skipped as bad.
struct Loaded {
    graph: Graph,
    skipped: u64,
}

impl Loaded {
    /// The exit status of a command that did its work on this graph: 2 when rows were skipped.
    fn status(&self) -> ExitCode {
        if self.skipped > 0 {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        }
    }
}

fn load(path: &Path, directed: bool) -> anyhow::Result<Loaded> {
    let name = path.display().to_string();
    let file = File::open(path).with_context(|| format!("cannot open {name}"))?;
    let started = Instant::now();
    let mut last_report = 0;
    let mut progress = |n: u64| {
        if n > last_report && n.is_multiple_of(vigil_graph::edgelist::PROGRESS_EVERY) {
            last_report = n;
            eprintln!(
                "vigil graph: read {n} edges ({:.1} s)",
                started.elapsed().as_secs_f64()
            );
        }
    };
    let mut skipped = 0u64;
    let mut bad_row = |e: GraphError| {
        skipped += 1;
        if skipped <= SHOWN_BAD_ROWS {
            eprintln!("{}", e.in_file(&name));
        }
    };
    let read = vigil_graph::read_edge_list(
        BufReader::with_capacity(1 << 20, file),
        direction(directed),
        &mut progress,
        &mut bad_row,
    );
    if skipped > SHOWN_BAD_ROWS {
        eprintln!(
            "{name}: {} more bad rows not shown",
            skipped - SHOWN_BAD_ROWS
        );
    }
    if skipped > 0 {
        eprintln!("vigil graph: {name}: {skipped} bad rows skipped");
    }
    let graph = read.map_err(|e| anyhow::anyhow!(e.in_file(&name)))?;
    eprintln!(
        "vigil graph: {name}: {} nodes, {} edges after merging duplicates ({:.3} s)",
        graph.node_count(),
        graph.edge_count(),
        started.elapsed().as_secs_f64()
    );
    Ok(Loaded { graph, skipped })
}

fn require(g: &Graph, key: &str, file: &Path) -> anyhow::Result<vigil_graph::NodeId> {
    g.require(key).map_err(|e| match e {
        GraphError::UnknownNode(k) => anyhow::anyhow!("node {k:?} is not in {}", file.display()),
        other => other.into(),
    })
}

fn create(path: &Path) -> anyhow::Result<BufWriter<File>> {
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

fn metrics(a: MetricsArgs) -> anyhow::Result<ExitCode> {
    let loaded = load(&a.edges, a.directed)?;
    let g = &loaded.graph;
    let options = MetricsOptions {
        paths: PathCentralityOptions {
            sampling: Sampling::Auto {
                max_exact_nodes: a.exact_max_nodes,
                sources: a.samples,
                seed: a.seed,
            },
            weights_as_distance: a.weights_as_distance,
            confidence: 0.95,
        },
        louvain: LouvainOptions {
            seed: a.seed,
            ..Default::default()
        },
        only: a.only.as_deref().map(str::parse).transpose()?,
        eigenvector: vigil_graph::EigenvectorOptions {
            max_iter: a.eigenvector_max_iter as usize,
            ..Default::default()
        },
        pagerank: vigil_graph::PageRankOptions {
            max_iter: a.pagerank_max_iter as usize,
            ..Default::default()
        },
    };
    let started = Instant::now();
    let mut current: Option<(String, Instant)> = None;
    let mut stage = |name: &str| {
        if let Some((prev, at)) = current.take() {
            eprintln!(
                "vigil graph: {prev} took {:.9} s",
                at.elapsed().as_secs_f64()
            );
        }
        if name != "done" {
            current = Some((name.to_owned(), Instant::now()));
        }
    };
    let mut m = vigil_graph::compute_metrics(g, &options, &mut stage)?;
    for _ in 1..a.repeat {
        if started.elapsed().as_secs_f64() >= a.repeat_budget {
            break;
        }
        m = vigil_graph::compute_metrics(g, &options, &mut stage)?;
    }
    if !m.components.sizes.is_empty() {
        eprintln!(
            "vigil graph: {} connected components{}, largest {} nodes",
            m.components.count(),
            if a.directed { " (weakly)" } else { "" },
            m.components.sizes.iter().max().copied().unwrap_or(0)
        );
    }
    let with_betweenness = !m.paths.betweenness.is_empty();
    let which = if with_betweenness {
        "betweenness, closeness and harmonic are"
    } else {
        "closeness and harmonic are"
    };
    if !m.paths.closeness.is_empty() && m.paths.sampled {
        eprint!(
            "vigil graph: {which} ESTIMATES from {} sampled sources (seed {})",
            m.paths.sources, a.seed
        );
        match m.paths.betweenness_error_bound {
            Some(bound) if with_betweenness => {
                eprintln!("; betweenness error <= {bound:.4} for every node with 95% confidence")
            }
            _ => eprintln!(),
        }
    } else if !m.paths.closeness.is_empty() {
        eprintln!("vigil graph: {which} exact");
    }
    if !m.communities.community.is_empty() {
        eprintln!(
            "vigil graph: {} communities, modularity {:.6} (Louvain, seed {})",
            m.communities.count, m.communities.modularity, a.seed
        );
    }
    for w in &m.warnings {
        eprintln!("vigil graph: warning: {w}; its column is left empty");
    }
    let out = create(&a.out)?;
    vigil_graph::write_metrics_csv(g, &m, out)?;
    eprintln!(
        "vigil graph: wrote {} ({:.1} s)",
        a.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(loaded.status())
}

fn path(a: PathArgs) -> anyhow::Result<ExitCode> {
    let loaded = load(&a.edges, a.directed)?;
    let g = &loaded.graph;
    let from = require(g, &a.from, &a.edges)?;
    let to = require(g, &a.to, &a.edges)?;
    let cost = if a.by_weight {
        Cost::Weight
    } else {
        Cost::Hops
    };
    let paths = vigil_graph::k_shortest_paths(g, from, to, a.k.max(1), cost)?;
    if paths.is_empty() {
        println!("no path from {:?} to {:?}", a.from, a.to);
        return Ok(ExitCode::from(2));
    }
    let unit = if a.by_weight { "weight" } else { "hops" };
    let mut stdout = std::io::stdout().lock();
    for (i, p) in paths.iter().enumerate() {
        let names: Vec<&str> = p.nodes.iter().map(|&v| g.key(v)).collect();
        writeln!(
            stdout,
            "{}. {} ({unit} {})",
            i + 1,
            names.join(" -> "),
            p.cost
        )?;
    }
    Ok(loaded.status())
}

fn ego(a: EgoArgs) -> anyhow::Result<ExitCode> {
    let loaded = load(&a.edges, a.directed)?;
    let g = &loaded.graph;
    let center = require(g, &a.node, &a.edges)?;
    let sub = vigil_graph::ego_network(g, center, a.hops, a.undirected)?;
    eprintln!(
        "vigil graph: ego network of {:?}: {} nodes, {} edges",
        a.node,
        sub.node_count(),
        sub.edge_count()
    );
    let mut out: Box<dyn Write> = match &a.out {
        Some(p) => Box::new(create(p)?),
        None => Box::new(std::io::stdout().lock()),
    };
    if a.format.eq_ignore_ascii_case("csv") {
        vigil_graph::edgelist::write_edge_list(&sub, &mut out)?;
    } else {
        let format: Format = a.format.parse()?;
        vigil_graph::export::write(&sub, format, &mut out)?;
    }
    out.flush()?;
    Ok(loaded.status())
}

fn export(a: ExportArgs) -> anyhow::Result<ExitCode> {
    let format: Format = a.format.parse()?;
    let loaded = load(&a.edges, a.directed)?;
    let g = &loaded.graph;
    let mut out = create(&a.out)?;
    vigil_graph::export::write(g, format, &mut out)?;
    out.flush()?;
    eprintln!("vigil graph: wrote {}", a.out.display());
    Ok(loaded.status())
}
