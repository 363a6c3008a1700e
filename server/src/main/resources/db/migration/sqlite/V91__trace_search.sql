-- Full-text search over trace input and output (the trace list's q). The index is contentless (it
-- keeps only which tokens each traces rowid has) and is written off the ingestion path: the trace
-- writer indexes new traces (rowid above indexed_rowid) and updated ones (which it lists in
-- traces_search_changed; an update trigger cost 8 % of ingestion) when it has spare time, so
-- search never slows ingestion; traces not indexed yet are matched by LIKE. The rowid link means the database must not be VACUUMed (it may renumber rowids); see docs/traces.md.
CREATE VIRTUAL TABLE traces_search USING fts5(input, output, content = '', contentless_delete = 1,
    detail = none, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE traces_search_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_rowid INTEGER NOT NULL
);
INSERT INTO traces_search_state (id, indexed_rowid) VALUES (1, 0);
CREATE TABLE traces_search_changed (trace_rowid INTEGER PRIMARY KEY);
CREATE TRIGGER traces_search_gone AFTER DELETE ON traces BEGIN
    DELETE FROM traces_search WHERE rowid = old.rowid;
    DELETE FROM traces_search_changed WHERE trace_rowid = old.rowid;
END;
-- Deleting the newest trace lets the next insert reuse its rowid, which must then be indexed anew.
CREATE TRIGGER traces_search_newest_gone AFTER DELETE ON traces
    WHEN old.rowid > COALESCE((SELECT MAX(rowid) FROM traces), 0) BEGIN
    UPDATE traces_search_state SET indexed_rowid = MIN(indexed_rowid, COALESCE((SELECT MAX(rowid) FROM traces), 0));
END;
