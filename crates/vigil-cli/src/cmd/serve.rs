//! `vigil serve`: run the HTTP API and the browser workspace until Ctrl-C or SIGTERM, then finish in-flight writes.

use super::db::DbArgs;
use anyhow::Context;
use std::process::ExitCode;
use vigil_server::{AppState, ServerConfig};

/// Arguments of `vigil serve`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on. Loopback by default: put a TLS-terminating proxy in front for others.
    #[arg(long, env = "VIGIL_LISTEN")]
    pub listen: Option<String>,
    // --- tips
    /// BENCHMARK ONLY (bench/tips/run.sh): anonymous-tip proof of work at 1 bit and no tip rate
    /// limit. Never in a deployment: it removes the tip form's abuse protection.
    #[arg(long)]
    pub bench_tips: bool,
    // --- evidence
    /// Largest evidence upload in bytes (default 4 GiB; JSON bodies stay limited to 1 MiB).
    #[arg(long, env = "VIGIL_MAX_UPLOAD_BYTES")]
    pub max_upload_bytes: Option<u64>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    rt.block_on(async {
        let (store, shown) = args.db.open().await?;
        let listen = args
            .listen
            .clone()
            .or(args.db.file()?.listen)
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        // --- evidence
        let mut config = args.db.server_config()?;
        if let Some(n) = args.max_upload_bytes {
            config.max_upload_bytes = n;
        }
        // --- tips
        if args.bench_tips {
            eprintln!(
                "WARNING: --bench-tips: tip proof of work and rate limit are off (benchmarks only)"
            );
            config.tips = vigil_server::tips::TipsConfig::for_bench();
        }
        serve(store, &listen, &shown, None, config).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Binds and serves; prints where. `banner_note` is printed after the address (the demo's logins).
pub async fn serve(
    store: vigil_store::Store,
    listen: &str,
    shown: &str,
    banner_note: Option<String>,
    config: ServerConfig,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let addr = listener.local_addr()?;
    eprintln!("Vigil is running at http://{addr}/  (open it in a browser to sign in; API under /api/v1, OpenAPI at /api/v1/openapi.json; store: {shown})");
    if let Some(note) = banner_note {
        eprintln!("{note}");
    }
    eprintln!("Press Ctrl-C to stop.");
    let state = AppState::new(store.clone(), config);
    let sweeps = tokio::spawn(vigil_server::housekeeping::run_sweeps(state.clone()));
    let app = vigil_server::router_with(state, vigil_web::routes(), vigil_web::not_found);
    vigil_server::serve(listener, app, shutdown_signal())
        .await
        .context("serving")?;
    sweeps.abort();
    store.close().await;
    eprintln!("Vigil stopped; every acknowledged write is committed.");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
