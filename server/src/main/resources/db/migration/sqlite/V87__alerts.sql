CREATE TABLE alert_rules (
    id             TEXT PRIMARY KEY,
    project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    metric         TEXT NOT NULL,
    evaluator_name TEXT,
    comparison     TEXT NOT NULL,
    threshold      REAL NOT NULL,
    window_minutes INTEGER NOT NULL,
    webhook_url    TEXT NOT NULL,
    secret         TEXT NOT NULL,
    firing         INTEGER NOT NULL,
    last_value     REAL,
    last_checked   BIGINT,
    created_at     BIGINT NOT NULL,
    UNIQUE (project_id, name)
);
CREATE TABLE alert_events (
    id         TEXT PRIMARY KEY,
    rule_id    TEXT NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
    project_id TEXT NOT NULL,
    state      TEXT NOT NULL,
    value      REAL,
    delivery   TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX alert_events_rule ON alert_events(rule_id, created_at);
-- Dashboard aggregates: covering indexes for per-bucket scans.
CREATE INDEX spans_time_cover ON spans(project_id, sort_time, status, cost, input_tokens, output_tokens);
CREATE INDEX traces_time_cover ON traces(project_id, start_time, status, latency_ms, span_count, total_tokens, cost);
CREATE INDEX scores_time ON scores(project_id, evaluator_name, created_at);
