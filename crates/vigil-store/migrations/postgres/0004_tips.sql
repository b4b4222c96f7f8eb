-- Anonymous tips and the triage queue (T1, T2, T4). Never edit after release.
-- No column holds an IP address, user agent or any other client metadata, by design.
CREATE TABLE intake_items (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    receipt_lookup TEXT UNIQUE,
    receipt_hash TEXT,
    what TEXT NOT NULL,
    where_text TEXT,
    when_text TEXT,
    contact TEXT,
    created_by TEXT REFERENCES users(id),
    priority TEXT NOT NULL,
    priority_rank BIGINT NOT NULL,
    indicates TEXT NOT NULL,
    rules TEXT NOT NULL,
    state TEXT NOT NULL,
    routed_agency TEXT REFERENCES agencies(id),
    assignee TEXT REFERENCES users(id),
    case_id TEXT REFERENCES cases(id),
    close_reason TEXT,
    received_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
--;;
CREATE INDEX intake_items_queue ON intake_items(state, priority_rank, received_at);
--;;
CREATE TABLE intake_messages (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES intake_items(id),
    author TEXT NOT NULL,
    author_user TEXT REFERENCES users(id),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
--;;
CREATE INDEX intake_messages_item ON intake_messages(item_id, created_at);
--;;
CREATE TABLE intake_attachments (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES intake_items(id),
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
--;;
CREATE INDEX intake_attachments_item ON intake_attachments(item_id);
--;;
CREATE TABLE tip_tokens_used (
    digest TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
--;;
CREATE INDEX tip_tokens_used_expiry ON tip_tokens_used(expires_at);
--;;
CREATE INDEX idempotency_created ON idempotency(created_at);
