-- Datasets and their items. Versions are cheap: an item revision is one row valid for the
-- versions [valid_from, valid_to); valid_to NULL means "still current". A change only ever
-- inserts rows and closes current ones, so the items of an old version never change.
CREATE TABLE datasets (
    id             TEXT PRIMARY KEY,
    project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    latest_version INTEGER NOT NULL,
    item_count     INTEGER NOT NULL DEFAULT 0,
    created_by     TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (project_id, name)
);

CREATE TABLE dataset_versions (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    change     TEXT NOT NULL,
    note       TEXT NOT NULL,
    added      INTEGER NOT NULL,
    edited     INTEGER NOT NULL,
    deleted    INTEGER NOT NULL,
    item_count INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (dataset_id, version)
);

CREATE TABLE dataset_items (
    row_id          TEXT PRIMARY KEY,
    dataset_id      TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    item_id         TEXT NOT NULL,
    valid_from      INTEGER NOT NULL,
    valid_to        INTEGER,
    input           TEXT NOT NULL,
    messages        TEXT,
    expected_output TEXT,
    metadata        TEXT NOT NULL,
    source_trace_id TEXT,
    source_span_id  TEXT,
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX dataset_items_by_item ON dataset_items(dataset_id, item_id, valid_from);
CREATE INDEX dataset_items_current ON dataset_items(dataset_id, valid_to, item_id);
