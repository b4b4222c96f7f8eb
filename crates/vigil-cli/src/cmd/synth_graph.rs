//! `vigil synth graph` (being built).

use std::process::ExitCode;

/// Arguments of `vigil synth graph`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`vigil synth graph` is not built yet")
}
