-- Trace search keeps its tsvector in a stored column instead of an expression index. With many
-- matches the trace list reads traces in list order and checks each one: recomputing the tsvector
-- cost ~11 µs a trace, reading it is cheap. With few matches it reads the GIN index first
-- (TraceSearch), which the planner did not do by itself for a rare word next to a common one
-- (6 s over 1M traces).
DROP INDEX traces_search;
ALTER TABLE traces ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', COALESCE(input, '') || ' ' || COALESCE(output, ''))) STORED;
CREATE INDEX traces_search ON traces USING gin (search);
