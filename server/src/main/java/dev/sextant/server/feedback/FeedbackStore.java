package dev.sextant.server.feedback;

import dev.sextant.server.traces.SpansOfTrace;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** SQL for feedback, and the reads of the span tables that resolve what feedback is about. */
final class FeedbackStore {
    private static final String COLUMNS = "id, trace_id, span_id, kind, vote, rating, scale, action, text, diff, "
            + "delay_seconds, present, fraction_kept, end_user_id, prompt_name, prompt_version, model, created_at";

    private final Jdbi jdbi;

    FeedbackStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What feedback targets: its trace, the output to diff against, and the prompt and model behind it. */
    record Target(String traceId, String spanId, String output, String promptName, Integer promptVersion,
                  String model) {
    }

    Optional<Target> span(Handle h, String projectId, String traceId, String spanId) {
        return h.createQuery("SELECT trace_id, output, prompt_name, prompt_version, model FROM spans "
                        + "WHERE project_id = :p AND " + SpansOfTrace.one("spans", ":p", ":t") + " AND id = :id")
                .bind("p", projectId).bind("t", traceId).bind("id", spanId)
                .map((rs, ctx) -> new Target(rs.getString(1), spanId, rs.getString(2), rs.getString(3),
                        integer(rs, "prompt_version"), rs.getString(5)))
                .findOne();
    }

    /** The trace's output, with the prompt and model of its first LLM span that has them. */
    Optional<Target> trace(Handle h, String projectId, String traceId) {
        // Optional.of, not a mapped null: a trace without an output still exists.
        Optional<Optional<String>> output = h.createQuery("SELECT output FROM traces WHERE project_id = :p AND id = :id")
                .bind("p", projectId).bind("id", traceId).map((rs, ctx) -> Optional.ofNullable(rs.getString(1)))
                .findOne();
        if (output.isEmpty()) {
            return Optional.empty();
        }
        Optional<Target> llm = h.createQuery("SELECT prompt_name, prompt_version, model FROM spans "
                        + "WHERE project_id = :p AND " + SpansOfTrace.one("spans", ":p", ":t")
                        + " AND (model IS NOT NULL OR prompt_name IS NOT NULL) "
                        + "ORDER BY CASE WHEN prompt_name IS NULL THEN 1 ELSE 0 END, sort_time LIMIT 1")
                .bind("p", projectId).bind("t", traceId)
                .map((rs, ctx) -> new Target(traceId, null, output.get().orElse(null), rs.getString(1),
                        integer(rs, "prompt_version"), rs.getString(3)))
                .findOne();
        return Optional.of(llm.orElse(new Target(traceId, null, output.get().orElse(null), null, null, null)));
    }

    void insert(Handle h, String projectId, Feedback f) {
        h.createUpdate("INSERT INTO feedback (project_id, " + COLUMNS + ") VALUES (:p, :id, :traceId, :spanId, "
                        + ":kind, :vote, :rating, :scale, :action, :text, :diff, :delaySeconds, :present, "
                        + ":fractionKept, :endUserId, :promptName, :promptVersion, :model, :createdAt)")
                .bind("p", projectId).bind("id", f.id()).bind("traceId", f.traceId()).bind("spanId", f.spanId())
                .bind("kind", f.kind().id()).bind("vote", f.vote()).bind("rating", f.rating())
                .bind("scale", f.scale()).bind("action", f.action()).bind("text", f.text()).bind("diff", f.diff())
                .bind("delaySeconds", f.delaySeconds()).bind("present", f.present())
                .bind("fractionKept", f.fractionKept()).bind("endUserId", f.endUserId())
                .bind("promptName", f.promptName()).bind("promptVersion", f.promptVersion())
                .bind("model", f.model()).bind("createdAt", f.createdAt())
                .execute();
    }

    List<Feedback> forTrace(String projectId, String traceId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM feedback "
                        + "WHERE project_id = :p AND trace_id = :t ORDER BY id LIMIT :limit")
                .bind("p", projectId).bind("t", traceId).bind("limit", limit)
                .map((rs, ctx) -> map(rs)).list());
    }

    /** Feedback in a time range, optionally of one prompt; the summary is computed in memory per group. */
    List<Feedback> inRange(String projectId, String promptName, Instant from, Instant to) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM feedback WHERE project_id = :p "
                        + "AND created_at >= :from AND created_at < :to"
                        + (promptName == null ? "" : " AND prompt_name = :prompt"))
                .bind("p", projectId).bind("from", from).bind("to", to).bind("prompt", promptName)
                .map((rs, ctx) -> map(rs)).list());
    }

    /** Distinct traces served per prompt version or model in a range: the denominator of action rates. */
    List<Exposure> exposures(String projectId, boolean byModel, String promptName, Instant from, Instant to) {
        String key = byModel ? "model, NULL" : "prompt_name, prompt_version";
        String groupBy = byModel ? "model" : "prompt_name, prompt_version";
        return jdbi.withHandle(h -> h.createQuery("SELECT " + key + ", COUNT(DISTINCT trace_id) FROM spans "
                        + "WHERE project_id = :p AND sort_time >= :from AND sort_time < :to AND "
                        + (byModel ? "model IS NOT NULL" : "prompt_name IS NOT NULL")
                        + (promptName == null ? "" : " AND prompt_name = :prompt") + " GROUP BY " + groupBy)
                .bind("p", projectId).bind("from", from).bind("to", to).bind("prompt", promptName)
                .map((rs, ctx) -> new Exposure(rs.getString(1), integer(rs, 2),
                        rs.getLong(3)))
                .list());
    }

    record Exposure(String name, Integer version, long traces) {
    }

    private static Feedback map(ResultSet rs) throws SQLException {
        return new Feedback(rs.getString("id"), rs.getString("trace_id"), rs.getString("span_id"),
                FeedbackKind.parse(rs.getString("kind")).orElseThrow(), integer(rs, "vote"),
                decimal(rs, "rating"), decimal(rs, "scale"), rs.getString("action"),
                rs.getString("text"), rs.getString("diff"), integer(rs, "delay_seconds"),
                present(rs),
                decimal(rs, "fraction_kept"), rs.getString("end_user_id"),
                rs.getString("prompt_name"), integer(rs, "prompt_version"), rs.getString("model"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    static Integer integer(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    static Double decimal(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static Boolean present(ResultSet rs) throws SQLException {
        boolean value = rs.getBoolean("present");
        return rs.wasNull() ? null : value;
    }
}
