-- Hourly dashboard rollups, maintained off the ingestion path by the monitoring job (MetricRollups).
-- One row per (project, hour, kind, group): kind 'all' and 'tag' aggregate traces by start hour,
-- 'model', 'prompt' and 'prompt_version' aggregate LLM spans by sort_time hour.
CREATE TABLE metric_rollups (
    project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    hour        BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    dim         TEXT,
    -- prompt_version rows: the prompt, so that a prompt filter can pick its versions.
    prompt_name TEXT,
    n           BIGINT NOT NULL,
    traces      BIGINT NOT NULL,
    spans       BIGINT NOT NULL,
    errors      BIGINT NOT NULL,
    tokens      BIGINT NOT NULL,
    cost        DOUBLE PRECISION NOT NULL,
    -- Latency histogram (LatencyHistogram: log buckets, varint-encoded); null when no row had a latency.
    latency     BLOB
);
CREATE INDEX metric_rollups_hour ON metric_rollups(project_id, kind, hour);

-- The raw row counts each rolled-up hour was computed from: deletions (retention) show as a difference.
CREATE TABLE metric_rollup_hours (
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    hour       BIGINT NOT NULL,
    traces     BIGINT NOT NULL,
    spans      BIGINT NOT NULL,
    PRIMARY KEY (project_id, hour)
);

-- Per project: traces.updated_at scanned up to (watermark), the end of the rolled-up hours (rolled_to)
-- and the oldest trace start seen (min_start: when it grows, old traces were deleted).
CREATE TABLE metric_rollup_state (
    project_id TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    watermark  BIGINT NOT NULL,
    rolled_to  BIGINT NOT NULL,
    min_start  BIGINT
);
