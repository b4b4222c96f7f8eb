//! Entity resolution: normalise, block, score (Fellegi-Sunter) and cluster records, with explanations.
//!
//! Pure: readers and values in, values out; progress goes through a caller-supplied callback.

pub mod address;
pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod contact;
pub mod dataset;
pub mod dates;
pub mod error;
pub mod evaluate;
pub mod index;
pub mod intern;
pub mod model;
pub mod names;
pub mod phonetic;
pub mod pipeline;
pub mod privacy;
pub mod schema;
pub mod scoring;
pub mod similarity;
pub mod text;

pub use dataset::{Dataset, LoadReport, Record, Slot};
pub use error::ResolveError;
pub use index::{Candidate, Index};
pub use pipeline::{
    apply_labels, dedupe, dedupe_labelled, link, link_labelled, Resolution, Summary,
};
pub use schema::{Config, FieldKind};
pub use scoring::{Explanation, FieldEvidence, ScoreTables, Scorer};
