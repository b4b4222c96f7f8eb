//! One module per top-level command; each exposes `Args` (clap) and `run(Args)`.

pub mod ads;
pub mod extract;
pub mod graph;
pub mod resolve;
pub mod synth;
pub mod synth_ads;
pub mod synth_graph;
pub mod synth_people;
