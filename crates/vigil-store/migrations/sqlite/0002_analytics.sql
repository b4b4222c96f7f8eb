-- Online ads imported into a case (issue 3 part 4). Never edit after release.
-- Each ad is also an OnlineAd entity of its case (same id); this table keeps the captured
-- content in full, its SHA-256, the extraction and the indicator score with its explanation.
CREATE TABLE ads (
    entity_id TEXT PRIMARY KEY REFERENCES entities(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    content_sha256 TEXT NOT NULL,
    feed_id TEXT NOT NULL,
    source TEXT,
    url TEXT,
    posted_at INTEGER,
    location TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    score_milli INTEGER NOT NULL,
    urgent_review INTEGER NOT NULL,
    weight_set TEXT NOT NULL,
    features TEXT NOT NULL,
    explanation TEXT NOT NULL,
    imported_by TEXT NOT NULL REFERENCES users(id),
    imported_at INTEGER NOT NULL,
    UNIQUE (case_id, content_sha256)
);
--;;
CREATE INDEX ads_case_score ON ads(case_id, score_milli);
--;;
CREATE TABLE ad_selectors (
    entity_id TEXT NOT NULL REFERENCES entities(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    obfuscated INTEGER NOT NULL,
    PRIMARY KEY (entity_id, kind, value)
);
--;;
CREATE INDEX ad_selectors_value ON ad_selectors(value, case_id);
--;;
CREATE INDEX ad_selectors_case ON ad_selectors(case_id);
