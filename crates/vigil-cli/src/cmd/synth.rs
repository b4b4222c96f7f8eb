//! `vigil synth …`: seeded synthetic data sets; each kind lives in its own module.

use clap::Subcommand;
use std::process::ExitCode;

/// Arguments of `vigil synth`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    kind: Kind,
}

#[derive(Subcommand)]
enum Kind {
    /// A synthetic online-ad feed (JSON Lines) with ground truth.
    Ads(super::synth_ads::Args),
    /// Synthetic person records (CSV) with known duplicates.
    People(super::synth_people::Args),
    /// A synthetic scale-free edge list (CSV).
    Graph(super::synth_graph::Args),
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.kind {
        Kind::Ads(a) => super::synth_ads::run(a),
        Kind::People(a) => super::synth_people::run(a),
        Kind::Graph(a) => super::synth_graph::run(a),
    }
}
