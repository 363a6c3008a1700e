-- A span id is unique within its trace (OpenTelemetry), not within its project, so spans are keyed
-- by (trace_seq, id). The key grows in insertion order; the old random-order (project_id, id) key
-- cost a page write per span once it outgrew the cache (docs/BENCHMARKS.md, "span identity").
-- What found a span by its id alone now names its trace too:

-- Review items keep their target's trace.
ALTER TABLE review_items ADD COLUMN trace_id TEXT;
UPDATE review_items SET trace_id = target_id WHERE target_type = 'trace';
UPDATE review_items SET trace_id = (SELECT s.trace_id FROM spans s WHERE s.project_id = review_items.project_id
    AND s.id = review_items.target_id) WHERE target_type = 'span';

-- Queued online evaluations carry the trace of the span they evaluate.
UPDATE jobs SET payload = json_set(payload, '$.traceId', (SELECT s.trace_id FROM spans s
        JOIN online_rules r ON r.project_id = s.project_id
        WHERE r.id = json_extract(jobs.payload, '$.ruleId') AND s.id = json_extract(jobs.payload, '$.targetId')))
    WHERE kind = 'monitoring.online.evaluate' AND status <> 'done'
      AND EXISTS (SELECT 1 FROM online_rules r WHERE r.id = json_extract(jobs.payload, '$.ruleId') AND r.target = 'span');

CREATE TABLE spans_by_trace (
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
    -- The trace's traces.seq; the key's prefix, so it also finds a trace's spans.
    trace_seq        INTEGER NOT NULL,
    PRIMARY KEY (trace_seq, id)
);
-- Spans without a trace row (none are written since V92) are unreachable and left behind.
INSERT INTO spans_by_trace (project_id, id, trace_id, parent_id, kind, name, input, output, model, provider, params,
    input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost, start_time, end_time, status, error,
    attributes, prompt_name, prompt_version, sort_time, trace_seq)
SELECT s.project_id, s.id, s.trace_id, s.parent_id, s.kind, s.name, s.input, s.output, s.model, s.provider, s.params,
    s.input_tokens, s.output_tokens, s.cached_tokens, s.reasoning_tokens, s.cost, s.start_time, s.end_time, s.status,
    s.error, s.attributes, s.prompt_name, s.prompt_version, s.sort_time, s.trace_seq
FROM spans s JOIN traces t ON t.seq = s.trace_seq AND t.project_id = s.project_id AND t.id = s.trace_id
ORDER BY s.trace_seq;
DROP TABLE spans;
ALTER TABLE spans_by_trace RENAME TO spans;
CREATE INDEX spans_kind ON spans(project_id, kind, sort_time, id);
CREATE INDEX spans_sort ON spans(project_id, sort_time, id, status, cost, input_tokens, output_tokens);
