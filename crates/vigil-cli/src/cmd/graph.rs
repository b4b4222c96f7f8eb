//! `vigil graph` (being built).

use std::process::ExitCode;

/// Arguments of `vigil graph`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`vigil graph` is not built yet")
}
