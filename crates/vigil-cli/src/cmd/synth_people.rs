//! `vigil synth people` (being built).

use std::process::ExitCode;

/// Arguments of `vigil synth people`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`vigil synth people` is not built yet")
}
