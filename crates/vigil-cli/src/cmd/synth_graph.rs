//! `vigil synth graph`: a seeded scale-free edge list (CSV `source,target,weight`), streamed.

use anyhow::Context;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `vigil synth graph`.
#[derive(clap::Args)]
pub struct Args {
    /// Number of edges to generate.
    #[arg(long)]
    edges: u64,
    /// Seed: the same seed gives the same graph.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Edges each new node attaches with (Barabási–Albert m); nodes ≈ edges / m.
    #[arg(long, default_value_t = 4)]
    per_node: u32,
    /// Output CSV (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let sink: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, sink);
    writeln!(out, "source,target,weight")?;
    for e in vigil_synth::graph::scale_free(args.edges, args.per_node, args.seed) {
        writeln!(out, "n{},n{},{}", e.source, e.target, e.weight)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
