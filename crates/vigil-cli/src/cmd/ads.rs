//! `vigil ads` (being built).

use std::process::ExitCode;

/// Arguments of `vigil ads`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`vigil ads` is not built yet")
}
