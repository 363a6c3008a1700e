package dev.sextant.server.traces;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * The trace list's text search ({@code q}): a trace matches when every word of the query is a word
 * of its input or output, in any case (accents ignored on SQLite); a word ending in {@code *} is a
 * prefix. Whole words by default: a prefix of a common word makes SQLite merge the lists of every
 * word it starts (120 ms over 1M traces, against under a millisecond). PostgreSQL keeps each
 * trace's tsvector in a GIN-indexed column (V93). SQLite keeps an FTS5 index (V91) that the trace
 * writer fills when it has spare time ({@link #indexPending}): a trace not indexed yet (new, or
 * changed since) is matched by substring.
 */
final class TraceSearch {
    /** Words as FTS5's unicode61 tokenizer sees them (runs of letters and digits), maybe with a {@code *}. */
    private static final Pattern WORD = Pattern.compile("([\\p{L}\\p{N}]+)(\\*?)");
    private static final int MAX_WORDS = 16;
    /**
     * With at most this many indexed matches (any project), the trace list reads just those;
     * with more, it reads traces in list order and checks each, since a page fills quickly.
     */
    static final int SPARSE_MATCHES = 5_000;
    /** Traces indexed per writer turn: about 8 ms, the longest a span batch waits for it. */
    static final int INDEX_CHUNK = 256;

    private record Word(String text, boolean prefix) {
    }

    private final String raw;
    private final List<Word> words;

    private TraceSearch(String raw, List<Word> words) {
        this.raw = raw;
        this.words = words;
    }

    static TraceSearch of(String q) {
        List<Word> words = new ArrayList<>();
        Matcher m = WORD.matcher(q);
        while (m.find() && words.size() < MAX_WORDS) {
            words.add(new Word(m.group(1).toLowerCase(Locale.ROOT), !m.group(2).isEmpty()));
        }
        return new TraceSearch(q, List.copyOf(words));
    }

    String raw() {
        return raw;
    }

    /** False for a query without letters or digits, which is matched as a plain substring. */
    boolean hasWords() {
        return !words.isEmpty();
    }

    /** The FTS5 query: each word quoted, all required. */
    String ftsQuery() {
        return String.join(" AND ", words.stream()
                .map(w -> "\"" + w.text() + "\"" + (w.prefix() ? "*" : "")).toList());
    }

    /** The PostgreSQL tsquery: all words required (they hold no operators). */
    String tsQuery() {
        return String.join(" & ", words.stream().map(w -> w.text() + (w.prefix() ? ":*" : "")).toList());
    }

    /** Whether the SQLite FTS5 index holds more than {@link #SPARSE_MATCHES} matches (any project). */
    boolean dense(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM (SELECT rowid FROM traces_search WHERE traces_search MATCH :fts "
                        + "LIMIT " + (SPARSE_MATCHES + 1) + ")")
                .bind("fts", ftsQuery()).mapTo(Integer.class).one() > SPARSE_MATCHES;
    }

    /**
     * Whether the project may have more than {@link #SPARSE_MATCHES} matching traces (PostgreSQL),
     * counted by the {@link #narrowingTsQuery}.
     */
    boolean densePostgres(Handle h, String projectId) {
        return h.createQuery("SELECT COUNT(*) FROM (SELECT 1 FROM traces t WHERE t.project_id = :p AND "
                        + "t.search @@ to_tsquery('simple', :narrowing) LIMIT " + (SPARSE_MATCHES + 1) + ") c")
                .bind("p", projectId).bind("narrowing", narrowingTsQuery()).mapTo(Integer.class).one()
                > SPARSE_MATCHES;
    }

    /**
     * The words that pick the candidates from the GIN index: the whole words, since a prefix makes
     * the index read the posting list of every word it starts (62 ms for a prefix of a word in
     * each of 1M traces); all words when every one is a prefix (reading 1M traces in list order
     * for a rare prefix took 0.5 s).
     */
    private String narrowingTsQuery() {
        String whole = String.join(" & ", words.stream().filter(w -> !w.prefix()).map(Word::text).toList());
        return whole.isEmpty() ? tsQuery() : whole;
    }

    /**
     * PostgreSQL, few matches: the FROM clause that reads the candidates ({@link #narrowingTsQuery})
     * from the GIN index first ({@code OFFSET 0} keeps the planner from folding it into a scan in list
     * order); {@link #postgresCheck} then checks every word on those few.
     */
    String sparseFromPostgres(Map<String, Object> args) {
        args.put("narrowing", narrowingTsQuery());
        return "(SELECT seq FROM traces t WHERE t.project_id = :p AND t.search @@ to_tsquery('simple', :narrowing) "
                + "OFFSET 0) c JOIN traces t ON t.seq = c.seq";
    }

    /** SQLite: traces not in the index yet (new ones above the indexed rowid, or changed since). */
    private static final String PENDING = "(t.rowid > (SELECT indexed_rowid FROM traces_search_state) "
            + "OR EXISTS (SELECT 1 FROM traces_search_changed WHERE trace_rowid = t.rowid))";

    /**
     * SQLite, few matches: the FROM clause that reads only the indexed matches and the pending
     * traces (as {@code t}); the WHERE condition {@link #sparseMatch} then checks the pending ones.
     */
    static String sparseFrom() {
        return "(SELECT rowid AS r FROM traces_search WHERE traces_search MATCH :fts "
                + "UNION SELECT trace_rowid FROM traces_search_changed "
                + "UNION SELECT rowid FROM traces WHERE rowid > (SELECT indexed_rowid FROM traces_search_state)) c "
                + "CROSS JOIN traces t ON t.rowid = c.r";
    }

    /** SQLite, with {@link #sparseFrom}: an indexed trace matched already; a pending one needs every word. */
    String sparseMatch(Map<String, Object> args) {
        return "(NOT " + PENDING + " OR " + substrings("t", "LIKE", args) + ")";
    }

    /**
     * SQLite, many matches: the per-trace check while reading in list order. A prefix query is
     * answered once for all traces (230 ms for a prefix of a word in each of 1M traces): asked
     * trace by trace, it would merge the lists of the words it starts every time (6 s).
     */
    String denseMatch(Map<String, Object> args) {
        String indexed = words.stream().anyMatch(Word::prefix)
                ? "t.rowid IN (SELECT rowid FROM traces_search WHERE traces_search MATCH :fts)"
                : "EXISTS (SELECT 1 FROM traces_search WHERE traces_search MATCH :fts AND rowid = t.rowid)";
        return "(CASE WHEN " + PENDING + " THEN " + substrings("t", "LIKE", args) + " ELSE " + indexed + " END)";
    }

    /** PostgreSQL, many matches: the condition on the stored tsvector (V93), checked trace by trace in list order. */
    static String postgresMatch() {
        return "t.search @@ to_tsquery('simple', :tsq)";
    }

    /**
     * PostgreSQL, with {@link #sparseFromPostgres}: the same condition as the function behind
     * {@code @@}, which the planner cannot answer from the index: it checks the few rows read
     * instead of scanning the posting lists of a prefix again (28 ms for {@code customer*}).
     */
    static String postgresCheck() {
        return "ts_match_vq(t.search, to_tsquery('simple', :tsq))";
    }

    /** Every word somewhere in the input or output. */
    private String substrings(String alias, String like, Map<String, Object> args) {
        List<String> each = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String name = "qw" + i;
            args.put(name, "%" + TraceStore.escapeLike(words.get(i).text()) + "%");
            each.add("(" + alias + ".input " + like + " :" + name + " ESCAPE '!' OR " + alias + ".output " + like
                    + " :" + name + " ESCAPE '!')");
        }
        return "(" + String.join(" AND ", each) + ")";
    }

    /**
     * Indexes up to {@link #INDEX_CHUNK} pending traces (SQLite) inside the caller's transaction:
     * changed ones first, then new ones in rowid order. Returns how many; fewer than a chunk means
     * none are left.
     */
    static int indexPending(Handle h) {
        List<Map<String, Object>> changed = h.createQuery("SELECT c.trace_rowid AS r, t.input AS input, "
                        + "t.output AS output FROM traces_search_changed c JOIN traces t ON t.rowid = c.trace_rowid "
                        + "ORDER BY c.trace_rowid LIMIT " + INDEX_CHUNK)
                .mapToMap().list();
        if (!changed.isEmpty()) {
            index(h, changed);
            var done = h.prepareBatch("DELETE FROM traces_search_changed WHERE trace_rowid = :r");
            changed.forEach(row -> done.bind("r", row.get("r")).add());
            done.execute();
            return changed.size();
        }
        List<Map<String, Object>> fresh = h.createQuery("SELECT rowid AS r, input, output FROM traces "
                        + "WHERE rowid > (SELECT indexed_rowid FROM traces_search_state) ORDER BY rowid LIMIT "
                        + INDEX_CHUNK)
                .mapToMap().list();
        if (!fresh.isEmpty()) {
            index(h, fresh);
            h.createUpdate("UPDATE traces_search_state SET indexed_rowid = :r").bind("r", fresh.getLast().get("r"))
                    .execute();
        }
        return fresh.size();
    }

    /**
     * SQLite: lists traces that this batch updated (their input or output may have changed) and
     * that were indexed already, for {@link #indexPending} to index again.
     */
    static void markChanged(Connection connection, List<Long> traceSeqs) throws SQLException {
        try (PreparedStatement mark = connection.prepareStatement("INSERT OR IGNORE INTO traces_search_changed "
                + "(trace_rowid) SELECT ? WHERE ? <= (SELECT indexed_rowid FROM traces_search_state)")) {
            for (Long seq : traceSeqs) {
                mark.setLong(1, seq);
                mark.setLong(2, seq);
                mark.addBatch();
            }
            mark.executeBatch();
        }
    }

    private static void index(Handle h, List<Map<String, Object>> rows) {
        var index = h.prepareBatch("INSERT OR REPLACE INTO traces_search (rowid, input, output) "
                + "VALUES (:r, :input, :output)");
        rows.forEach(row -> index.bindMap(row).add());
        index.execute();
    }
}
