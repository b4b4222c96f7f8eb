-- Evidence with chain of custody (E1–E3), SQLite. Never edit after release: add a new migration.
-- `blobs` is the ledger of the on-disk blob store: a row is committed only after its blob was
-- fsynced under its digest, so a row never points at bytes that are not durable. Evidence rows
-- and custody events are immutable; only a disposal workflow (not yet written) may remove them.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size_bytes INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
--;;
CREATE TRIGGER blobs_no_update BEFORE UPDATE ON blobs
BEGIN SELECT RAISE(ABORT, 'blobs are immutable'); END;
--;;
CREATE TABLE evidence (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    name TEXT NOT NULL,
    description TEXT,
    media_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    collected_by TEXT NOT NULL REFERENCES users(id),
    collected_at INTEGER NOT NULL,
    collected_where TEXT,
    added_by TEXT NOT NULL REFERENCES users(id),
    added_at INTEGER NOT NULL,
    UNIQUE (case_id, sha256)
);
--;;
CREATE INDEX evidence_case ON evidence(case_id, added_at);
--;;
CREATE INDEX evidence_sha256 ON evidence(sha256);
--;;
CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
BEGIN SELECT RAISE(ABORT, 'evidence records are immutable'); END;
--;;
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
BEGIN SELECT RAISE(ABORT, 'evidence records are immutable'); END;
--;;
CREATE TABLE evidence_custody (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    kind TEXT NOT NULL,
    at INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    actor_id TEXT NOT NULL REFERENCES users(id),
    actor_agency TEXT NOT NULL REFERENCES agencies(id),
    from_user TEXT REFERENCES users(id),
    to_user TEXT REFERENCES users(id),
    recipient TEXT,
    purpose TEXT,
    sha256 TEXT NOT NULL
);
--;;
CREATE INDEX evidence_custody_item ON evidence_custody(evidence_id, id);
--;;
CREATE TRIGGER evidence_custody_no_update BEFORE UPDATE ON evidence_custody
BEGIN SELECT RAISE(ABORT, 'custody events are append-only'); END;
--;;
CREATE TRIGGER evidence_custody_no_delete BEFORE DELETE ON evidence_custody
BEGIN SELECT RAISE(ABORT, 'custody events are append-only'); END;
