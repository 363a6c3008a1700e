-- Online evaluation rules: an evaluator applied to a sample of newly ingested spans or traces.
-- watermark: traces.updated_at up to which new data has been scanned.
CREATE TABLE online_rules (
    id             TEXT PRIMARY KEY,
    project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    evaluator_name TEXT NOT NULL,
    target         TEXT NOT NULL,
    filter         TEXT NOT NULL,
    sampling_rate  DOUBLE PRECISION NOT NULL,
    daily_budget   DOUBLE PRECISION,
    paused         BOOLEAN NOT NULL,
    watermark      BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (project_id, name)
);
-- One row per (rule, target) ever picked: it makes scanning idempotent and carries the judge cost.
CREATE TABLE online_evaluations (
    rule_id    TEXT NOT NULL REFERENCES online_rules(id) ON DELETE CASCADE,
    target_id  TEXT NOT NULL,
    project_id TEXT NOT NULL,
    status     TEXT NOT NULL,
    score_id   TEXT,
    cost       DOUBLE PRECISION,
    detail     TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (rule_id, target_id)
);
CREATE INDEX online_evaluations_time ON online_evaluations(rule_id, updated_at);
-- New-data scans read traces by write time.
CREATE INDEX traces_updated ON traces(project_id, updated_at);
