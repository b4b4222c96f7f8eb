//! Benchmark helper: appends N synthetic audit events (1,000 per transaction) to a store, for
//! timing `vigil audit verify`. Usage: `fill_audit DATA_DIR|POSTGRES_URL N`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use vigil_audit::Outcome;
use vigil_store::{AuditDraft, Store, StoreConfig};
use vigil_types::{AgencyId, SystemClock, UserId};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (target, n): (&str, u64) = (&args[1], args[2].parse().expect("N"));
    let config = if target.starts_with("postgres") {
        StoreConfig::postgres(target)
    } else {
        StoreConfig::sqlite_in(std::path::Path::new(target))
    };
    std::fs::create_dir_all(target).ok();
    let store = Store::open(&config, Arc::new(SystemClock)).await.unwrap();
    let (user, agency) = (UserId::new_random(), AgencyId::new_random());
    let mut done = 0u64;
    while done < n {
        let batch = (n - done).min(1000);
        store
            .write(move |mut ctx| async move {
                let mut r = Ok(0);
                for i in 0..batch {
                    r = ctx
                        .audit(AuditDraft {
                            actor_user: Some(user),
                            actor_agency: Some(agency),
                            action: "case.read".into(),
                            object_kind: "case".into(),
                            object_id: Some(format!("bench-{}", done + i)),
                            object_agency: Some(agency),
                            outcome: Outcome::Success,
                            detail: String::new(),
                        })
                        .await;
                    if r.is_err() {
                        break;
                    }
                }
                (ctx, r)
            })
            .await
            .unwrap();
        done += batch;
        if done.is_multiple_of(100_000) {
            eprintln!("{done} events");
        }
    }
    store.close().await;
}
