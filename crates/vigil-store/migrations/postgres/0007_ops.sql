-- Protocol checklists (T5), joint operations (O1, O2) and prosecution (C6). PostgreSQL.
-- Never edit after release: add a new migration instead.
CREATE TABLE protocols (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    template_key TEXT NOT NULL,
    template_version BIGINT NOT NULL,
    title TEXT NOT NULL,
    conditions TEXT NOT NULL,
    start_trigger TEXT,
    started_at BIGINT NOT NULL,
    started_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
--;;
CREATE UNIQUE INDEX protocols_case_template ON protocols(case_id, template_key);
--;;
CREATE TABLE protocol_items (
    id TEXT PRIMARY KEY,
    protocol_id TEXT NOT NULL REFERENCES protocols(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    position BIGINT NOT NULL,
    item_key TEXT NOT NULL,
    text TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    closed_by TEXT REFERENCES users(id),
    closed_at BIGINT,
    note TEXT,
    custom BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (protocol_id, position)
);
--;;
CREATE INDEX protocol_items_case ON protocol_items(case_id);
--;;
CREATE TABLE operations (
    id TEXT PRIMARY KEY,
    lead_agency_id TEXT NOT NULL REFERENCES agencies(id),
    name TEXT NOT NULL,
    location TEXT NOT NULL,
    planned_start BIGINT NOT NULL,
    planned_end BIGINT,
    status TEXT NOT NULL,
    people_recovered BIGINT,
    minors_recovered BIGINT,
    arrests BIGINT,
    referrals_made BIGINT,
    outcome_notes TEXT,
    outcomes_by TEXT REFERENCES users(id),
    outcomes_at BIGINT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
--;;
CREATE INDEX operations_lead ON operations(lead_agency_id);
--;;
CREATE TABLE operation_agencies (
    operation_id TEXT NOT NULL REFERENCES operations(id),
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    role TEXT NOT NULL,
    PRIMARY KEY (operation_id, agency_id)
);
--;;
CREATE TABLE operation_roster (
    operation_id TEXT NOT NULL REFERENCES operations(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    commander BIGINT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (operation_id, user_id)
);
--;;
CREATE INDEX operation_roster_user ON operation_roster(user_id);
--;;
CREATE TABLE operation_services (
    operation_id TEXT NOT NULL REFERENCES operations(id),
    position BIGINT NOT NULL,
    provider TEXT NOT NULL,
    agency_id TEXT REFERENCES agencies(id),
    advocates BIGINT NOT NULL,
    PRIMARY KEY (operation_id, position)
);
--;;
CREATE TABLE operation_cases (
    operation_id TEXT NOT NULL REFERENCES operations(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    linked_by TEXT NOT NULL REFERENCES users(id),
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (operation_id, case_id)
);
--;;
CREATE INDEX operation_cases_case ON operation_cases(case_id);
--;;
CREATE TABLE charges (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    defendant_id TEXT NOT NULL REFERENCES entities(id),
    statute TEXT NOT NULL,
    description TEXT NOT NULL,
    trafficking BIGINT NOT NULL,
    counts BIGINT NOT NULL,
    disposition TEXT NOT NULL,
    disposed_on BIGINT,
    sentence TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
--;;
CREATE INDEX charges_case ON charges(case_id);
--;;
CREATE TABLE court_events (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    defendant_id TEXT REFERENCES entities(id),
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    court TEXT NOT NULL,
    note TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
--;;
CREATE INDEX court_events_case ON court_events(case_id);
