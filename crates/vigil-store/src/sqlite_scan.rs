//! A fast, read-only scan of the SQLite audit log for verification: one thread decodes rows with
//! rusqlite while the caller hashes, so a million events verify in a few seconds.

use crate::audit::StoredEvent;
use crate::StoreError;
use std::path::Path;
use std::sync::mpsc;
use vigil_audit::{AuditEvent, Outcome};
use vigil_types::{AgencyId, Timestamp, UserId};

const BATCH: usize = 8192;

fn corrupt(column: &'static str) -> StoreError {
    StoreError::Corrupt {
        table: "audit_events",
        column,
    }
}

fn read_row(r: &rusqlite::Row<'_>) -> Result<StoredEvent, StoreError> {
    let text = |i: usize, c: &'static str| r.get::<_, String>(i).map_err(|_| corrupt(c));
    let opt = |i: usize, c: &'static str| r.get::<_, Option<String>>(i).map_err(|_| corrupt(c));
    let id = |v: Option<String>, c: &'static str| {
        v.map(|s| UserId::parse(&s).map_err(|_| corrupt(c)))
            .transpose()
    };
    let agency = |v: Option<String>, c: &'static str| {
        v.map(|s| AgencyId::parse(&s).map_err(|_| corrupt(c)))
            .transpose()
    };
    let digest = |i: usize, c: &'static str| -> Result<[u8; 32], StoreError> {
        r.get::<_, Vec<u8>>(i)
            .map_err(|_| corrupt(c))?
            .try_into()
            .map_err(|_| corrupt(c))
    };
    let seq: i64 = r.get(0).map_err(|_| corrupt("seq"))?;
    Ok(StoredEvent {
        event: AuditEvent {
            seq: u64::try_from(seq).map_err(|_| corrupt("seq"))?,
            at: Timestamp::from_unix_micros(r.get(1).map_err(|_| corrupt("at"))?),
            actor_user: id(opt(2, "actor_user")?, "actor_user")?,
            actor_agency: agency(opt(3, "actor_agency")?, "actor_agency")?,
            action: text(4, "action")?,
            object_kind: text(5, "object_kind")?,
            object_id: opt(6, "object_id")?,
            object_agency: agency(opt(7, "object_agency")?, "object_agency")?,
            outcome: Outcome::parse(&text(8, "outcome")?).ok_or_else(|| corrupt("outcome"))?,
            detail: text(9, "detail")?,
        },
        leaf_hash: digest(10, "leaf_hash")?,
        chain_hash: digest(11, "chain_hash")?,
    })
}

/// Streams every event in `seq` order to `visit`, decoding on a second thread.
pub(crate) fn scan(
    path: &Path,
    mut visit: impl FnMut(StoredEvent) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let path = path.to_owned();
    let (tx, rx) = mpsc::sync_channel::<Result<Vec<StoredEvent>, StoreError>>(4);
    let reader = std::thread::spawn(move || {
        let run = || -> Result<(), StoreError> {
            let conn = rusqlite::Connection::open_with_flags(
                &path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .map_err(|e| StoreError::Rejected(format!("cannot open the audit database: {e}")))?;
            let mut stmt = conn
                .prepare(
                    "SELECT seq, at, actor_user, actor_agency, action, object_kind, object_id, object_agency, \
                     outcome, detail, leaf_hash, chain_hash FROM audit_events ORDER BY seq",
                )
                .map_err(|e| StoreError::Rejected(format!("cannot read the audit log: {e}")))?;
            let mut rows = stmt
                .query([])
                .map_err(|e| StoreError::Rejected(format!("cannot read the audit log: {e}")))?;
            let mut batch = Vec::with_capacity(BATCH);
            while let Some(r) = rows
                .next()
                .map_err(|e| StoreError::Rejected(format!("cannot read the audit log: {e}")))?
            {
                batch.push(read_row(r)?);
                if batch.len() == BATCH
                    && tx
                        .send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))))
                        .is_err()
                {
                    return Ok(());
                }
            }
            if !batch.is_empty() {
                let _ = tx.send(Ok(batch));
            }
            Ok(())
        };
        if let Err(e) = run() {
            let _ = tx.send(Err(e));
        }
    });
    let mut result = Ok(());
    for batch in rx {
        match batch.and_then(|events| events.into_iter().try_for_each(&mut visit)) {
            Ok(()) => {}
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    // Dropping the receiver (on error) makes the reader stop at its next send.
    let _ = reader.join();
    result
}
