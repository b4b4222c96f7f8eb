//! Network analysis: a compact graph and the metrics analysts use to find key players and rings.
//!
//! Pure: no file, network, clock or sleeping threads. Callers build a [`Graph`] with a
//! [`GraphBuilder`] (or stream an edge list with [`read_edge_list`]) and call the algorithms, which
//! return one value per node indexed by [`NodeId`]. Definitions follow networkx 3.6 so results can be
//! checked against it; each module states where and why it differs.

pub mod brokers;
mod builder;
pub mod centrality;
pub mod components;
pub mod degree;
pub mod edgelist;
pub mod ego;
mod error;
pub mod export;
mod graph;
pub mod kcore;
pub mod louvain;
pub mod metrics;
pub mod paths;

pub use brokers::{brokers, Brokers};
pub use builder::GraphBuilder;
pub use centrality::{
    distance_centrality, eigenvector_centrality, pagerank, path_centrality, DistanceCentrality,
    EigenvectorOptions, PageRankOptions, PathCentrality, PathCentralityOptions, Sampling,
};
pub use components::{connected_components, Components};
pub use degree::{degree, weighted_degree};
pub use edgelist::read_edge_list;
pub use ego::{ego_network, induced_subgraph, within_hops};
pub use error::GraphError;
pub use graph::{Direction, Edge, EdgeId, Graph, NodeId, Provenance};
pub use kcore::core_number;
pub use louvain::{louvain, modularity, Communities, LouvainOptions};
pub use metrics::{compute_metrics, write_metrics_csv, Metric, MetricsOptions, NodeMetrics};
pub use paths::{k_shortest_paths, shortest_path, Cost, Path};
