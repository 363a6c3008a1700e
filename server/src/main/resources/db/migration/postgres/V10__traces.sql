-- Traces and spans. Ids are OpenTelemetry hex ids, unique per project. Times are epoch ms.
-- Trace rollups (times, tokens, cost, errors) are recomputed from the spans on every write.
CREATE TABLE traces (
    project_id      TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    name            TEXT,
    session_id      TEXT,
    user_id         TEXT,
    tags            TEXT,
    metadata        TEXT,
    input           TEXT,
    output          TEXT,
    explicit_fields INTEGER NOT NULL DEFAULT 0,
    start_time      BIGINT NOT NULL,
    end_time        BIGINT,
    latency_ms      BIGINT NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'ok',
    span_count      INTEGER NOT NULL DEFAULT 0,
    error_count     INTEGER NOT NULL DEFAULT 0,
    input_tokens    BIGINT NOT NULL DEFAULT 0,
    output_tokens   BIGINT NOT NULL DEFAULT 0,
    total_tokens    BIGINT NOT NULL DEFAULT 0,
    cost            DOUBLE PRECISION NOT NULL DEFAULT 0,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (project_id, id)
);
CREATE INDEX traces_start ON traces(project_id, start_time, id);
-- Filter columns come with (start_time, id) so that a filtered first page is read in order.
CREATE INDEX traces_session ON traces(project_id, session_id, start_time, id);
CREATE INDEX traces_user ON traces(project_id, user_id, start_time, id);
CREATE INDEX traces_name ON traces(project_id, name, start_time, id);
CREATE INDEX traces_status ON traces(project_id, status, start_time, id);
CREATE INDEX traces_latency ON traces(project_id, latency_ms, id);
CREATE INDEX traces_cost ON traces(project_id, cost, id);

CREATE TABLE spans (
    project_id       TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    id               TEXT NOT NULL,
    trace_id         TEXT NOT NULL,
    parent_id        TEXT,
    kind             TEXT,
    name             TEXT,
    input            TEXT,
    output           TEXT,
    model            TEXT,
    provider         TEXT,
    params           TEXT,
    input_tokens     BIGINT,
    output_tokens    BIGINT,
    cached_tokens    BIGINT,
    reasoning_tokens BIGINT,
    cost             DOUBLE PRECISION,
    start_time       BIGINT,
    end_time         BIGINT,
    status           TEXT,
    error            TEXT,
    attributes       TEXT,
    prompt_name      TEXT,
    prompt_version   INTEGER,
    -- start_time, else end_time, else the time it was first seen: a non-null key for span lists.
    sort_time        BIGINT NOT NULL,
    PRIMARY KEY (project_id, id)
);
CREATE INDEX spans_trace ON spans(project_id, trace_id);
CREATE INDEX spans_sort ON spans(project_id, sort_time, id);
CREATE INDEX spans_model ON spans(project_id, model, trace_id);
CREATE INDEX spans_prompt ON spans(project_id, prompt_name, trace_id);
CREATE INDEX spans_kind ON spans(project_id, kind, sort_time, id);

-- Per-project model prices (USD per 1M tokens) overriding the shipped table.
CREATE TABLE model_prices (
    project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    model        TEXT NOT NULL,
    input_per_m  DOUBLE PRECISION NOT NULL,
    output_per_m DOUBLE PRECISION NOT NULL,
    cached_per_m DOUBLE PRECISION,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (project_id, model)
);
