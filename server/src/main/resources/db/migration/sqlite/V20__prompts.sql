-- Prompt registry: prompts, their immutable versions and the labels that deploy them.
CREATE TABLE prompts (
    id             TEXT PRIMARY KEY,
    project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    latest_version INTEGER NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (project_id, name)
);

CREATE TABLE prompt_versions (
    prompt_id      TEXT NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
    version        INTEGER NOT NULL,
    content        TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    commit_message TEXT NOT NULL,
    author         TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (prompt_id, version)
);

CREATE TABLE prompt_labels (
    prompt_id  TEXT NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (prompt_id, label)
);
