-- Protocol checklists (T5), joint operations (O1, O2) and prosecution (C6). SQLite.
-- Never edit after release: add a new migration instead.
CREATE TABLE protocols (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    template_key TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    title TEXT NOT NULL,
    conditions TEXT NOT NULL,
    start_trigger TEXT,
    started_at INTEGER NOT NULL,
    started_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
--;;
CREATE UNIQUE INDEX protocols_case_template ON protocols(case_id, template_key);
--;;
CREATE TABLE protocol_items (
    id TEXT PRIMARY KEY,
    protocol_id TEXT NOT NULL REFERENCES protocols(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    position INTEGER NOT NULL,
    item_key TEXT NOT NULL,
    text TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    closed_by TEXT REFERENCES users(id),
    closed_at INTEGER,
    note TEXT,
    custom INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
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
    planned_start INTEGER NOT NULL,
    planned_end INTEGER,
    status TEXT NOT NULL,
    people_recovered INTEGER,
    minors_recovered INTEGER,
    arrests INTEGER,
    referrals_made INTEGER,
    outcome_notes TEXT,
    outcomes_by TEXT REFERENCES users(id),
    outcomes_at INTEGER,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
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
    commander INTEGER NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (operation_id, user_id)
);
--;;
CREATE INDEX operation_roster_user ON operation_roster(user_id);
--;;
CREATE TABLE operation_services (
    operation_id TEXT NOT NULL REFERENCES operations(id),
    position INTEGER NOT NULL,
    provider TEXT NOT NULL,
    agency_id TEXT REFERENCES agencies(id),
    advocates INTEGER NOT NULL,
    PRIMARY KEY (operation_id, position)
);
--;;
CREATE TABLE operation_cases (
    operation_id TEXT NOT NULL REFERENCES operations(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    linked_by TEXT NOT NULL REFERENCES users(id),
    linked_at INTEGER NOT NULL,
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
    trafficking INTEGER NOT NULL,
    counts INTEGER NOT NULL,
    disposition TEXT NOT NULL,
    disposed_on INTEGER,
    sentence TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
--;;
CREATE INDEX charges_case ON charges(case_id);
--;;
CREATE TABLE court_events (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    defendant_id TEXT REFERENCES entities(id),
    kind TEXT NOT NULL,
    at INTEGER NOT NULL,
    court TEXT NOT NULL,
    note TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
--;;
CREATE INDEX court_events_case ON court_events(case_id);
