//! Integration tests for vigil-store: the conformance suite on SQLite, and on PostgreSQL when
//! `VIGIL_TEST_POSTGRES_URL` is set (it says so plainly when it skips).

#![allow(clippy::unwrap_used)] // test code: a failed setup should stop the test loudly

use std::sync::Arc;
use vigil_store::conformance::{self, Fresh};
use vigil_store::{Store, StoreConfig};
use vigil_types::TestClock;

struct Sqlite {
    dirs: std::sync::Mutex<Vec<tempfile::TempDir>>,
}

impl Fresh for Sqlite {
    async fn fresh(&self) -> (Store, StoreConfig, TestClock) {
        let dir = tempfile::tempdir().unwrap();
        let config = StoreConfig::sqlite_in(dir.path());
        self.dirs.lock().unwrap().push(dir);
        let clock = TestClock::at_rfc3339("2026-01-05T09:00:00Z");
        let store = Store::open(&config, Arc::new(clock.clone())).await.unwrap();
        (store, config, clock)
    }
}

struct Postgres {
    url: String,
}

impl Fresh for Postgres {
    async fn fresh(&self) -> (Store, StoreConfig, TestClock) {
        let mut config = StoreConfig::postgres(&self.url);
        config.read_connections = 4;
        config.pg_schema = Some(format!("vigil_test_{}", uuid_simple()));
        let clock = TestClock::at_rfc3339("2026-01-05T09:00:00Z");
        let store = Store::open(&config, Arc::new(clock.clone())).await.unwrap();
        (store, config, clock)
    }
}

fn uuid_simple() -> String {
    vigil_types::CaseId::new_random()
        .to_string()
        .replace('-', "")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_sqlite() {
    conformance::run(&Sqlite {
        dirs: std::sync::Mutex::new(Vec::new()),
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_postgres() {
    let Ok(url) = std::env::var("VIGIL_TEST_POSTGRES_URL") else {
        // Written straight to stderr (not eprintln!, which the test harness captures) so the skip is seen.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"SKIPPED conformance_postgres: VIGIL_TEST_POSTGRES_URL is not set\n",
        );
        return;
    };
    conformance::run(&Postgres { url }).await;
}

#[tokio::test]
async fn refuses_unknown_url_schemes() {
    let config = StoreConfig {
        url: "mysql://x".into(),
        pg_schema: None,
        read_connections: 1,
        startup_check: true,
    };
    let err = Store::open(
        &config,
        Arc::new(TestClock::at_rfc3339("2026-01-05T09:00:00Z")),
    )
    .await
    .err()
    .unwrap();
    assert!(err.to_string().contains("sqlite: or postgres://"));
}
