//! The audit trail's storage: append, checkpoints, search, and the streaming verification that
//! `vigil audit verify` runs on either backend.

use crate::row::Cols;
use crate::{Store, StoreError};
use sqlx::AnyConnection;
use vigil_audit::{AuditEvent, Checkpoint, Digest, Outcome, Tamper, Verifier};
use vigil_types::{AgencyId, Timestamp, UserId};

/// The verifier's running state, shared by both scan paths.
struct VerifyState<P> {
    verifier: Verifier,
    wanted: Vec<Checkpoint>,
    /// The sequence numbers of `wanted`, sorted: one binary search per event instead of a scan
    /// of every checkpoint (a million events carry a thousand).
    wanted_seqs: Vec<u64>,
    seen: std::collections::HashMap<u64, Digest>,
    progress: P,
    failure: Option<Tamper>,
}

impl<P: FnMut(u64)> VerifyState<P> {
    /// Checks one event; on tampering records it and returns an error to stop the scan.
    fn visit(&mut self, e: &StoredEvent) -> Result<(), StoreError> {
        if let Err(t) = self.verifier.push(&e.event, &e.leaf_hash, &e.chain_hash) {
            self.failure = Some(t);
            return Err(StoreError::Rejected("tampered".into()));
        }
        if self.wanted_seqs.binary_search(&e.event.seq).is_ok() {
            self.seen.insert(e.event.seq, e.chain_hash);
        }
        let n = self.verifier.verified();
        if n.is_multiple_of(50_000) {
            (self.progress)(n);
        }
        Ok(())
    }
}

/// One stored event with its hashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    pub event: AuditEvent,
    pub leaf_hash: Digest,
    pub chain_hash: Digest,
}

/// Filters for audit search. `agency_scope` limits results to events by or about that agency.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    pub agency_scope: Option<AgencyId>,
    pub actor: Option<UserId>,
    pub action_prefix: Option<String>,
    pub object_id: Option<String>,
    pub outcome: Option<Outcome>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    /// Only events with `seq` above this (for paging and streaming).
    pub after_seq: Option<u64>,
    pub limit: u32,
}

/// The result of verifying the whole log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    pub events: u64,
    pub checkpoints: usize,
    pub head: Checkpoint,
}

/// Verification failed: either the log was tampered with, or it could not be read.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("audit log tampered: {0}")]
    Tampered(Tamper),
    #[error("audit log row {seq} cannot be read: {source}")]
    Unreadable { seq: i64, source: StoreError },
    #[error(transparent)]
    Store(#[from] StoreError),
}

const COLUMNS: &str =
    "seq, at, actor_user, actor_agency, action, object_kind, object_id, object_agency, outcome, detail, leaf_hash, chain_hash";

fn digest(c: &Cols<'_>, col: &'static str) -> Result<Digest, StoreError> {
    c.bytes(col)?.try_into().map_err(|_| StoreError::Corrupt {
        table: "audit_events",
        column: col,
    })
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<StoredEvent, StoreError> {
    let c = Cols::new(r, "audit_events");
    let seq = c.int("seq")?;
    Ok(StoredEvent {
        event: AuditEvent {
            seq: u64::try_from(seq).map_err(|_| StoreError::Corrupt {
                table: "audit_events",
                column: "seq",
            })?,
            at: c.time("at")?,
            actor_user: c.opt_parsed("actor_user", UserId::parse)?,
            actor_agency: c.opt_parsed("actor_agency", AgencyId::parse)?,
            action: c.string("action")?,
            object_kind: c.string("object_kind")?,
            object_id: c.opt_string("object_id")?,
            object_agency: c.opt_parsed("object_agency", AgencyId::parse)?,
            outcome: c.parsed("outcome", |s| Outcome::parse(s).ok_or(()))?,
            detail: c.string("detail")?,
        },
        leaf_hash: digest(&c, "leaf_hash")?,
        chain_hash: digest(&c, "chain_hash")?,
    })
}

/// Audit rows per multi-row `INSERT` (12 parameters each, well under both backends' limits).
pub(crate) const INSERT_CHUNK: usize = 64;

/// Inserts a run of chained events with one statement.
pub(crate) async fn insert_many(
    conn: &mut AnyConnection,
    events: &[crate::writer::Chained],
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    let mut sql = format!("INSERT INTO audit_events ({COLUMNS}) VALUES ");
    for i in 0..events.len() {
        let b = i * 12;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for k in 1..=12 {
            if k > 1 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", b + k));
        }
        sql.push(')');
    }
    let mut q = sqlx::query(&sql);
    for c in events {
        let e = &c.event;
        q = q
            .bind(i64::try_from(e.seq).map_err(|_| StoreError::Rejected("audit log full".into()))?)
            .bind(e.at.unix_micros())
            .bind(e.actor_user.map(|u| u.to_string()))
            .bind(e.actor_agency.map(|a| a.to_string()))
            .bind(e.action.clone())
            .bind(e.object_kind.clone())
            .bind(e.object_id.clone())
            .bind(e.object_agency.map(|a| a.to_string()))
            .bind(e.outcome.as_str())
            .bind(e.detail.clone())
            .bind(c.leaf.to_vec())
            .bind(c.chain.to_vec());
    }
    q.execute(conn).await?;
    Ok(())
}

pub(crate) async fn insert_checkpoint(
    conn: &mut AnyConnection,
    seq: u64,
    chain: &Digest,
    at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO audit_checkpoints (seq, chain_hash, at) VALUES ($1, $2, $3)")
        .bind(i64::try_from(seq).unwrap_or(i64::MAX))
        .bind(chain.to_vec())
        .bind(at.unix_micros())
        .execute(conn)
        .await?;
    Ok(())
}

impl Store {
    /// Searches the trail, newest first unless `after_seq` pages forward.
    pub async fn audit_search(&self, q: &AuditQuery) -> Result<Vec<StoredEvent>, StoreError> {
        enum Arg {
            Text(String),
            Int(i64),
        }
        let mut sql = format!("SELECT {COLUMNS} FROM audit_events WHERE 1 = 1");
        let mut args: Vec<Arg> = Vec::new();
        let mut clause = |sql: &mut String, template: &str, arg: Arg| {
            args.push(arg);
            sql.push_str(&template.replace("{}", &format!("${}", args.len())));
        };
        if let Some(a) = q.agency_scope {
            clause(
                &mut sql,
                " AND (actor_agency = {}",
                Arg::Text(a.to_string()),
            );
            clause(
                &mut sql,
                " OR object_agency = {})",
                Arg::Text(a.to_string()),
            );
        }
        if let Some(u) = q.actor {
            clause(&mut sql, " AND actor_user = {}", Arg::Text(u.to_string()));
        }
        if let Some(p) = &q.action_prefix {
            let literal: String = p.chars().filter(|c| *c != '%' && *c != '_').collect();
            clause(
                &mut sql,
                " AND action LIKE {}",
                Arg::Text(format!("{literal}%")),
            );
        }
        if let Some(o) = &q.object_id {
            clause(&mut sql, " AND object_id = {}", Arg::Text(o.clone()));
        }
        if let Some(o) = q.outcome {
            clause(
                &mut sql,
                " AND outcome = {}",
                Arg::Text(o.as_str().to_owned()),
            );
        }
        if let Some(t) = q.from {
            clause(&mut sql, " AND at >= {}", Arg::Int(t.unix_micros()));
        }
        if let Some(t) = q.to {
            clause(&mut sql, " AND at < {}", Arg::Int(t.unix_micros()));
        }
        if let Some(s) = q.after_seq {
            clause(
                &mut sql,
                " AND seq > {}",
                Arg::Int(i64::try_from(s).unwrap_or(i64::MAX)),
            );
        }
        let order = if q.after_seq.is_some() { "ASC" } else { "DESC" };
        sql.push_str(&format!(
            " ORDER BY seq {order} LIMIT {}",
            q.limit.clamp(1, 10_000)
        ));
        let mut query = sqlx::query(&sql);
        for a in args {
            query = match a {
                Arg::Text(t) => query.bind(t),
                Arg::Int(i) => query.bind(i),
            };
        }
        let rows = query.fetch_all(self.reader()).await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn audit_checkpoints(&self) -> Result<Vec<Checkpoint>, StoreError> {
        let rows = sqlx::query("SELECT seq, chain_hash FROM audit_checkpoints ORDER BY seq")
            .fetch_all(self.reader())
            .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new(r, "audit_checkpoints");
                let seq = u64::try_from(c.int("seq")?).map_err(|_| StoreError::Corrupt {
                    table: "audit_checkpoints",
                    column: "seq",
                })?;
                let chain = c
                    .bytes("chain_hash")?
                    .try_into()
                    .map_err(|_| StoreError::Corrupt {
                        table: "audit_checkpoints",
                        column: "chain_hash",
                    })?;
                Ok(Checkpoint { seq, chain })
            })
            .collect()
    }

    /// Re-verifies the whole log in `seq` order, then checks the stored checkpoints and, if
    /// given, a head recorded elsewhere (off-host). `progress` gets the count so far.
    pub async fn audit_verify(
        &self,
        expected_head: Option<Checkpoint>,
        progress: impl FnMut(u64) + Send + 'static,
    ) -> Result<VerifyReport, VerifyError> {
        let checkpoints = self.audit_checkpoints().await?;
        let mut wanted: Vec<Checkpoint> = checkpoints.clone();
        wanted.extend(expected_head);
        let mut wanted_seqs: Vec<u64> = wanted.iter().map(|c| c.seq).collect();
        wanted_seqs.sort_unstable();
        let mut state = VerifyState {
            verifier: Verifier::new(),
            wanted,
            wanted_seqs,
            seen: std::collections::HashMap::new(),
            progress,
            failure: None,
        };
        match self.sqlite_path().map(std::path::Path::to_owned) {
            Some(path) => {
                let (scanned_state, scanned) = tokio::task::spawn_blocking(move || {
                    let scanned = crate::sqlite_scan::scan(&path, |e| state.visit(&e));
                    (state, scanned)
                })
                .await
                .map_err(|_| StoreError::WriterGone)?;
                state = scanned_state;
                // A scan stopped by tampering is reported below as tampering, not as an error.
                if state.failure.is_none() {
                    scanned?;
                }
            }
            None => {
                const PAGE: i64 = 20_000;
                // Pages in order of `seq`; the next page is fetched (on a runtime worker) while
                // this one is hashed, so the database and the chain check overlap.
                let pool = self.reader().clone();
                let fetch_after = move |after: i64| {
                    let pool = pool.clone();
                    tokio::spawn(async move {
                        sqlx::query(&format!("SELECT {COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT {PAGE}"))
                            .bind(after)
                            .fetch_all(&pool)
                            .await
                    })
                };
                let mut last: i64 = 0;
                let mut next_page = Some(fetch_after(last));
                'pages: while let Some(page) = next_page.take() {
                    let rows = page
                        .await
                        .map_err(|_| StoreError::WriterGone)?
                        .map_err(StoreError::from)?;
                    if rows.is_empty() {
                        break;
                    }
                    // The next page starts after this one's last row; a row whose `seq` cannot be
                    // read is reported below when it is reached, and nothing after it is read.
                    if let Some(Ok(end)) =
                        rows.last().map(|r| Cols::new(r, "audit_events").int("seq"))
                    {
                        next_page = Some(fetch_after(end));
                    }
                    for r in &rows {
                        let stored = from_row(r).map_err(|source| VerifyError::Unreadable {
                            seq: last + 1,
                            source,
                        })?;
                        last = i64::try_from(stored.event.seq).unwrap_or(i64::MAX);
                        if state.visit(&stored).is_err() {
                            break 'pages;
                        }
                    }
                }
                if let Some(page) = next_page {
                    page.abort();
                }
            }
        }
        if let Some(t) = state.failure {
            return Err(VerifyError::Tampered(t));
        }
        let VerifyState {
            verifier,
            wanted,
            seen,
            ..
        } = state;
        verifier
            .check_checkpoints(&wanted, |seq| seen.get(&seq).copied())
            .map_err(VerifyError::Tampered)?;
        Ok(VerifyReport {
            events: verifier.verified(),
            checkpoints: checkpoints.len(),
            head: verifier.head(),
        })
    }
}
