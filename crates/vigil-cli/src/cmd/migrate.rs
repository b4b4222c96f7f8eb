//! `vigil migrate`: apply pending database migrations (they also run on every start).

use super::db::DbArgs;
use anyhow::Context;
use std::process::ExitCode;

/// Arguments of `vigil migrate`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    rt.block_on(async {
        let (config, shown) = args.db.store_config()?;
        let n = vigil_store::Store::migrate_only(&config)
            .await
            .with_context(|| format!("migrating {shown}"))?;
        eprintln!("{shown}: {n} migration(s) applied; the schema is up to date.");
        Ok(ExitCode::SUCCESS)
    })
}
