//! `vigil evidence verify`: fixity of the evidence blob store against the database (SI-7, EV-5).
//! Re-hashes every blob the database records (streaming), and reports blobs whose bytes changed,
//! blobs that are missing, and orphans (on disk with no record: an upload interrupted between
//! its blob write and its row commit). Read-only; exit status 1 when anything disagrees.

use super::db::DbArgs;
use anyhow::Context;
use clap::Subcommand;
use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;
use vigil_evidence::BlobStore;

/// Arguments of `vigil evidence`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Subcommand)]
pub enum Action {
    /// Re-hash every blob and compare the blob store with the database. Exit status 0 when all
    /// agree; 1 with each mismatched, missing or orphaned blob named.
    Verify,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    rt.block_on(async {
        let (store, shown) = args.db.open().await?;
        let blob_dir = args.db.blob_dir()?;
        let code = match args.action {
            Action::Verify => verify(&store, &shown, BlobStore::new(&blob_dir)).await?,
        };
        store.close().await;
        Ok(code)
    })
}

async fn verify(
    store: &vigil_store::Store,
    shown: &str,
    blobs: BlobStore,
) -> anyhow::Result<ExitCode> {
    let ledger: BTreeMap<_, _> = store.blob_ledger().await?.into_iter().collect();
    let started = std::time::Instant::now();
    let total: u64 = ledger.values().sum();
    let store_dir = blobs.root().to_owned();
    let mut report = tokio::task::spawn_blocking(move || {
        let mut last = 0u64;
        vigil_evidence::verify(&blobs, &ledger, |done| {
            if done >= last + (1 << 30) {
                eprint!("\rre-hashed {} of {} MiB…", done >> 20, total >> 20);
                last = done;
            }
        })
    })
    .await
    .context("the fixity thread stopped")?
    .with_context(|| format!("reading the blob store in {}", store_dir.display()))?;
    eprint!("\r");
    // An upload may have committed while the disk was scanned: it is not an orphan.
    if !report.orphans.is_empty() {
        let now: BTreeSet<_> = store
            .blob_ledger()
            .await?
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        report.orphans.retain(|d| !now.contains(d));
    }
    let blobs = BlobStore::new(&store_dir);
    for m in &report.mismatched {
        println!(
            "MISMATCH {}: the bytes now hash to {} ({} bytes; recorded {} bytes){}",
            m.digest,
            m.actual,
            m.actual_size,
            m.expected_size,
            items(store, m.digest).await?
        );
    }
    for d in &report.missing {
        println!(
            "MISSING {d}: recorded in the database, not in the blob store{}",
            items(store, *d).await?
        );
    }
    for d in &report.orphans {
        println!(
            "ORPHAN {d}: in the blob store ({}) with no database record (an upload interrupted before its commit)",
            blobs.path(d).display()
        );
    }
    for p in &report.strays {
        println!("STRAY {}: not a blob", p.display());
    }
    if !report.partials.is_empty() {
        println!(
            "note: {} partial upload(s) in {} (in progress, or interrupted and safe to delete)",
            report.partials.len(),
            store_dir.join("tmp").display()
        );
    }
    let secs = started.elapsed().as_secs_f64();
    let problems =
        report.mismatched.len() + report.missing.len() + report.orphans.len() + report.strays.len();
    println!(
        "evidence fixity {}: {} blobs, {} bytes re-hashed in {secs:.2} s ({:.0} MB/s); {} mismatched, {} missing, {} orphaned, {} stray ({shown}; blobs in {})",
        if problems == 0 { "intact" } else { "FAILED" },
        report.checked,
        report.bytes,
        report.bytes as f64 / 1e6 / secs.max(1e-9),
        report.mismatched.len(),
        report.missing.len(),
        report.orphans.len(),
        report.strays.len(),
        store_dir.display(),
    );
    Ok(if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// " (evidence <id> in case <id>, …)" for a digest: which items an operator must look at.
async fn items(store: &vigil_store::Store, d: vigil_types::Sha256Digest) -> anyhow::Result<String> {
    let found = store.evidence_with_blob(d).await?;
    if found.is_empty() {
        return Ok(String::new());
    }
    let list: Vec<String> = found
        .iter()
        .map(|(e, c)| format!("evidence {e} in case {c}"))
        .collect();
    Ok(format!(" — {}", list.join(", ")))
}
