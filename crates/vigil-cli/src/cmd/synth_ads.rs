//! `vigil synth ads` (being built).

use std::process::ExitCode;

/// Arguments of `vigil synth ads`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`vigil synth ads` is not built yet")
}
