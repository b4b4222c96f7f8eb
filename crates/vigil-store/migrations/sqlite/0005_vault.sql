-- The victim vault (V1–V6) and screening (T3) (SQLite). Victim records live in their own
-- tables, apart from case content; a case only ever sees a pseudonym through `victim_cases`.
-- Never edit after release: add a new migration instead.
CREATE TABLE victims (
    id TEXT PRIMARY KEY,
    serving_agency_id TEXT NOT NULL REFERENCES agencies(id),
    pseudonym TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    preferred_name TEXT,
    birth_date TEXT,
    nationality TEXT,
    languages TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    contact_notes TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
--;;
CREATE INDEX victims_agency ON victims(serving_agency_id);
--;;
CREATE TABLE victim_cases (
    victim_id TEXT NOT NULL REFERENCES victims(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    entity_id TEXT REFERENCES entities(id),
    linked_by TEXT NOT NULL REFERENCES users(id),
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (victim_id, case_id)
);
--;;
CREATE INDEX victim_cases_case ON victim_cases(case_id);
--;;
CREATE INDEX victim_cases_entity ON victim_cases(entity_id);
--;;
CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    victim_id TEXT NOT NULL REFERENCES victims(id),
    purpose TEXT NOT NULL,
    recipients TEXT NOT NULL,
    categories TEXT NOT NULL,
    given_at INTEGER NOT NULL,
    expires_at INTEGER,
    language TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at INTEGER NOT NULL,
    revoked_at INTEGER,
    revoked_by TEXT REFERENCES users(id)
);
--;;
CREATE INDEX consents_victim ON consents(victim_id);
--;;
CREATE TABLE screenings (
    id TEXT PRIMARY KEY,
    victim_id TEXT NOT NULL REFERENCES victims(id),
    questionnaire TEXT NOT NULL,
    questionnaire_version INTEGER NOT NULL,
    language TEXT NOT NULL,
    answers TEXT NOT NULL,
    recommendation TEXT NOT NULL,
    concerns TEXT NOT NULL,
    administered_by TEXT NOT NULL REFERENCES users(id),
    administered_at INTEGER NOT NULL
);
--;;
CREATE INDEX screenings_victim ON screenings(victim_id);
--;;
CREATE TABLE providers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    service_types TEXT NOT NULL,
    languages TEXT NOT NULL,
    eligibility TEXT NOT NULL,
    capacity INTEGER,
    contact TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
--;;
CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    victim_id TEXT NOT NULL REFERENCES victims(id),
    provider_id TEXT NOT NULL REFERENCES providers(id),
    service_type TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
--;;
CREATE INDEX referrals_victim ON referrals(victim_id);
--;;
CREATE TABLE referral_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    at INTEGER NOT NULL,
    actor_id TEXT NOT NULL REFERENCES users(id),
    status TEXT NOT NULL
);
--;;
CREATE INDEX referral_events_referral ON referral_events(referral_id, id);
--;;
CREATE TABLE services_delivered (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    service_type TEXT NOT NULL,
    delivered_on TEXT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at INTEGER NOT NULL
);
--;;
CREATE INDEX services_delivered_referral ON services_delivered(referral_id);
--;;
CREATE TABLE safety_plans (
    victim_id TEXT PRIMARY KEY REFERENCES victims(id),
    sections TEXT NOT NULL,
    review_on TEXT,
    updated_by TEXT NOT NULL REFERENCES users(id),
    updated_at INTEGER NOT NULL
);
--;;
CREATE TABLE victim_guard_overrides (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    entity_id TEXT NOT NULL REFERENCES entities(id),
    reason TEXT NOT NULL,
    approved_by TEXT NOT NULL REFERENCES users(id),
    approved_at INTEGER NOT NULL
);
--;;
CREATE INDEX victim_guard_overrides_entity ON victim_guard_overrides(entity_id);
