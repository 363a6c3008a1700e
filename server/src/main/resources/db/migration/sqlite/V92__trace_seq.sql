-- Spans reach their trace by the trace's sequence number (seq, given in insertion order) instead of
-- its random OpenTelemetry id: an index keyed by a random value dirties a different page per row on
-- every commit, one keyed by seq appends. seq is the traces rowid made explicit (INTEGER PRIMARY
-- KEY), so it survives VACUUM, which also keeps the search index (linked by rowid) valid.
CREATE TABLE traces_by_seq (
    seq             INTEGER PRIMARY KEY,
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
    UNIQUE (project_id, id)
);
INSERT INTO traces_by_seq (seq, project_id, id, name, session_id, user_id, tags, metadata, input, output,
    explicit_fields, start_time, end_time, latency_ms, status, span_count, error_count, input_tokens,
    output_tokens, total_tokens, cost, updated_at)
SELECT rowid, project_id, id, name, session_id, user_id, tags, metadata, input, output, explicit_fields,
    start_time, end_time, latency_ms, status, span_count, error_count, input_tokens, output_tokens,
    total_tokens, cost, updated_at FROM traces;
DROP TABLE traces;
ALTER TABLE traces_by_seq RENAME TO traces;
CREATE INDEX traces_start ON traces(project_id, start_time, id, status, latency_ms, span_count, total_tokens, cost);
CREATE INDEX traces_errors ON traces(project_id, start_time, id) WHERE status = 'error';
CREATE INDEX traces_session ON traces(project_id, session_id, start_time, id) WHERE session_id IS NOT NULL;
CREATE INDEX traces_user ON traces(project_id, user_id, start_time, id) WHERE user_id IS NOT NULL;
CREATE INDEX traces_name ON traces(project_id, name, start_time, id);
CREATE INDEX traces_latency ON traces(project_id, latency_ms, id);
CREATE INDEX traces_cost ON traces(project_id, cost, id);
CREATE INDEX traces_updated ON traces(project_id, updated_at);
-- The search triggers of V91, dropped with the old table.
CREATE TRIGGER traces_search_gone AFTER DELETE ON traces BEGIN
    DELETE FROM traces_search WHERE rowid = old.seq;
    DELETE FROM traces_search_changed WHERE trace_rowid = old.seq;
END;
-- Deleting the newest trace lets the next insert reuse its seq, which must then be indexed anew.
CREATE TRIGGER traces_search_newest_gone AFTER DELETE ON traces
    WHEN old.seq > COALESCE((SELECT MAX(seq) FROM traces), 0) BEGIN
    UPDATE traces_search_state SET indexed_rowid = MIN(indexed_rowid, COALESCE((SELECT MAX(seq) FROM traces), 0));
END;

ALTER TABLE spans ADD COLUMN trace_seq INTEGER NOT NULL DEFAULT 0;
UPDATE spans SET trace_seq = COALESCE((SELECT seq FROM traces t WHERE t.project_id = spans.project_id
    AND t.id = spans.trace_id), 0);
DROP INDEX spans_trace;
CREATE INDEX spans_trace ON spans(trace_seq);
