//! `vigil resolve` (being built).

use std::process::ExitCode;

/// Arguments of `vigil resolve`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`vigil resolve` is not built yet")
}
