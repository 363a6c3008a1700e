-- PostgreSQL only (a stored tsvector column for trace search); SQLite's FTS5 index is unchanged.
SELECT 1;
