//! `vigil synth ads`: a seeded synthetic ad feed (JSON Lines) and its ground truth.

use anyhow::Context;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `vigil synth ads`.
#[derive(clap::Args)]
pub struct Args {
    /// Number of ads.
    #[arg(long, default_value_t = 1000)]
    count: u64,
    /// Seed; the same seed gives the same feed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Ads JSONL output.
    #[arg(long)]
    out: PathBuf,
    /// Ground-truth JSONL output (operation, phones, circuits, possible minors per ad).
    #[arg(long)]
    truth: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let open = |p: &PathBuf| -> anyhow::Result<BufWriter<File>> {
        Ok(BufWriter::new(File::create(p).with_context(|| {
            format!("cannot create {}", p.display())
        })?))
    };
    let (mut ads, mut truth) = (open(&args.out)?, open(&args.truth)?);
    let config = vigil_synth::ads::AdsConfig {
        count: args.count,
        seed: args.seed,
        ..Default::default()
    };
    let mut written = 0u64;
    let mut next_report = 100_000u64;
    for (ad, t) in vigil_synth::ads::AdsGenerator::new(config) {
        serde_json::to_writer(&mut ads, &ad)?;
        ads.write_all(b"\n")?;
        serde_json::to_writer(&mut truth, &t)?;
        truth.write_all(b"\n")?;
        written += 1;
        if written == next_report {
            next_report += 100_000;
            eprintln!("synth ads: {written}/{}", args.count);
        }
    }
    ads.flush()?;
    truth.flush()?;
    eprintln!(
        "synth ads: wrote {written} ads to {} and truth to {}",
        args.out.display(),
        args.truth.display()
    );
    Ok(ExitCode::SUCCESS)
}
