-- A span id is unique within its trace (OpenTelemetry), not within its project, so spans are keyed
-- by (trace_seq, id), as on SQLite (see that migration). What found a span by its id alone now
-- names its trace too.

-- Review items keep their target's trace.
ALTER TABLE review_items ADD COLUMN trace_id TEXT;
UPDATE review_items SET trace_id = target_id WHERE target_type = 'trace';
UPDATE review_items i SET trace_id = s.trace_id FROM spans s
    WHERE i.target_type = 'span' AND s.project_id = i.project_id AND s.id = i.target_id;

-- Queued online evaluations carry the trace of the span they evaluate.
UPDATE jobs SET payload = (payload::jsonb || jsonb_build_object('traceId', (SELECT s.trace_id FROM spans s
        JOIN online_rules r ON r.project_id = s.project_id
        WHERE r.id = jobs.payload::jsonb ->> 'ruleId' AND s.id = jobs.payload::jsonb ->> 'targetId')))::text
    WHERE kind = 'monitoring.online.evaluate' AND status <> 'done'
      AND EXISTS (SELECT 1 FROM online_rules r WHERE r.id = jobs.payload::jsonb ->> 'ruleId' AND r.target = 'span');

-- Spans without a trace row (none are written since V92) are unreachable and left behind.
DELETE FROM spans s WHERE NOT EXISTS (SELECT 1 FROM traces t WHERE t.seq = s.trace_seq
    AND t.project_id = s.project_id AND t.id = s.trace_id);
ALTER TABLE spans DROP CONSTRAINT spans_pkey;
ALTER TABLE spans ADD PRIMARY KEY (trace_seq, id);
ALTER TABLE spans ALTER COLUMN trace_seq DROP DEFAULT;
DROP INDEX spans_trace;
