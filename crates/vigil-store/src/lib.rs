//! Persistence: one `Store` over SQLite (embedded default) or PostgreSQL (scale-out).
//!
//! Reads go through a pool. Every write goes through one writer task that runs each job in its
//! own savepoint inside a group-commit transaction, appends the job's audit events to the hash
//! chain in that same transaction, and acknowledges the job only after `COMMIT` returned
//! (nothing acknowledged is lost; nothing unaudited commits). Only this crate knows SQL.

mod backend;
mod error;
mod fetch;
mod migrate;
mod row;
mod sqlite_scan;
mod writer;

pub mod agencies;
pub mod audit;
pub mod cases;
pub mod content;
pub mod sessions;
pub mod users;
// --- xref
pub mod xref;
// --- analytics
pub mod ads;
// --- ops
pub mod operations;
pub mod prosecution;
pub mod protocols;
// --- tips
pub mod intake;
// --- vault
pub mod services;
pub mod vault;
// --- evidence
pub mod evidence;

#[cfg(any(test, feature = "testsuite"))]
pub mod conformance;

pub use backend::{Backend, StoreConfig};
pub use error::StoreError;
pub use migrate::MIGRATIONS_APPLIED_TABLE;
pub use writer::{AuditDraft, WriteCtx};

use std::future::Future;
use std::sync::Arc;
use vigil_types::Clock;

/// The store: a read pool and a handle on the writer task. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Backend,
    /// The SQLite database file, for bulk reads that bypass the pool.
    sqlite_path: Option<std::path::PathBuf>,
    read: sqlx::AnyPool,
    /// SQLite only: read-only rusqlite connections for the hot read path (see `fetch`).
    fast: Option<Arc<fetch::SqliteReaders>>,
    writer: writer::WriterHandle,
    clock: Arc<dyn Clock>,
}

impl Store {
    /// Connects, checks the connection settings, runs pending migrations and starts the writer.
    pub async fn open(config: &StoreConfig, clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        let (backend, read, write) = backend::connect(config).await?;
        migrate::run(&write, backend).await?;
        let writer = writer::spawn(write, backend, clock.clone()).await?;
        let fast = match (backend, config.sqlite_path()) {
            (Backend::Sqlite, Some(path)) => Some(Arc::new(fetch::SqliteReaders::new(path))),
            _ => None,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                backend,
                sqlite_path: config.sqlite_path(),
                read,
                fast,
                writer,
                clock,
            }),
        })
    }

    /// Only runs the migrations (for `vigil migrate`); returns how many were applied.
    pub async fn migrate_only(config: &StoreConfig) -> Result<usize, StoreError> {
        let (backend, _read, write) = backend::connect(config).await?;
        migrate::run(&write, backend).await
    }

    #[must_use]
    pub(crate) fn sqlite_path(&self) -> Option<&std::path::Path> {
        self.inner.sqlite_path.as_deref()
    }

    #[must_use]
    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// The pool for reads.
    #[must_use]
    pub fn reader(&self) -> &sqlx::AnyPool {
        &self.inner.read
    }

    /// Runs one read on the hot path: rusqlite on SQLite files, the sqlx pool otherwise.
    pub(crate) async fn fetch(
        &self,
        sql: &str,
        binds: Vec<fetch::Bind>,
    ) -> Result<fetch::Rows, StoreError> {
        if let Some(fast) = &self.inner.fast {
            return Ok(fetch::Rows::Owned(fast.fetch(sql.to_owned(), binds).await?));
        }
        let mut q = sqlx::query(sql);
        for b in binds {
            q = match b {
                fetch::Bind::Text(s) => q.bind(s),
                fetch::Bind::Int(i) => q.bind(i),
            };
        }
        Ok(fetch::Rows::Any(q.fetch_all(self.reader()).await?))
    }

    /// Several hot reads in one go: on a SQLite file one blocking hop and one read transaction
    /// (a consistent snapshot); on PostgreSQL one after the other through the pool.
    pub(crate) async fn fetch_many(
        &self,
        queries: Vec<(String, Vec<fetch::Bind>)>,
    ) -> Result<Vec<fetch::Rows>, StoreError> {
        if let Some(fast) = &self.inner.fast {
            let all = fast.fetch_many(queries).await?;
            return Ok(all.into_iter().map(fetch::Rows::Owned).collect());
        }
        let mut out = Vec::with_capacity(queries.len());
        for (sql, binds) in queries {
            out.push(self.fetch(&sql, binds).await?);
        }
        Ok(out)
    }

    #[must_use]
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// Runs `job` in the writer's transaction. The job gets the context by value and must hand
    /// it back with its result. `Ok` is returned only after the transaction committed; an `Err`
    /// from the job rolls back everything the job did, including its audit events.
    pub async fn write<T, F, Fut>(&self, job: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(WriteCtx) -> Fut + Send + 'static,
        Fut: Future<Output = (WriteCtx, Result<T, StoreError>)> + Send + 'static,
    {
        self.inner.writer.submit(job).await
    }

    /// Runs `change` and then appends `event` in the same job: the change and its audit record
    /// commit together or not at all.
    /// Appends one audit event that goes with no other change (a read, a denial), and marks
    /// `touch_session` active, in the next group commit. Returns the event's position after
    /// `COMMIT`. Cheaper than `write`: no savepoint and no statement of its own.
    pub async fn append_audit(
        &self,
        event: AuditDraft,
        touch_session: Option<String>,
    ) -> Result<u64, StoreError> {
        self.inner.writer.append_audit(event, touch_session).await
    }

    pub async fn write_audited<F, Fut>(
        &self,
        event: AuditDraft,
        change: F,
    ) -> Result<(), StoreError>
    where
        F: FnOnce(WriteCtx) -> Fut + Send + 'static,
        Fut: Future<Output = (WriteCtx, Result<(), StoreError>)> + Send + 'static,
    {
        self.write(move |ctx| async move {
            let (mut ctx, r) = change(ctx).await;
            let r = match r {
                Ok(()) => ctx.audit(event).await.map(|_| ()),
                Err(e) => Err(e),
            };
            (ctx, r)
        })
        .await
    }

    /// Closes the pools and stops the writer after in-flight jobs finish.
    pub async fn close(&self) {
        self.inner.writer.shutdown().await;
        self.inner.read.close().await;
    }
}

#[cfg(test)]
mod send_checks {
    //! The server runs store futures on a multi-threaded runtime: they must be `Send`.
    fn assert_send<T: Send>(_: T) {}

    #[allow(dead_code)]
    fn store_futures_are_send(c: &crate::StoreConfig, p: &sqlx::AnyPool, s: &crate::Store) {
        assert_send(crate::backend::connect(c));
        assert_send(crate::migrate::run(p, crate::Backend::Sqlite));
        assert_send(s.case_facts(vigil_types::CaseId::new_random()));
        assert_send(s.audit_verify(None, |_| {}));
    }
}
