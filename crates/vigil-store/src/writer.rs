//! The single writer: group commit with a savepoint per job, and the audit hash chain.
//!
//! One connection writes (D-6: `SQLITE_BUSY` can never drop a write, and the audit chain needs a
//! total order anyway). Jobs that arrive while a transaction runs wait and go into the next one,
//! so many requests share one fsync. A job's result is handed back only after `COMMIT` returns.

use crate::{Backend, StoreError};
use sqlx::{Any, AnyConnection, AnyPool, Row, Transaction};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Mutex};
use vigil_audit::{chain_next, AuditEvent, Digest, Outcome, GENESIS};
use vigil_types::{AgencyId, Clock, Timestamp, UserId};

/// At most this many jobs share one transaction.
const MAX_BATCH: usize = 256;
/// A checkpoint `(seq, chain)` is stored whenever the log passes a multiple of this.
pub(crate) const CHECKPOINT_EVERY: u64 = 1000;

/// An audit event before the writer gives it a position and a time.
#[derive(Clone, Debug)]
pub struct AuditDraft {
    pub actor_user: Option<UserId>,
    pub actor_agency: Option<AgencyId>,
    pub action: String,
    pub object_kind: String,
    pub object_id: Option<String>,
    pub object_agency: Option<AgencyId>,
    pub outcome: Outcome,
    pub detail: String,
}

#[derive(Clone, Copy, Debug)]
struct Head {
    seq: u64,
    chain: Digest,
    at: Timestamp,
}

/// What a job gets: the open transaction, the time, and the audit chain.
pub struct WriteCtx {
    tx: Transaction<'static, Any>,
    head: Head,
    now: Timestamp,
    backend: Backend,
    /// Audit events chained in this transaction, inserted together just before `COMMIT`.
    pending: Vec<Chained>,
    /// Sessions to mark active, in one statement just before `COMMIT`.
    touches: Vec<String>,
}

/// An audit event with its hashes, waiting for the batch's insert.
pub(crate) struct Chained {
    pub event: AuditEvent,
    pub leaf: Digest,
    pub chain: Digest,
}

impl WriteCtx {
    /// The time of this job (one reading of the store's clock).
    #[must_use]
    pub fn now(&self) -> Timestamp {
        self.now
    }

    #[must_use]
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The transaction's connection, for queries.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// Appends an audit event to the chain in this transaction; returns its position.
    pub async fn audit(&mut self, d: AuditDraft) -> Result<u64, StoreError> {
        // Times are monotonic along the chain (AU-8), even if the wall clock steps back.
        let at = if self.now < self.head.at {
            self.head.at
        } else {
            self.now
        };
        let event = AuditEvent {
            seq: self.head.seq + 1,
            at,
            actor_user: d.actor_user,
            actor_agency: d.actor_agency,
            action: d.action,
            object_kind: d.object_kind,
            object_id: d.object_id,
            object_agency: d.object_agency,
            outcome: d.outcome,
            detail: d.detail,
        };
        let leaf = event.leaf_hash();
        let chain = chain_next(&self.head.chain, &leaf);
        let seq = event.seq;
        self.head = Head { seq, chain, at };
        self.pending.push(Chained { event, leaf, chain });
        Ok(seq)
    }

    /// Marks a session active (`last_seen_at` = this transaction's time) when the batch commits.
    pub fn touch_session(&mut self, token_hash: &str) {
        if !self.touches.iter().any(|t| t == token_hash) {
            self.touches.push(token_hash.to_owned());
        }
    }

    /// Inserts the pending audit events and session touches; runs just before `COMMIT`.
    async fn flush(&mut self) -> Result<(), StoreError> {
        let pending = std::mem::take(&mut self.pending);
        for chunk in pending.chunks(crate::audit::INSERT_CHUNK) {
            crate::audit::insert_many(&mut self.tx, chunk).await?;
        }
        let touches = std::mem::take(&mut self.touches);
        if !touches.is_empty() {
            crate::sessions::touch_many(&mut self.tx, &touches, self.now).await?;
        }
        Ok(())
    }
}

type Deliver = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

enum JobResult {
    Commit(Deliver),
    Rollback,
}

type Job =
    Box<dyn FnOnce(WriteCtx) -> Pin<Box<dyn Future<Output = (WriteCtx, JobResult)> + Send>> + Send>;

/// An audit event with nothing else to write (reads, denials): chained and buffered without a
/// savepoint or a statement of its own, so a read costs the writer almost nothing.
struct AuditOnly {
    draft: AuditDraft,
    touch: Option<String>,
    reply: oneshot::Sender<Result<u64, StoreError>>,
}

enum Work {
    Job(Job),
    Audit(AuditOnly),
}

enum Msg {
    Work(Work),
    Stop(oneshot::Sender<()>),
}

/// The store's handle on the writer task.
pub(crate) struct WriterHandle {
    tx: mpsc::Sender<Msg>,
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl WriterHandle {
    pub(crate) async fn submit<T, F, Fut>(&self, job: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(WriteCtx) -> Fut + Send + 'static,
        Fut: Future<Output = (WriteCtx, Result<T, StoreError>)> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<T, StoreError>>();
        let boxed: Job = Box::new(move |ctx| {
            Box::pin(async move {
                let (ctx, result) = job(ctx).await;
                match result {
                    Ok(value) => {
                        let deliver: Deliver = Box::new(move |committed| {
                            let _ = reply.send(committed.map(|()| value));
                        });
                        (ctx, JobResult::Commit(deliver))
                    }
                    Err(e) => {
                        let _ = reply.send(Err(e));
                        (ctx, JobResult::Rollback)
                    }
                }
            })
        });
        self.tx
            .send(Msg::Work(Work::Job(boxed)))
            .await
            .map_err(|_| StoreError::WriterGone)?;
        // A dropped reply means the job never ran (the transaction could not start).
        answer.await.map_err(|_| StoreError::WriterGone)?
    }

    /// Appends one audit event (and touches a session) in the next group commit; returns its
    /// position once committed.
    pub(crate) async fn append_audit(
        &self,
        draft: AuditDraft,
        touch: Option<String>,
    ) -> Result<u64, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Msg::Work(Work::Audit(AuditOnly {
                draft,
                touch,
                reply,
            })))
            .await
            .map_err(|_| StoreError::WriterGone)?;
        answer.await.map_err(|_| StoreError::WriterGone)?
    }

    pub(crate) async fn shutdown(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Msg::Stop(done)).await.is_ok() {
            let _ = wait.await;
        }
        if let Some(task) = self.task.lock().await.take() {
            let _ = task.await;
        }
    }
}

/// Reads the chain head and starts the writer task.
pub(crate) async fn spawn(
    pool: AnyPool,
    backend: Backend,
    clock: Arc<dyn Clock>,
) -> Result<WriterHandle, StoreError> {
    let row = sqlx::query("SELECT seq, chain_hash, at FROM audit_events ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&pool)
        .await?;
    let head = match row {
        None => Head {
            seq: 0,
            chain: GENESIS,
            at: Timestamp::from_unix_micros(0),
        },
        Some(r) => {
            let seq: i64 = r.try_get(0)?;
            let chain: Vec<u8> = r.try_get(1)?;
            let at: i64 = r.try_get(2)?;
            Head {
                seq: u64::try_from(seq).map_err(|_| StoreError::Corrupt {
                    table: "audit_events",
                    column: "seq",
                })?,
                chain: chain.try_into().map_err(|_| StoreError::Corrupt {
                    table: "audit_events",
                    column: "chain_hash",
                })?,
                at: Timestamp::from_unix_micros(at),
            }
        }
    };
    let (tx, rx) = mpsc::channel(1024);
    let task = tokio::spawn(run(pool, rx, backend, clock, head));
    Ok(WriterHandle {
        tx,
        task: Mutex::new(Some(task)),
    })
}

async fn run(
    pool: AnyPool,
    mut rx: mpsc::Receiver<Msg>,
    backend: Backend,
    clock: Arc<dyn Clock>,
    mut head: Head,
) {
    let mut stop: Option<oneshot::Sender<()>> = None;
    while stop.is_none() {
        let Some(first) = rx.recv().await else { break };
        let mut batch = Vec::new();
        match first {
            Msg::Work(w) => batch.push(w),
            Msg::Stop(s) => stop = Some(s),
        }
        while batch.len() < MAX_BATCH && stop.is_none() {
            match rx.try_recv() {
                Ok(Msg::Work(w)) => batch.push(w),
                Ok(Msg::Stop(s)) => stop = Some(s),
                Err(_) => break,
            }
        }
        if !batch.is_empty() {
            head = run_batch(&pool, batch, backend, clock.as_ref(), head).await;
        }
    }
    if let Some(s) = stop {
        let _ = s.send(());
    }
}

/// Runs one transaction; returns the chain head after it (unchanged if it did not commit).
async fn run_batch(
    pool: &AnyPool,
    batch: Vec<Work>,
    backend: Backend,
    clock: &dyn Clock,
    head: Head,
) -> Head {
    let Ok(tx) = pool.begin().await else {
        return head; // dropping the jobs tells each caller the write was not done
    };
    let mut ctx = WriteCtx {
        tx,
        head,
        now: clock.now(),
        backend,
        pending: Vec::new(),
        touches: Vec::new(),
    };
    let mut delivers: Vec<Deliver> = Vec::with_capacity(batch.len());
    for work in batch {
        let job = match work {
            Work::Job(job) => job,
            Work::Audit(a) => {
                ctx.now = clock.now();
                if let Some(hash) = &a.touch {
                    ctx.touch_session(hash);
                }
                match ctx.audit(a.draft).await {
                    Ok(seq) => {
                        let reply = a.reply;
                        delivers.push(Box::new(move |committed| {
                            let _ = reply.send(committed.map(|()| seq));
                        }));
                    }
                    Err(e) => {
                        let _ = a.reply.send(Err(e));
                    }
                }
                continue;
            }
        };
        if sqlx::query("SAVEPOINT vigil_job")
            .execute(ctx.conn())
            .await
            .is_err()
        {
            continue;
        }
        let before = ctx.head;
        let (pending_before, touches_before) = (ctx.pending.len(), ctx.touches.len());
        ctx.now = clock.now();
        let (back, result) = job(ctx).await;
        ctx = back;
        let undo = |ctx: &mut WriteCtx| {
            ctx.head = before;
            ctx.pending.truncate(pending_before);
            ctx.touches.truncate(touches_before);
        };
        match result {
            JobResult::Commit(deliver) => {
                if sqlx::query("RELEASE SAVEPOINT vigil_job")
                    .execute(ctx.conn())
                    .await
                    .is_ok()
                {
                    delivers.push(deliver);
                } else {
                    deliver(Err(StoreError::WriterGone));
                    undo(&mut ctx);
                }
            }
            JobResult::Rollback => {
                let _ = sqlx::query("ROLLBACK TO SAVEPOINT vigil_job")
                    .execute(ctx.conn())
                    .await;
                let _ = sqlx::query("RELEASE SAVEPOINT vigil_job")
                    .execute(ctx.conn())
                    .await;
                undo(&mut ctx);
            }
        }
    }
    let new_head = ctx.head;
    if ctx.flush().await.is_err() {
        // Nothing of this batch is committed; every caller hears so.
        drop(ctx);
        for d in delivers {
            d(Err(StoreError::WriterGone));
        }
        return head;
    }
    if new_head.seq / CHECKPOINT_EVERY > head.seq / CHECKPOINT_EVERY {
        let _ =
            crate::audit::insert_checkpoint(ctx.conn(), new_head.seq, &new_head.chain, new_head.at)
                .await;
    }
    match ctx.tx.commit().await {
        Ok(()) => {
            for d in delivers {
                d(Ok(()));
            }
            new_head
        }
        Err(_) => {
            for d in delivers {
                d(Err(StoreError::WriterGone));
            }
            head
        }
    }
}
