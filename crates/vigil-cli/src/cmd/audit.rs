//! `vigil audit verify|head|export`: check the tamper-evident trail offline, record its head
//! off-host, export it as JSON Lines.

use super::db::DbArgs;
use anyhow::{bail, Context};
use clap::Subcommand;
use std::io::Write;
use std::process::ExitCode;
use vigil_audit::Checkpoint;
use vigil_store::audit::{AuditQuery, VerifyError};

/// Arguments of `vigil audit`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Subcommand)]
pub enum Action {
    /// Recompute every event's hash and the chain; check stored checkpoints and, if given, a
    /// head recorded elsewhere. Exit status 0 when intact, 1 with the first bad position.
    Verify {
        /// A head printed earlier by `vigil audit head`, as SEQ:HEX (detects tail truncation).
        #[arg(long)]
        expect_head: Option<String>,
    },
    /// Print the current head as SEQ:HEX, to keep outside this machine.
    Head,
    /// Write events as JSON Lines (all, or after --after-seq).
    Export {
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        #[arg(long, default_value_t = 0)]
        after_seq: u64,
    },
}

fn parse_head(s: &str) -> anyhow::Result<Checkpoint> {
    let (seq, hex_chain) = s.split_once(':').context("--expect-head must be SEQ:HEX")?;
    let seq: u64 = seq
        .parse()
        .context("--expect-head: SEQ must be a whole number")?;
    let bytes = hex::decode(hex_chain).context("--expect-head: HEX must be hexadecimal")?;
    let chain: [u8; 32] = bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("--expect-head: HEX must be 32 bytes"))?;
    Ok(Checkpoint { seq, chain })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    rt.block_on(async {
        let (store, shown) = args.db.open_for_audit().await?;
        let code = match args.action {
            Action::Verify { expect_head } => {
                let expected = expect_head.as_deref().map(parse_head).transpose()?;
                let started = std::time::Instant::now();
                let mut last_report = 0u64;
                let result = store
                    .audit_verify(expected, move |n| {
                        if n >= last_report + 100_000 {
                            eprint!("\rverified {n} events…");
                            last_report = n;
                        }
                    })
                    .await;
                eprint!("\r");
                match result {
                    Ok(r) => {
                        println!(
                            "audit log intact: {} events, {} checkpoints, head {}:{} ({shown}, {:.2} s)",
                            r.events,
                            r.checkpoints,
                            r.head.seq,
                            hex::encode(r.head.chain),
                            started.elapsed().as_secs_f64()
                        );
                        ExitCode::SUCCESS
                    }
                    Err(VerifyError::Tampered(t)) => {
                        println!("AUDIT LOG TAMPERED: {t}");
                        ExitCode::FAILURE
                    }
                    Err(e) => bail!(e),
                }
            }
            Action::Head => {
                let r = store.audit_verify(None, |_| {}).await?;
                println!("{}:{}", r.head.seq, hex::encode(r.head.chain));
                ExitCode::SUCCESS
            }
            Action::Export { out, after_seq } => {
                let mut w: Box<dyn Write> = match &out {
                    Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)),
                    None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
                };
                let mut q = AuditQuery { after_seq: Some(after_seq), limit: 10_000, ..Default::default() };
                let mut n = 0u64;
                loop {
                    let page = store.audit_search(&q).await?;
                    let Some(last) = page.last() else { break };
                    q.after_seq = Some(last.event.seq);
                    for e in &page {
                        serde_json::to_writer(&mut w, &vigil_server::wire::AuditEventOut::from(e))?;
                        w.write_all(b"\n")?;
                        n += 1;
                    }
                }
                w.flush()?;
                eprintln!("exported {n} events");
                ExitCode::SUCCESS
            }
        };
        store.close().await;
        Ok(code)
    })
}
