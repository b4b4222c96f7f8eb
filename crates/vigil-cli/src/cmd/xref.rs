//! `vigil xref`: host-side cross-referencing operations: export judgements as training labels,
//! and measure incremental matching against a large synthetic index.

use super::db::DbArgs;
use anyhow::Context;
use clap::Subcommand;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;
use vigil_audit::Outcome;
use vigil_server::xref::{effective, synthetic_record, Matcher};
use vigil_store::AuditDraft;
use vigil_types::{CandidateId, CaseId};

/// Arguments of `vigil xref`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Subcommand)]
pub enum Action {
    /// Judgements as training labels.
    Labels {
        #[command(subcommand)]
        action: LabelsAction,
    },
    /// Time incremental matching: index N synthetic people, then match and insert new ones.
    Bench {
        /// Records in the index.
        #[arg(long, default_value_t = 100_000)]
        count: u64,
        /// New records matched and inserted one by one (timed).
        #[arg(long, default_value_t = 1_000)]
        probes: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand)]
pub enum LabelsAction {
    /// Write `candidate_id,entity_a,entity_b,label,probability,decided_at` (label `match` or
    /// `non_match`; `unsure` and withdrawn judgements are left out). Ids only, no values.
    Export {
        #[command(flatten)]
        db: DbArgs,
        /// Output file (default: standard output).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.action {
        Action::Labels {
            action: LabelsAction::Export { db, out },
        } => export(&db, out),
        Action::Bench {
            count,
            probes,
            seed,
        } => {
            bench(count, probes, seed);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn export(db: &DbArgs, out: Option<std::path::PathBuf>) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    rt.block_on(async {
        let (store, _) = db.open().await?;
        let mut by: std::collections::HashMap<CandidateId, Vec<vigil_store::xref::Judgement>> =
            std::collections::HashMap::new();
        for j in store.xref_all_judgements().await? {
            by.entry(j.candidate_id).or_default().push(j);
        }
        let mut text =
            String::from("candidate_id,entity_a,entity_b,label,probability,decided_at\n");
        let mut n = 0usize;
        for c in store.xref_judged_candidates().await? {
            let h = by.get(&c.id).map_or(&[][..], Vec::as_slice);
            let label = match effective(h.iter().map(|j| j.decision.as_str())) {
                Some("same") => "match",
                Some("different") => "non_match",
                _ => continue,
            };
            let at = h
                .last()
                .map(|j| j.judged_at.to_rfc3339())
                .unwrap_or_default();
            text.push_str(&format!(
                "{},{},{},{label},{:.6},{at}\n",
                c.id,
                c.entity_a,
                c.entity_b,
                c.score_ppm as f64 / 1e6
            ));
            n += 1;
        }
        let event = AuditDraft {
            actor_user: None,
            actor_agency: None,
            action: "xref.labels".into(),
            object_kind: "xref".into(),
            object_id: None,
            object_agency: None,
            outcome: Outcome::Success,
            detail: format!("count={n};local_cli_operator"),
        };
        store
            .write_audited(event, |ctx| async move { (ctx, Ok(())) })
            .await?;
        match out {
            Some(p) => {
                std::fs::write(&p, text).with_context(|| format!("writing {}", p.display()))?
            }
            None => std::io::stdout().write_all(text.as_bytes())?,
        }
        eprintln!("{n} labels");
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn bench(count: u64, probes: u64, seed: u64) {
    let t0 = Instant::now();
    let _ = vigil_server::xref::reference_model();
    let model_s = t0.elapsed().as_secs_f64();
    let people: Vec<_> = vigil_synth::people::People::new(&vigil_synth::people::PeopleConfig {
        count: count + probes,
        seed,
    })
    .collect();
    let case = CaseId::new_random();
    let mut m = Matcher::empty();
    let t1 = Instant::now();
    for p in &people[..count as usize] {
        m.apply(synthetic_record(p, case));
    }
    let build_s = t1.elapsed().as_secs_f64();
    let mut lat = Vec::with_capacity(probes as usize);
    let mut found = 0usize;
    for p in &people[count as usize..] {
        let r = synthetic_record(p, case);
        let t = Instant::now();
        found += m.query(&r).len();
        m.apply(r);
        lat.push(t.elapsed().as_secs_f64() * 1e6);
    }
    lat.sort_by(f64::total_cmp);
    println!("| index size | probes | reference model s | index build s | median µs | p95 µs | p99 µs | max µs | candidates/probe |");
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {count} | {probes} | {model_s:.2} | {build_s:.2} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2} |",
        percentile(&lat, 0.5),
        percentile(&lat, 0.95),
        percentile(&lat, 0.99),
        lat.last().copied().unwrap_or(0.0),
        found as f64 / probes.max(1) as f64
    );
}
