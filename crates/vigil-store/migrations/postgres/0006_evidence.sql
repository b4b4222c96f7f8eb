-- Evidence with chain of custody (E1–E3), PostgreSQL. Never edit after release: add a new migration.
-- `blobs` is the ledger of the on-disk blob store: a row is committed only after its blob was
-- fsynced under its digest, so a row never points at bytes that are not durable. Evidence rows
-- and custody events are immutable; only a disposal workflow (not yet written) may remove them.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size_bytes BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
--;;
CREATE FUNCTION vigil_evidence_immutable() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN RAISE EXCEPTION 'evidence records, blobs and custody events are immutable'; END
$fn$;
--;;
CREATE TRIGGER blobs_no_update BEFORE UPDATE ON blobs
FOR EACH ROW EXECUTE FUNCTION vigil_evidence_immutable();
--;;
CREATE TABLE evidence (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    name TEXT NOT NULL,
    description TEXT,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    collected_by TEXT NOT NULL REFERENCES users(id),
    collected_at BIGINT NOT NULL,
    collected_where TEXT,
    added_by TEXT NOT NULL REFERENCES users(id),
    added_at BIGINT NOT NULL,
    UNIQUE (case_id, sha256)
);
--;;
CREATE INDEX evidence_case ON evidence(case_id, added_at);
--;;
CREATE INDEX evidence_sha256 ON evidence(sha256);
--;;
CREATE TRIGGER evidence_immutable BEFORE UPDATE OR DELETE ON evidence
FOR EACH ROW EXECUTE FUNCTION vigil_evidence_immutable();
--;;
CREATE TRIGGER evidence_no_truncate BEFORE TRUNCATE ON evidence
FOR EACH STATEMENT EXECUTE FUNCTION vigil_evidence_immutable();
--;;
CREATE TABLE evidence_custody (
    id BIGSERIAL PRIMARY KEY,
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
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
CREATE TRIGGER evidence_custody_append_only BEFORE UPDATE OR DELETE ON evidence_custody
FOR EACH ROW EXECUTE FUNCTION vigil_evidence_immutable();
--;;
CREATE TRIGGER evidence_custody_no_truncate BEFORE TRUNCATE ON evidence_custody
FOR EACH STATEMENT EXECUTE FUNCTION vigil_evidence_immutable();
