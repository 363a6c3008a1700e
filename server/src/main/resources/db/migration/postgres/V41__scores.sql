-- Judgments stored against traces, spans and experiment items, from any source.
CREATE TABLE scores (
    id                TEXT PRIMARY KEY,
    project_id        TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    target_type       TEXT NOT NULL,
    target_id         TEXT NOT NULL,
    evaluator_name    TEXT NOT NULL,
    evaluator_version INTEGER,
    value             TEXT,
    passed            BOOLEAN,
    reason            TEXT,
    error             TEXT,
    source            TEXT NOT NULL,
    author            TEXT NOT NULL,
    cost              DOUBLE PRECISION,
    created_at        BIGINT NOT NULL
);
CREATE INDEX scores_target ON scores(project_id, target_type, target_id, id);
CREATE INDEX scores_evaluator ON scores(project_id, evaluator_name, id);
