//! Online-ad intelligence: explainable indicator scoring, operations (clustering) and circuits.
//!
//! The crate is pure: it takes parsed ads and extracted selectors as values and returns values.
//! Identifier extraction lives in `vigil-ident`; the CLI maps its output into [`AdFeatures`].
//! Every output of this crate is a lead for human review, never evidence on its own.

pub mod circuits;
pub mod cluster;
pub mod features;
pub mod feed;
pub mod indicators;
pub mod time;

pub use circuits::{find_circuits, Circuit, CircuitConfig, Sighting, Stop};
pub use cluster::{
    candidate_probability, jaccard5, ClusterConfig, ClusterError, ClusterStats, Clusterer, Link,
    LinkReason, MinHashScheme, Operation, Operations, PreparedAd, Suppressed, SuppressionReason,
};
pub use features::{AdFeatures, Field, Selector, SelectorKind, Span, StatedAge};
pub use feed::{parse_ad_line, AdRecord, FeedError};
pub use indicators::{score, Contribution, Hit, Score, Scorer, WeightSet, WeightsError};

/// The sentence every score and export carries.
pub const LEAD_NOT_EVIDENCE: &str = "This is a lead for human review, not evidence: ad indicators \
alone cannot establish trafficking (NIJ), and nothing automatic follows from this score.";
