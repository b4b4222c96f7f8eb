//! `vigil evidence`: fixity and court packages from the host.
//!
//! `verify` checks the evidence blob store against the database (SI-7, EV-5): it re-hashes every
//! blob the database records (streaming), and reports blobs whose bytes changed, blobs that are
//! missing, and orphans (on disk with no record: an upload interrupted between its blob write
//! and its row commit). Read-only; exit status 1 when anything disagrees.
//! `export` writes a case's court package into a directory, as a named task-force member whom
//! the policy allows to export (the same custody and audit events as the API's export).
//! `verify-package` checks an exported package offline: no database, no blob store.

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
    /// Write a case's court package (files, SHA256SUMS, custody report) into a directory.
    Export(ExportArgs),
    /// Check an exported package directory offline (re-hash every file SHA256SUMS lists and
    /// name unlisted files). Needs no database. Exit status 1 when anything disagrees.
    VerifyPackage {
        /// The package directory (`evidence-<case id>`, from the API's tar or `export`).
        dir: std::path::PathBuf,
    },
}

/// Arguments of `vigil evidence export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// The case: its id, or its number with --agency.
    pub case: String,
    /// The short code of the agency that owns the case (with a case number).
    #[arg(long)]
    pub agency: Option<String>,
    /// The task-force member exporting (the case lead, an owning supervisor or a prosecutor on
    /// the team); recorded in the custody events.
    #[arg(long = "as")]
    pub user: String,
    /// Why the package is made (e.g. "Discovery").
    #[arg(long)]
    pub purpose: String,
    /// Who receives it (a court, a prosecutor's office, a defence attorney).
    #[arg(long)]
    pub recipient: String,
    /// Directory to write into; the package is `<out>/evidence-<case id>` (must not exist).
    #[arg(long)]
    pub out: std::path::PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Action::VerifyPackage { dir } = &args.action {
        return verify_package(dir);
    }
    let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    rt.block_on(async {
        let (store, shown) = args.db.open().await?;
        let blob_dir = args.db.blob_dir()?;
        let code = match args.action {
            Action::Verify => verify(&store, &shown, BlobStore::new(&blob_dir)).await?,
            Action::Export(a) => export(&store, BlobStore::new(&blob_dir), a).await?,
            Action::VerifyPackage { .. } => ExitCode::SUCCESS,
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

/// `vigil evidence verify-package DIR`.
fn verify_package(dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    let c = vigil_evidence::check_dir(dir)?;
    for (path, want, got) in &c.mismatched {
        println!("MISMATCH {path}: listed {want}, the file hashes to {got}");
    }
    for path in &c.missing {
        println!("MISSING {path}: listed in SHA256SUMS, not in the package");
    }
    for path in &c.unlisted {
        println!("UNLISTED {path}: in the package, not in SHA256SUMS");
    }
    for line in &c.bad_lines {
        println!("BAD LINE {line} of SHA256SUMS: not `<sha256>  <file in the package>`");
    }
    let intact = c.is_intact();
    println!(
        "package {}: {} files, {} bytes re-hashed; {} mismatched, {} missing, {} unlisted ({})",
        if intact { "intact" } else { "FAILED" },
        c.checked,
        c.bytes,
        c.mismatched.len(),
        c.missing.len(),
        c.unlisted.len(),
        dir.display()
    );
    Ok(if intact {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `vigil evidence export`: the policy decides as for `POST /cases/{id}/evidence/export`; the
/// `exported` custody events and the audit event commit before the first file is written.
async fn export(
    store: &vigil_store::Store,
    blobs: BlobStore,
    a: ExportArgs,
) -> anyhow::Result<ExitCode> {
    use vigil_audit::Outcome;
    use vigil_core::{authorize, Action, Actor, Decision, Target, TokenScope};
    use vigil_store::AuditDraft;
    let purpose = vigil_types::DisplayText::parse(&a.purpose, 500)
        .map_err(|e| anyhow::anyhow!("--purpose: {e}"))?
        .into_string();
    let recipient = vigil_types::DisplayText::parse(&a.recipient, 200)
        .map_err(|e| anyhow::anyhow!("--recipient: {e}"))?
        .into_string();
    let case_id = match (vigil_types::CaseId::parse(a.case.trim()), &a.agency) {
        (Ok(id), _) => id,
        (Err(_), Some(code)) => {
            let agency = store
                .agency_by_code(code)
                .await?
                .with_context(|| format!("--agency: no agency with short code {code:?}"))?;
            store
                .case_by_number(agency, a.case.trim())
                .await?
                .with_context(|| format!("agency {code} has no case {:?}", a.case))?
        }
        (Err(_), None) => anyhow::bail!("CASE: give a case id, or a case number with --agency"),
    };
    let name = vigil_types::Username::parse(&a.user).map_err(|e| anyhow::anyhow!("--as: {e}"))?;
    let user = store
        .user_by_username(&name)
        .await?
        .with_context(|| format!("--as: no user named {name}"))?;
    if user.disabled {
        anyhow::bail!("--as: the account {name} is disabled");
    }
    let actor = Actor {
        user: user.id,
        agency: user.agency_id,
        role: user.role,
        scope: TokenScope::Full,
    };
    let facts = store.case_facts(case_id).await?.context("no such case")?;
    let event = |outcome, detail: String| AuditDraft {
        actor_user: Some(actor.user),
        actor_agency: Some(actor.agency),
        action: "evidence.export".into(),
        object_kind: "case".into(),
        object_id: Some(case_id.to_string()),
        object_agency: Some(facts.owner),
        outcome,
        detail,
    };
    if let Decision::Deny(why) = authorize(&actor, Action::ExportEvidence, Target::Case(&facts)) {
        let d = event(Outcome::Denied, format!("local_cli;{}", why.as_str()));
        store
            .write(move |mut ctx| async move {
                let r = ctx.audit(d).await.map(|_| ());
                (ctx, r)
            })
            .await?;
        anyhow::bail!(
            "--as: {name} may not export the evidence of this case ({}); the case lead, an owning supervisor or a prosecutor on the team may",
            why.as_str()
        );
    }
    let items = store.case_evidence(case_id).await?;
    if items.is_empty() {
        anyhow::bail!("the case has no evidence to export");
    }
    if let Some(missing) = items.iter().find(|e| !blobs.contains(&e.sha256)) {
        anyhow::bail!(
            "blob {} is missing from {}: run `vigil evidence verify`",
            missing.sha256,
            blobs.root().display()
        );
    }
    let root = a.out.join(format!("evidence-{case_id}"));
    if root.exists() {
        anyhow::bail!("{} exists already; choose another --out", root.display());
    }
    let case = store.case(case_id).await?.context("no such case")?;
    let now = store.clock().now();
    let events = vigil_server::court::exported_events(&items, &actor, now, &purpose, &recipient);
    let d = event(Outcome::Success, format!("local_cli;items={}", items.len()));
    store
        .write_audited(d, move |mut ctx| async move {
            for ev in &events {
                if let Err(e) = vigil_store::evidence::insert_custody(&mut ctx, ev).await {
                    return (ctx, Err(e));
                }
            }
            (ctx, Ok(()))
        })
        .await?;
    let package =
        vigil_server::court::package(store, &case, &items, actor.user, now, purpose, recipient)
            .await?;
    let out = a.out.clone();
    let root = tokio::task::spawn_blocking(move || package.write_dir(&blobs, &out))
        .await
        .context("the export thread stopped")?
        .context("writing the package")?;
    println!(
        "wrote {} ({} items); check it offline with `vigil evidence verify-package {}` or `sha256sum -c SHA256SUMS` inside it",
        root.display(),
        items.len(),
        root.display()
    );
    Ok(ExitCode::SUCCESS)
}
