//! Connecting to SQLite or PostgreSQL with safe settings, checked on every start (D-1).

use crate::StoreError;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor, Row};
use std::sync::Once;
use std::time::Duration;

/// Which database is behind the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the store lives.
#[derive(Clone, Debug)]
pub struct StoreConfig {
    /// `sqlite:///path/to/vigil.db` or `postgres://user@host/db`.
    pub url: String,
    /// PostgreSQL only: a schema to use (and create) instead of `public` (tests use one each).
    pub pg_schema: Option<String>,
    /// Reader connections.
    pub read_connections: u32,
    /// Run SQLite's `quick_check` over the whole file at open (D-8). Seconds on a large
    /// database; commands that only read the audit log may skip it.
    pub startup_check: bool,
}

impl StoreConfig {
    /// The embedded default: `vigil.db` in a data directory.
    #[must_use]
    pub fn sqlite_in(dir: &std::path::Path) -> Self {
        Self {
            url: format!("sqlite://{}?mode=rwc", dir.join("vigil.db").display()),
            pg_schema: None,
            read_connections: 4,
            startup_check: true,
        }
    }

    /// A PostgreSQL URL.
    #[must_use]
    pub fn postgres(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            pg_schema: None,
            read_connections: 8,
            startup_check: true,
        }
    }

    /// The database file of a `sqlite:` URL.
    #[must_use]
    pub fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        let rest = self
            .url
            .strip_prefix("sqlite://")
            .or_else(|| self.url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next()?;
        (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
    }

    fn backend(&self) -> Result<Backend, StoreError> {
        if self.url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if self.url.starts_with("postgres://") || self.url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsafeSettings(
                "the database URL must start with sqlite: or postgres://".into(),
            ))
        }
    }
}

const SQLITE_PRAGMAS: &[&str] = &[
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 10000",
];

/// Opens the read pool and the single-connection write pool.
pub(crate) async fn connect(
    config: &StoreConfig,
) -> Result<(Backend, AnyPool, AnyPool), StoreError> {
    static DRIVERS: Once = Once::new();
    DRIVERS.call_once(sqlx::any::install_default_drivers);
    let backend = config.backend()?;
    let schema = config.pg_schema.clone();
    if let Some(s) = &schema {
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(StoreError::UnsafeSettings(
                "pg_schema must be [a-z0-9_]".into(),
            ));
        }
    }
    let options = |max: u32| {
        let schema = schema.clone();
        AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                let schema = schema.clone();
                Box::pin(async move {
                    match backend {
                        Backend::Sqlite => {
                            for p in SQLITE_PRAGMAS {
                                conn.execute(*p).await?;
                            }
                        }
                        Backend::Postgres => {
                            if let Some(s) = schema {
                                conn.execute(format!("CREATE SCHEMA IF NOT EXISTS {s}").as_str())
                                    .await?;
                                conn.execute(format!("SET search_path TO {s}").as_str())
                                    .await?;
                            }
                        }
                    }
                    Ok(())
                })
            })
    };
    let write = options(1).connect(&config.url).await?;
    check_settings(&write, backend, config.startup_check).await?;
    let read = options(config.read_connections.max(1))
        .connect(&config.url)
        .await?;
    Ok((backend, read, write))
}

/// Reads the durability settings back and refuses to run with unsafe ones (D-1, D-9).
async fn check_settings(
    pool: &AnyPool,
    backend: Backend,
    integrity: bool,
) -> Result<(), StoreError> {
    match backend {
        Backend::Sqlite => {
            let mut conn = pool.acquire().await?;
            let mode: String = sqlx::query("PRAGMA journal_mode")
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
            let sync: i64 = sqlx::query("PRAGMA synchronous")
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
            let fk: i64 = sqlx::query("PRAGMA foreign_keys")
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
            if !mode.eq_ignore_ascii_case("wal") || sync != 2 || fk != 1 {
                return Err(StoreError::UnsafeSettings(format!(
                    "SQLite must run with journal_mode=WAL, synchronous=FULL, foreign_keys=ON (got {mode}, {sync}, {fk})"
                )));
            }
            let check: String = if integrity {
                sqlx::query("PRAGMA quick_check")
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get(0)?
            } else {
                "ok".into()
            };
            if check != "ok" {
                return Err(StoreError::UnsafeSettings(
                    "SQLite quick_check failed: the database file is damaged".into(),
                ));
            }
        }
        Backend::Postgres => {
            let mut conn = pool.acquire().await?;
            for setting in ["fsync", "full_page_writes"] {
                let v: String = sqlx::query(&format!("SHOW {setting}"))
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get(0)?;
                if v != "on" {
                    return Err(StoreError::UnsafeSettings(format!(
                        "PostgreSQL {setting} must be on"
                    )));
                }
            }
            let v: String = sqlx::query("SHOW synchronous_commit")
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
            if v == "off" {
                return Err(StoreError::UnsafeSettings(
                    "PostgreSQL synchronous_commit must not be off".into(),
                ));
            }
        }
    }
    Ok(())
}
