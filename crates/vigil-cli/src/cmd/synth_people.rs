//! `vigil synth people`: seeded synthetic person records (CSV) with known duplicates.

use anyhow::Context;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `vigil synth people`.
#[derive(clap::Args)]
pub struct Args {
    /// Number of records.
    #[arg(long, default_value_t = 10_000)]
    count: u64,
    /// Seed; the same seed gives the same records.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Records CSV output.
    #[arg(long)]
    out: PathBuf,
    /// Ground truth CSV output (`rec_id,entity_id`).
    #[arg(long)]
    truth: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let open = |p: &PathBuf| -> anyhow::Result<BufWriter<File>> {
        Ok(BufWriter::new(File::create(p).with_context(|| {
            format!("cannot create {}", p.display())
        })?))
    };
    let (mut out, mut truth) = (open(&args.out)?, open(&args.truth)?);
    let cfg = vigil_synth::people::PeopleConfig {
        count: args.count,
        seed: args.seed,
    };
    let n = vigil_synth::people::write_people(&cfg, &mut out, &mut truth)?;
    out.flush()?;
    truth.flush()?;
    eprintln!(
        "synth people: wrote {n} records to {} and truth to {}",
        args.out.display(),
        args.truth.display()
    );
    Ok(ExitCode::SUCCESS)
}
