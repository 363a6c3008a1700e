-- Threaded comments on traces, spans, prompt versions and experiment items.
CREATE TABLE comments (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    target_type TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    parent_id   TEXT REFERENCES comments(id) ON DELETE CASCADE,
    author_id   TEXT,
    author      TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX comments_target ON comments(project_id, target_type, target_id, id);
CREATE INDEX comments_recent ON comments(project_id, id);
