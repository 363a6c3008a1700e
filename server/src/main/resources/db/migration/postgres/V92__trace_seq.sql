-- Spans reach their trace by the trace's sequence number (seq, given in insertion order) instead of
-- its random OpenTelemetry id, so that the span-to-trace index appends instead of touching a random
-- page per row (see the SQLite migration; the SQL of both dialects is the same).
ALTER TABLE traces ADD COLUMN seq BIGSERIAL;
CREATE UNIQUE INDEX traces_seq ON traces(seq);
ALTER TABLE spans ADD COLUMN trace_seq BIGINT NOT NULL DEFAULT 0;
UPDATE spans s SET trace_seq = t.seq FROM traces t WHERE t.project_id = s.project_id AND t.id = s.trace_id;
DROP INDEX spans_trace;
CREATE INDEX spans_trace ON spans(trace_seq);
