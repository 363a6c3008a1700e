-- Review queues: targets (traces, spans, experiment items) judged by people with human evaluators.
CREATE TABLE review_queues (
    id                 TEXT PRIMARY KEY,
    project_id         TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    instructions       TEXT,
    evaluators         TEXT NOT NULL,
    reviewers_per_item INTEGER NOT NULL,
    lock_seconds       INTEGER NOT NULL,
    sample_trace_name  TEXT,
    sample_rate        REAL,
    sampled_until      BIGINT,
    created_by         TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    UNIQUE (project_id, name)
);

CREATE TABLE review_items (
    id           TEXT PRIMARY KEY,
    project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    queue_id     TEXT NOT NULL REFERENCES review_queues(id) ON DELETE CASCADE,
    target_type  TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    reviews      INTEGER NOT NULL DEFAULT 0,
    done         INTEGER NOT NULL DEFAULT 0,
    locked_by    TEXT,
    locked_until BIGINT,
    added_at     BIGINT NOT NULL,
    UNIQUE (queue_id, target_type, target_id)
);
CREATE INDEX review_items_open ON review_items(queue_id, done, id);

-- One row per reviewer and item: a review (counts towards the item's reviews) or a skip.
CREATE TABLE review_decisions (
    id         TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    queue_id   TEXT NOT NULL REFERENCES review_queues(id) ON DELETE CASCADE,
    item_id    TEXT NOT NULL REFERENCES review_items(id) ON DELETE CASCADE,
    reviewer   TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (item_id, reviewer)
);
CREATE INDEX review_decisions_queue ON review_decisions(queue_id, reviewer);
