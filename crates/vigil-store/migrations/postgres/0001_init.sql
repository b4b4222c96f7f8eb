-- Vigil schema v1 (PostgreSQL). Never edit after release: add a new migration instead.
-- Statements are separated by lines holding only `--;;`.
CREATE TABLE agencies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    short_code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
--;;
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_pending_secret TEXT,
    totp_last_step BIGINT,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    failed_window_start BIGINT,
    locked BIGINT NOT NULL DEFAULT 0,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    last_login_at BIGINT
);
--;;
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    csrf_hash TEXT NOT NULL,
    stage TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ended BIGINT NOT NULL DEFAULT 0
);
--;;
CREATE INDEX sessions_user ON sessions(user_id);
--;;
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked BIGINT NOT NULL DEFAULT 0
);
--;;
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    trafficking_type TEXT NOT NULL,
    status TEXT NOT NULL,
    sensitivity TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (agency_id, number)
);
--;;
CREATE TABLE case_team (
    case_id TEXT NOT NULL REFERENCES cases(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    lead BIGINT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
--;;
CREATE INDEX case_team_user ON case_team(user_id);
--;;
CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    schema TEXT NOT NULL,
    caption TEXT NOT NULL,
    properties TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
--;;
CREATE INDEX entities_case ON entities(case_id);
--;;
CREATE TABLE links (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    source_id TEXT NOT NULL REFERENCES entities(id),
    target_id TEXT NOT NULL REFERENCES entities(id),
    link_type TEXT NOT NULL,
    description TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
--;;
CREATE INDEX links_case ON links(case_id);
--;;
CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    author_id TEXT NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
--;;
CREATE INDEX notes_case ON notes(case_id);
--;;
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    assignee_id TEXT REFERENCES users(id),
    due_at BIGINT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
--;;
CREATE INDEX tasks_case ON tasks(case_id);
--;;
CREATE TABLE case_events (
    id BIGSERIAL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    at BIGINT NOT NULL,
    actor_id TEXT REFERENCES users(id),
    kind TEXT NOT NULL,
    summary TEXT NOT NULL
);
--;;
CREATE INDEX case_events_case ON case_events(case_id, id);
--;;
CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_user TEXT,
    actor_agency TEXT,
    action TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id TEXT,
    object_agency TEXT,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    leaf_hash BYTEA NOT NULL,
    chain_hash BYTEA NOT NULL
);
--;;
CREATE INDEX audit_actor_agency ON audit_events(actor_agency, seq);
--;;
CREATE INDEX audit_object_agency ON audit_events(object_agency, seq);
--;;
CREATE FUNCTION vigil_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN RAISE EXCEPTION 'audit records are append-only'; END
$fn$;
--;;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION vigil_append_only();
--;;
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION vigil_append_only();
--;;
CREATE TABLE audit_checkpoints (
    seq BIGINT PRIMARY KEY,
    chain_hash BYTEA NOT NULL,
    at BIGINT NOT NULL
);
--;;
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
FOR EACH ROW EXECUTE FUNCTION vigil_append_only();
--;;
CREATE TABLE idempotency (
    actor TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status BIGINT NOT NULL,
    response TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (actor, key)
);
