//! `vigil extract` (being built).

use std::process::ExitCode;

/// Arguments of `vigil extract`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`vigil extract` is not built yet")
}
