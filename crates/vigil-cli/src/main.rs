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
    /// Serve the API (data directory, database and address from flags, VIGIL_* env or --config).
    Serve(cmd::serve::Args),
    /// Seed a synthetic task force into a fresh data directory, print the logins, and serve it.
    Demo(cmd::demo::Args),
    /// Apply pending database migrations (they also run on every start).
    Migrate(cmd::migrate::Args),
    /// Agencies and accounts from the host: the first administrator, unlocks, disables.
    Admin(cmd::admin::Args),
    /// Verify, checkpoint and export the tamper-evident audit trail.
    Audit(cmd::audit::Args),
    /// Print the current code for a TOTP secret (as an authenticator app would).
    Totp(cmd::totp::Args),
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
    // --- xref
    /// Cross-referencing from the host: export judgements as training labels; benchmark.
    Xref(cmd::xref::Args),
    // --- evidence
    /// Evidence fixity (re-hash every blob, find missing and orphaned ones) and court packages.
    Evidence(cmd::evidence::Args),
}

/// mimalloc instead of the system allocator: the clustering and import paths allocate per ad on
/// several threads, where it measured 8% less CPU than glibc malloc (bench/ads/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => cmd::serve::run(args),
        Command::Demo(args) => cmd::demo::run(args),
        Command::Migrate(args) => cmd::migrate::run(args),
        Command::Admin(args) => cmd::admin::run(args),
        Command::Audit(args) => cmd::audit::run(args),
        Command::Totp(args) => cmd::totp::run(args),
        Command::Extract(args) => cmd::extract::run(args),
        Command::Ads(args) => cmd::ads::run(args),
        Command::Resolve(args) => cmd::resolve::run(args),
        // --- xref
        Command::Xref(args) => cmd::xref::run(args),
        Command::Graph(args) => cmd::graph::run(args),
        Command::Synth(args) => cmd::synth::run(args),
        // --- evidence
        Command::Evidence(args) => cmd::evidence::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("vigil: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
