//! Backend-neutral reads for the hot path: one SQL text with `$N` placeholders, typed binds, and
//! rows that `Cols` reads by column name. On SQLite the query runs on a small pool of read-only
//! rusqlite connections on blocking threads (sqlx's per-query and per-row cost dominated the
//! request budget); on PostgreSQL it runs through the sqlx read pool.

use crate::row::RowSource;
use crate::StoreError;
use rusqlite::types::Value;
use sqlx::any::AnyRow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// A value bound to a `$N` placeholder, in order.
#[derive(Clone, Debug)]
pub(crate) enum Bind {
    Text(String),
    Int(i64),
}

impl From<String> for Bind {
    fn from(s: String) -> Self {
        Self::Text(s)
    }
}

impl From<&str> for Bind {
    fn from(s: &str) -> Self {
        Self::Text(s.to_owned())
    }
}

impl From<i64> for Bind {
    fn from(i: i64) -> Self {
        Self::Int(i)
    }
}

/// A row copied out of rusqlite, read by column name.
pub(crate) struct OwnedRow {
    names: Arc<[String]>,
    values: Vec<Value>,
}

impl OwnedRow {
    fn value(&self, column: &str) -> Option<&Value> {
        self.names
            .iter()
            .position(|n| n == column)
            .map(|i| &self.values[i])
    }
}

impl RowSource for OwnedRow {
    fn text(&self, column: &str) -> Result<Option<String>, ()> {
        match self.value(column).ok_or(())? {
            Value::Null => Ok(None),
            Value::Text(s) => Ok(Some(s.clone())),
            _ => Err(()),
        }
    }

    fn int(&self, column: &str) -> Result<Option<i64>, ()> {
        match self.value(column).ok_or(())? {
            Value::Null => Ok(None),
            Value::Integer(i) => Ok(Some(*i)),
            _ => Err(()),
        }
    }

    fn bytes(&self, column: &str) -> Result<Option<Vec<u8>>, ()> {
        match self.value(column).ok_or(())? {
            Value::Null => Ok(None),
            Value::Blob(b) => Ok(Some(b.clone())),
            _ => Err(()),
        }
    }
}

/// Rows from either backend.
pub(crate) enum Rows {
    Any(Vec<AnyRow>),
    Owned(Vec<OwnedRow>),
}

impl Rows {
    pub fn len(&self) -> usize {
        match self {
            Self::Any(v) => v.len(),
            Self::Owned(v) => v.len(),
        }
    }

    pub fn get(&self, i: usize) -> Option<&dyn RowSource> {
        match self {
            Self::Any(v) => v.get(i).map(|r| r as &dyn RowSource),
            Self::Owned(v) => v.get(i).map(|r| r as &dyn RowSource),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &dyn RowSource> {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// Read-only rusqlite connections to the SQLite file, handed out one per query.
pub(crate) struct SqliteReaders {
    path: PathBuf,
    idle: Mutex<Vec<rusqlite::Connection>>,
}

/// Statements kept prepared per connection.
const STATEMENT_CACHE: usize = 64;

impl SqliteReaders {
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            idle: Mutex::new(Vec::new()),
        }
    }

    fn open(&self) -> Result<rusqlite::Connection, StoreError> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sqlite_error)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(sqlite_error)?;
        Ok(conn)
    }

    fn take(&self) -> Result<rusqlite::Connection, StoreError> {
        let pooled = self.idle.lock().map(|mut idle| idle.pop()).unwrap_or(None);
        match pooled {
            Some(c) => Ok(c),
            None => self.open(),
        }
    }

    fn give_back(&self, conn: rusqlite::Connection) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
    }

    /// Runs several queries on one connection inside one read transaction (one snapshot).
    fn run_many(&self, queries: &[(String, Vec<Bind>)]) -> Result<Vec<Vec<OwnedRow>>, StoreError> {
        let conn = self.take()?;
        let rows = (|| {
            conn.execute_batch("BEGIN").map_err(sqlite_error)?;
            let out: Result<Vec<_>, _> = queries
                .iter()
                .map(|(sql, binds)| query(&conn, sql, binds))
                .collect();
            conn.execute_batch("COMMIT").map_err(sqlite_error)?;
            out
        })();
        if rows.is_ok() {
            self.give_back(conn);
        }
        rows
    }

    fn run(&self, sql: &str, binds: &[Bind]) -> Result<Vec<OwnedRow>, StoreError> {
        let conn = self.take()?;
        let rows = query(&conn, sql, binds);
        // A connection that failed is dropped, not reused.
        if rows.is_ok() {
            self.give_back(conn);
        }
        rows
    }

    /// Runs several queries, in order, on one blocking thread and one snapshot.
    pub async fn fetch_many(
        self: &Arc<Self>,
        queries: Vec<(String, Vec<Bind>)>,
    ) -> Result<Vec<Vec<OwnedRow>>, StoreError> {
        let me = Arc::clone(self);
        tokio::task::spawn_blocking(move || me.run_many(&queries))
            .await
            .map_err(|e| StoreError::ReadFailed(e.to_string()))?
    }

    /// Runs one query on a blocking thread.
    pub async fn fetch(
        self: &Arc<Self>,
        sql: String,
        binds: Vec<Bind>,
    ) -> Result<Vec<OwnedRow>, StoreError> {
        let me = Arc::clone(self);
        tokio::task::spawn_blocking(move || me.run(&sql, &binds))
            .await
            .map_err(|e| StoreError::ReadFailed(e.to_string()))?
    }
}

fn query(
    conn: &rusqlite::Connection,
    sql: &str,
    binds: &[Bind],
) -> Result<Vec<OwnedRow>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(sqlite_error)?;
    for (i, b) in binds.iter().enumerate() {
        let r = match b {
            Bind::Text(s) => stmt.raw_bind_parameter(i + 1, s.as_str()),
            Bind::Int(v) => stmt.raw_bind_parameter(i + 1, *v),
        };
        r.map_err(sqlite_error)?;
    }
    let names: Arc<[String]> = stmt.column_names().into_iter().map(str::to_owned).collect();
    let width = names.len();
    let mut out = Vec::new();
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next().map_err(sqlite_error)? {
        let mut values = Vec::with_capacity(width);
        for i in 0..width {
            values.push(row.get::<_, Value>(i).map_err(sqlite_error)?);
        }
        out.push(OwnedRow {
            names: Arc::clone(&names),
            values,
        });
    }
    Ok(out)
}

fn sqlite_error(e: rusqlite::Error) -> StoreError {
    StoreError::ReadFailed(e.to_string())
}
