//! Centrality measures: shortest-path based (betweenness, closeness, harmonic) and spectral
//! (PageRank, eigenvector).

pub mod distances;
pub mod eigenvector;
pub mod pagerank;
pub mod paths;
mod vector;

pub use distances::{distance_centrality, DistanceCentrality};
pub use eigenvector::{eigenvector_centrality, EigenvectorOptions};
pub use pagerank::{pagerank, PageRankOptions};
pub use paths::{path_centrality, PathCentrality, PathCentralityOptions, Sampling};
