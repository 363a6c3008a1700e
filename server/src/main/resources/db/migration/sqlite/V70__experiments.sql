-- Experiments: a dataset version x targets (runs) x evaluators. Judgments live in scores
-- (target_type experiment_item, target_id = experiment_items.id).
CREATE TABLE experiments (
    id              TEXT PRIMARY KEY,
    project_id      TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    dataset_id      TEXT NOT NULL,
    dataset_name    TEXT NOT NULL,
    dataset_version INTEGER NOT NULL,
    evaluators      TEXT NOT NULL,
    repetitions     INTEGER NOT NULL,
    concurrency     INTEGER NOT NULL,
    cache           INTEGER NOT NULL,
    status          TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    finished_at     BIGINT
);
CREATE INDEX experiments_project ON experiments(project_id, id);

CREATE TABLE experiment_runs (
    id            TEXT PRIMARY KEY,
    experiment_id TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
    project_id    TEXT NOT NULL,
    position      INTEGER NOT NULL,
    label         TEXT NOT NULL,
    target        TEXT NOT NULL,
    status        TEXT NOT NULL,
    error         TEXT,
    started_at    BIGINT,
    finished_at   BIGINT
);
CREATE INDEX experiment_runs_experiment ON experiment_runs(experiment_id, position);

CREATE TABLE experiment_items (
    id            TEXT PRIMARY KEY,
    run_id        TEXT NOT NULL REFERENCES experiment_runs(id) ON DELETE CASCADE,
    project_id    TEXT NOT NULL,
    item_id       TEXT NOT NULL,
    repetition    INTEGER NOT NULL,
    status        TEXT NOT NULL,
    output        TEXT,
    trace_id      TEXT,
    latency_ms    BIGINT,
    input_tokens  INTEGER,
    output_tokens INTEGER,
    cost          REAL,
    error         TEXT,
    cached        INTEGER NOT NULL DEFAULT 0,
    finished_at   BIGINT,
    UNIQUE (run_id, item_id, repetition)
);
CREATE INDEX experiment_items_status ON experiment_items(run_id, status);
