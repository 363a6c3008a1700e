package dev.sextant.server.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.sextant.server.http.Json;
import dev.sextant.server.traces.SpansOfTrace;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** SQL of online evaluation: rules, the evaluations they picked, and the reads of new traces and spans. */
final class OnlineEvalStore {
    private static final String RULE_COLUMNS = "id, project_id, name, evaluator_name, target, filter, sampling_rate, "
            + "daily_budget, paused, created_at, updated_at";

    private final Jdbi jdbi;

    OnlineEvalStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    record Owned(String projectId, OnlineRule rule) {
    }

    void insert(Handle h, String projectId, OnlineRule r, long watermark) {
        h.createUpdate("INSERT INTO online_rules (" + RULE_COLUMNS + ", watermark) VALUES (:id, :p, :name, :ev, "
                        + ":target, :filter, :rate, :budget, :paused, :created, :updated, :wm)")
                .bind("id", r.id()).bind("p", projectId).bind("name", r.name()).bind("ev", r.evaluatorName())
                .bind("target", r.target()).bind("filter", json(r.filter())).bind("rate", r.samplingRate())
                .bind("budget", r.dailyBudget()).bind("paused", r.paused()).bind("created", r.createdAt())
                .bind("updated", r.updatedAt()).bind("wm", watermark).execute();
    }

    void update(Handle h, String projectId, OnlineRule r) {
        h.createUpdate("UPDATE online_rules SET evaluator_name = :ev, target = :target, filter = :filter, "
                        + "sampling_rate = :rate, daily_budget = :budget, paused = :paused, updated_at = :updated "
                        + "WHERE project_id = :p AND id = :id")
                .bind("id", r.id()).bind("p", projectId).bind("ev", r.evaluatorName()).bind("target", r.target())
                .bind("filter", json(r.filter())).bind("rate", r.samplingRate()).bind("budget", r.dailyBudget())
                .bind("paused", r.paused()).bind("updated", r.updatedAt()).execute();
    }

    boolean delete(Handle h, String projectId, String id) {
        return h.createUpdate("DELETE FROM online_rules WHERE project_id = :p AND id = :id")
                .bind("p", projectId).bind("id", id).execute() > 0;
    }

    List<OnlineRule> rules(String projectId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RULE_COLUMNS + " FROM online_rules WHERE project_id = :p "
                + "ORDER BY name").bind("p", projectId).map((rs, ctx) -> rule(rs)).list());
    }

    Optional<OnlineRule> rule(Handle h, String projectId, String idOrName) {
        return h.createQuery("SELECT " + RULE_COLUMNS + " FROM online_rules WHERE project_id = :p "
                        + "AND (id = :id OR name = :id)")
                .bind("p", projectId).bind("id", idOrName).map((rs, ctx) -> rule(rs)).findFirst();
    }

    Optional<Owned> ruleById(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RULE_COLUMNS + " FROM online_rules WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> new Owned(rs.getString("project_id"), rule(rs))).findOne());
    }

    /** Active rules of every project with their watermark. */
    List<Owned> activeRules() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RULE_COLUMNS + " FROM online_rules WHERE paused = :f "
                        + "ORDER BY id").bind("f", false)
                .map((rs, ctx) -> new Owned(rs.getString("project_id"), rule(rs))).list());
    }

    long watermark(Handle h, String ruleId) {
        return h.createQuery("SELECT watermark FROM online_rules WHERE id = :id").bind("id", ruleId)
                .mapTo(Long.class).one();
    }

    void setWatermark(Handle h, String ruleId, long watermark) {
        h.createUpdate("UPDATE online_rules SET watermark = :wm WHERE id = :id").bind("id", ruleId)
                .bind("wm", watermark).execute();
    }

    /** A trace seen by a scan: its write time and what filters read. */
    record TraceRow(String id, long updatedAt, List<String> tags, Map<String, Object> metadata) {
    }

    List<TraceRow> tracesUpdated(Handle h, String projectId, long after, long upTo, int limit) {
        return h.createQuery("SELECT id, updated_at, tags, metadata FROM traces WHERE project_id = :p "
                        + "AND updated_at > :after AND updated_at <= :upTo ORDER BY updated_at, id LIMIT :limit")
                .bind("p", projectId).bind("after", after).bind("upTo", upTo).bind("limit", limit)
                .map((rs, ctx) -> traceRow(rs)).list();
    }

    List<TraceRow> tracesStarted(Handle h, String projectId, Instant from, Instant to, String afterId,
                                 long afterStart, int limit) {
        return h.createQuery("SELECT id, start_time, tags, metadata FROM traces WHERE project_id = :p "
                        + "AND start_time >= :from AND start_time < :to AND (start_time > :s OR (start_time = :s "
                        + "AND id > :id)) ORDER BY start_time, id LIMIT :limit")
                .bind("p", projectId).bind("from", from).bind("to", to).bind("s", afterStart)
                .bind("id", afterId).bind("limit", limit)
                .map((rs, ctx) -> traceRow(rs)).list();
    }

    record SpanRow(String id, String traceId, RuleFilter.SpanFacts facts) {
    }

    List<SpanRow> spansOf(Handle h, String projectId, List<String> traceIds) {
        if (traceIds.isEmpty()) {
            return List.of();
        }
        return h.createQuery("SELECT id, trace_id, kind, name, model, prompt_name, prompt_version FROM spans "
                        + "WHERE project_id = :p AND " + SpansOfTrace.anyOf("spans", ":p", "<ids>"))
                .bind("p", projectId).bindList("ids", traceIds)
                .map((rs, ctx) -> {
                    int version = rs.getInt("prompt_version");
                    return new SpanRow(rs.getString("id"), rs.getString("trace_id"), new RuleFilter.SpanFacts(
                            rs.getString("kind"), rs.getString("name"), rs.getString("model"),
                            rs.getString("prompt_name"), rs.wasNull() ? null : version));
                }).list();
    }

    /** Claims a target for a rule; false when it was picked before (scans are idempotent). */
    boolean claim(Handle h, String projectId, String ruleId, String targetId, Instant now) {
        return h.createUpdate("INSERT INTO online_evaluations (rule_id, target_id, project_id, status, created_at, "
                        + "updated_at) VALUES (:r, :t, :p, 'queued', :now, :now) ON CONFLICT DO NOTHING")
                .bind("r", ruleId).bind("t", targetId).bind("p", projectId).bind("now", now).execute() > 0;
    }

    void finish(String ruleId, String targetId, String status, String scoreId, Double cost, String detail,
                Instant now) {
        jdbi.useHandle(h -> finish(h, ruleId, targetId, status, scoreId, cost, detail, now));
    }

    void finish(Handle h, String ruleId, String targetId, String status, String scoreId, Double cost, String detail,
                Instant now) {
        h.createUpdate("UPDATE online_evaluations SET status = :s, score_id = :score, cost = :cost, "
                        + "detail = :detail, updated_at = :now WHERE rule_id = :r AND target_id = :t")
                .bind("s", status).bind("score", scoreId).bind("cost", cost).bind("detail", detail)
                .bind("now", now).bind("r", ruleId).bind("t", targetId).execute();
    }

    double spentSince(String ruleId, Instant since) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(cost), 0) FROM online_evaluations "
                        + "WHERE rule_id = :r AND updated_at >= :since AND cost IS NOT NULL")
                .bind("r", ruleId).bind("since", since).mapTo(Double.class).one());
    }

    Map<String, Long> statusCounts(String ruleId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT status, COUNT(*) FROM online_evaluations WHERE rule_id = :r "
                        + "GROUP BY status ORDER BY status").bind("r", ruleId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> counts.put(e.getKey(),
                        e.getValue())));
        return counts;
    }

    /** What an evaluator reads about one span or trace. */
    record TargetData(String input, String output, String metadata, Long latencyMs, Double cost, Long tokens,
                      String status) {
    }

    Optional<TargetData> span(String projectId, String traceId, String spanId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT s.input, s.output, t.metadata, s.start_time, s.end_time, "
                        + "s.cost, s.input_tokens, s.output_tokens, s.status FROM traces t JOIN spans s "
                        + "ON s.trace_seq = t.seq WHERE t.project_id = :p AND t.id = :t AND s.id = :id")
                .bind("p", projectId).bind("t", traceId).bind("id", spanId)
                .map((rs, ctx) -> {
                    long start = rs.getLong("start_time");
                    boolean noStart = rs.wasNull();
                    long end = rs.getLong("end_time");
                    Long latency = noStart || rs.wasNull() ? null : end - start;
                    double cost = rs.getDouble("cost");
                    Double costOrNull = rs.wasNull() ? null : cost;
                    long tokens = rs.getLong("input_tokens") + rs.getLong("output_tokens");
                    return new TargetData(rs.getString("input"), rs.getString("output"), rs.getString("metadata"),
                            latency, costOrNull, tokens, rs.getString("status"));
                }).findOne());
    }

    Optional<TargetData> trace(String projectId, String traceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT input, output, metadata, latency_ms, cost, total_tokens, "
                        + "status FROM traces WHERE project_id = :p AND id = :id")
                .bind("p", projectId).bind("id", traceId)
                .map((rs, ctx) -> new TargetData(rs.getString("input"), rs.getString("output"),
                        rs.getString("metadata"), rs.getLong("latency_ms"), rs.getDouble("cost"),
                        rs.getLong("total_tokens"), rs.getString("status"))).findOne());
    }

    private static TraceRow traceRow(ResultSet rs) throws SQLException {
        return new TraceRow(rs.getString(1), rs.getLong(2), parse(rs.getString(3), new TypeReference<List<String>>() {
        }, new ArrayList<>()), parse(rs.getString(4), new TypeReference<Map<String, Object>>() {
        }, new HashMap<>()));
    }

    static <T> T parse(String json, TypeReference<T> type, T fallback) {
        if (json == null || json.isBlank()) {
            return fallback;
        }
        try {
            T value = Json.mapper().readValue(json, type);
            return value == null ? fallback : value;
        } catch (JsonProcessingException e) {
            return fallback;
        }
    }

    private static OnlineRule rule(ResultSet rs) throws SQLException {
        double budget = rs.getDouble("daily_budget");
        Double budgetOrNull = rs.wasNull() ? null : budget;
        return new OnlineRule(rs.getString("id"), rs.getString("name"), rs.getString("evaluator_name"),
                rs.getString("target"), parse(rs.getString("filter"), new TypeReference<RuleFilter>() {
                }, RuleFilter.ANY), rs.getDouble("sampling_rate"), budgetOrNull, rs.getBoolean("paused"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
