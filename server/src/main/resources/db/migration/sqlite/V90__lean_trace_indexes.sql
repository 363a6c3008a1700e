-- Ingestion writes every index entry of every span and trace, and an index keyed by a random value
-- (such as a trace id) dirties a random page per row: at scale that page is written to the log on
-- every commit. Keep the indexes queries need and fold the dashboard covers into the time indexes.
-- The trace list's model and prompt filters reach spans through spans_trace.
DROP INDEX spans_model;
DROP INDEX spans_prompt;
DROP INDEX traces_start;
DROP INDEX traces_time_cover;
CREATE INDEX traces_start ON traces(project_id, start_time, id, status, latency_ms, span_count, total_tokens, cost);
DROP INDEX spans_sort;
DROP INDEX spans_time_cover;
CREATE INDEX spans_sort ON spans(project_id, sort_time, id, status, cost, input_tokens, output_tokens);
-- Filters on rare values need only the rows that have them: errors, and traces with a session or user.
DROP INDEX traces_status;
CREATE INDEX traces_errors ON traces(project_id, start_time, id) WHERE status = 'error';
DROP INDEX traces_session;
CREATE INDEX traces_session ON traces(project_id, session_id, start_time, id) WHERE session_id IS NOT NULL;
DROP INDEX traces_user;
CREATE INDEX traces_user ON traces(project_id, user_id, start_time, id) WHERE user_id IS NOT NULL;
