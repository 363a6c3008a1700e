-- End-user feedback on traces and spans. Prompt and model are copied from the target at write time
-- so that aggregates per prompt version and model never join the span tables.
CREATE TABLE feedback (
    id             TEXT PRIMARY KEY,
    project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    trace_id       TEXT NOT NULL,
    span_id        TEXT,
    kind           TEXT NOT NULL,
    vote           INTEGER,
    rating         DOUBLE PRECISION,
    scale          DOUBLE PRECISION,
    action         TEXT,
    text           TEXT,
    diff           TEXT,
    delay_seconds  INTEGER,
    present        BOOLEAN,
    fraction_kept  DOUBLE PRECISION,
    end_user_id    TEXT,
    prompt_name    TEXT,
    prompt_version INTEGER,
    model          TEXT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX feedback_trace ON feedback(project_id, trace_id, id);
CREATE INDEX feedback_time ON feedback(project_id, created_at);
CREATE INDEX feedback_prompt ON feedback(project_id, prompt_name, prompt_version, created_at);
CREATE INDEX feedback_model ON feedback(project_id, model, created_at);
