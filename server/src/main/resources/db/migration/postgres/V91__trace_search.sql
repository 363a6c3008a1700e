-- Full-text search over trace input and output (the trace list's q): words, any case, prefix
-- match. SQLite keeps an FTS5 index written off the ingestion path; here a GIN index does it.
CREATE INDEX traces_search ON traces
    USING gin (to_tsvector('simple', COALESCE(input, '') || ' ' || COALESCE(output, '')));
