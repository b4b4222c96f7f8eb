//! The `vigil` command line: one binary for the server, administration and the analytics.

mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Vigil: a self-hosted workspace for multi-agency anti-human-trafficking task forces.
#[derive(Parser)]
#[command(name = "vigil", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract phones, e-mails, handles, wallets, ages and prices from JSON Lines text.
    Extract(cmd::extract::Args),
    /// Online ads: import, cluster into operations, circuits.
    Ads(cmd::ads::Args),
    /// Entity resolution: deduplicate or link CSV files of records.
    Resolve(cmd::resolve::Args),
    /// Network analysis over an edge list: metrics, paths, ego networks, export.
    Graph(cmd::graph::Args),
    /// Seeded synthetic data sets with ground truth.
    Synth(cmd::synth::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => cmd::extract::run(args),
        Command::Ads(args) => cmd::ads::run(args),
        Command::Resolve(args) => cmd::resolve::run(args),
        Command::Graph(args) => cmd::graph::run(args),
        Command::Synth(args) => cmd::synth::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("vigil: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
