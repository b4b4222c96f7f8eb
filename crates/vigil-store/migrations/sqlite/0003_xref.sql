-- Cross-referencing (issue 4 part 3): match candidates, append-only human judgements, and the
-- stoplist of generic values. A merge is never an overwrite: "same" judgements over entity ids
-- form same-as clusters; every source entity stays as it was.
CREATE TABLE xref_candidates (
    id TEXT PRIMARY KEY,
    entity_a TEXT NOT NULL REFERENCES entities(id),
    case_a TEXT NOT NULL REFERENCES cases(id),
    entity_b TEXT NOT NULL REFERENCES entities(id),
    case_b TEXT NOT NULL REFERENCES cases(id),
    score_ppm INTEGER NOT NULL,
    explanation TEXT NOT NULL,
    generic INTEGER NOT NULL,
    found_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (entity_a, entity_b)
);
--;;
CREATE INDEX xref_candidates_case_a ON xref_candidates(case_a);
--;;
CREATE INDEX xref_candidates_case_b ON xref_candidates(case_b);
--;;
CREATE INDEX xref_candidates_entity_b ON xref_candidates(entity_b);
--;;
CREATE TABLE xref_judgements (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id TEXT NOT NULL REFERENCES xref_candidates(id),
    decision TEXT NOT NULL,
    judged_by TEXT NOT NULL REFERENCES users(id),
    judged_at INTEGER NOT NULL
);
--;;
CREATE INDEX xref_judgements_candidate ON xref_judgements(candidate_id, seq);
--;;
CREATE TRIGGER xref_judgements_no_update BEFORE UPDATE ON xref_judgements
BEGIN SELECT RAISE(ABORT, 'judgements are append-only'); END;
--;;
CREATE TRIGGER xref_judgements_no_delete BEFORE DELETE ON xref_judgements
BEGIN SELECT RAISE(ABORT, 'judgements are append-only'); END;
--;;
CREATE TABLE xref_stoplist (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    reason TEXT NOT NULL,
    added_by TEXT REFERENCES users(id),
    added_at INTEGER NOT NULL,
    UNIQUE (kind, value)
);
