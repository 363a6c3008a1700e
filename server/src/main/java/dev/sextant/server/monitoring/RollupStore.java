package dev.sextant.server.monitoring;

import dev.sextant.server.traces.SpansOfTrace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** SQL of the hourly metric rollups (V88). */
final class RollupStore {
    static final long HOUR = 3_600_000L;

    /** See metric_rollup_state. */
    record State(long watermark, long rolledTo, Long minStart) {
    }

    /** A stored rollup row. */
    record Row(long hour, String dim, String promptName, Partial partial) {
    }

    private final Jdbi jdbi;

    RollupStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    List<String> projectIds() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM projects ORDER BY id").mapTo(String.class).list());
    }

    /** Whether any project has rollups (the job then resumes at start). */
    boolean inUse() {
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM metric_rollup_state LIMIT 1").mapTo(Integer.class)
                .findOne().isPresent());
    }

    Optional<State> state(String projectId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT watermark, rolled_to, min_start FROM metric_rollup_state "
                        + "WHERE project_id = :p").bind("p", projectId)
                .map((rs, ctx) -> new State(rs.getLong("watermark"), rs.getLong("rolled_to"),
                        rs.getObject("min_start") == null ? null : rs.getLong("min_start"))).findOne());
    }

    void saveState(String projectId, State state) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO metric_rollup_state (project_id, watermark, rolled_to, min_start) "
                        + "VALUES (:p, :w, :r, :m) ON CONFLICT (project_id) DO UPDATE SET watermark = excluded.watermark, "
                        + "rolled_to = excluded.rolled_to, min_start = excluded.min_start")
                .bind("p", projectId).bind("w", state.watermark()).bind("r", state.rolledTo())
                .bind("m", state.minStart()).execute());
    }

    Long minStart(String projectId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT MIN(start_time) FROM traces WHERE project_id = :p")
                .bind("p", projectId).mapTo(Long.class).findOne().orElse(null));
    }

    /**
     * Hours holding a span or the start of a trace written after the watermark (traces.updated_at).
     * Two steps, not a join: the traces are few, and a join plan depends on fresh table statistics.
     */
    TreeSet<Long> dirtyHours(String projectId, long watermark) {
        TreeSet<Long> hours = new TreeSet<>();
        jdbi.useHandle(h -> {
            List<String> traces = new ArrayList<>();
            h.createQuery("SELECT id, start_time FROM traces WHERE project_id = :p AND updated_at > :w")
                    .bind("p", projectId).bind("w", watermark).map((rs, ctx) -> {
                        traces.add(rs.getString("id"));
                        return hours.add(Math.floorDiv(rs.getLong("start_time"), HOUR) * HOUR);
                    }).list();
            for (int i = 0; i < traces.size(); i += 500) {
                h.createQuery("SELECT DISTINCT (sort_time / " + HOUR + ") * " + HOUR + " FROM spans WHERE "
                                + "project_id = :p AND " + SpansOfTrace.anyOf("spans", ":p", "<ids>"))
                        .bind("p", projectId)
                        .bindList("ids", traces.subList(i, Math.min(traces.size(), i + 500)))
                        .mapTo(Long.class).forEach(hours::add);
            }
        });
        return hours;
    }

    /** Per hour of [from, to): {traces starting in it, spans sorted in it}, from the raw tables. */
    Map<Long, long[]> rawCounts(String projectId, long from, long to) {
        Map<Long, long[]> counts = new HashMap<>();
        jdbi.useHandle(h -> {
            h.createQuery("SELECT (start_time / " + HOUR + ") * " + HOUR + " AS hour, COUNT(*) AS n FROM traces "
                            + "WHERE project_id = :p AND start_time >= :from AND start_time < :to GROUP BY 1")
                    .bind("p", projectId).bind("from", from).bind("to", to)
                    .map((rs, ctx) -> counts.computeIfAbsent(rs.getLong("hour"), k -> new long[2])[0] = rs.getLong("n"))
                    .list();
            h.createQuery("SELECT (sort_time / " + HOUR + ") * " + HOUR + " AS hour, COUNT(*) AS n FROM spans "
                            + "WHERE project_id = :p AND sort_time >= :from AND sort_time < :to GROUP BY 1")
                    .bind("p", projectId).bind("from", from).bind("to", to)
                    .map((rs, ctx) -> counts.computeIfAbsent(rs.getLong("hour"), k -> new long[2])[1] = rs.getLong("n"))
                    .list();
        });
        return counts;
    }

    /** The raw counts each rolled-up hour before {@code to} was computed from. */
    Map<Long, long[]> rolledCounts(String projectId, long to) {
        Map<Long, long[]> counts = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT hour, traces, spans FROM metric_rollup_hours WHERE project_id = :p "
                        + "AND hour < :to").bind("p", projectId).bind("to", to)
                .map((rs, ctx) -> counts.put(rs.getLong("hour"), new long[] {rs.getLong("traces"), rs.getLong("spans")}))
                .list());
        return counts;
    }

    /** Replaces the rollups of the hours [from, to) in one short transaction. */
    void replace(String projectId, long from, long to, Map<String, Map<SliceScans.Key, Partial>> byKind,
                 Map<Long, long[]> counts) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM metric_rollups WHERE project_id = :p AND hour >= :from AND hour < :to")
                    .bind("p", projectId).bind("from", from).bind("to", to).execute();
            h.createUpdate("DELETE FROM metric_rollup_hours WHERE project_id = :p AND hour >= :from AND hour < :to")
                    .bind("p", projectId).bind("from", from).bind("to", to).execute();
            PreparedBatch rows = h.prepareBatch("INSERT INTO metric_rollups (project_id, hour, kind, dim, prompt_name, "
                    + "model, n, traces, spans, errors, tokens, cost, latency) VALUES (:p, :hour, :kind, :dim, :prompt, "
                    + ":model, :n, "
                    + ":traces, :spans, :errors, :tokens, :cost, :latency)");
            byKind.forEach((kind, partials) -> partials.forEach((key, partial) -> rows.bind("p", projectId)
                    .bind("hour", key.bucket()).bind("kind", kind).bind("dim", key.group())
                    .bind("prompt", key.promptName()).bind("model", key.model()).bind("n", partial.rows).bind("traces", partial.traces)
                    .bind("spans", partial.spans).bind("errors", partial.errors).bind("tokens", partial.tokens)
                    .bind("cost", partial.cost).bind("latency", partial.latency.encode()).add()));
            if (rows.size() > 0) {
                rows.execute();
            }
            PreparedBatch hours = h.prepareBatch("INSERT INTO metric_rollup_hours (project_id, hour, traces, spans) "
                    + "VALUES (:p, :hour, :traces, :spans)");
            counts.forEach((hour, n) -> hours.bind("p", projectId).bind("hour", hour).bind("traces", n[0])
                    .bind("spans", n[1]).add());
            if (hours.size() > 0) {
                hours.execute();
            }
        });
    }

    /** Streams the rollup rows of a kind over the hours [from, to), optionally of one group, prompt or model. */
    void read(String projectId, Slice.RollupRead read, long from, long to, Consumer<Row> rows) {
        jdbi.useHandle(h -> h.createQuery("SELECT hour, dim, prompt_name, n, traces, spans, errors, tokens, cost, latency "
                        + "FROM metric_rollups WHERE project_id = :p AND kind = :kind AND hour >= :from AND hour < :to"
                        + (read.dim() == null ? "" : " AND dim = :dim")
                        + (read.promptName() == null ? "" : " AND prompt_name = :prompt")
                        + (read.model() == null ? "" : " AND model = :model"))
                .bind("p", projectId).bind("kind", read.kind()).bind("from", from).bind("to", to)
                .bind("dim", read.dim()).bind("prompt", read.promptName()).bind("model", read.model())
                .map((rs, ctx) -> {
                    Partial p = new Partial();
                    p.rows = rs.getLong("n");
                    p.traces = rs.getLong("traces");
                    p.spans = rs.getLong("spans");
                    p.errors = rs.getLong("errors");
                    p.tokens = rs.getLong("tokens");
                    p.cost = rs.getDouble("cost");
                    p.latency.mergeEncoded(rs.getBytes("latency"));
                    return new Row(rs.getLong("hour"), rs.getString("dim"), rs.getString("prompt_name"), p);
                }).forEach(rows));
    }
}
