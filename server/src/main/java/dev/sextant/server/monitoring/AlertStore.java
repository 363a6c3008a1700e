package dev.sextant.server.monitoring;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** SQL for alert rules and their history. */
final class AlertStore {
    private static final String COLUMNS = "id, name, metric, evaluator_name, comparison, threshold, window_minutes, "
            + "webhook_url, firing, last_value, last_checked, created_at";

    private final Jdbi jdbi;

    AlertStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    record Owned(String projectId, AlertRule rule, String sealedSecret) {
    }

    void insert(Handle h, String projectId, AlertRule r, String sealedSecret) {
        h.createUpdate("INSERT INTO alert_rules (project_id, " + COLUMNS + ", secret) VALUES (:p, :id, :name, :metric, "
                        + ":ev, :cmp, :threshold, :window, :url, :firing, NULL, NULL, :created, :secret)")
                .bind("p", projectId).bind("id", r.id()).bind("name", r.name()).bind("metric", r.metric().id())
                .bind("ev", r.evaluator()).bind("cmp", r.comparison()).bind("threshold", r.threshold())
                .bind("window", r.windowMinutes()).bind("url", r.webhookUrl()).bind("firing", false)
                .bind("created", r.createdAt()).bind("secret", sealedSecret).execute();
    }

    List<AlertRule> rules(String projectId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM alert_rules WHERE project_id = :p "
                + "ORDER BY name").bind("p", projectId).map((rs, ctx) -> rule(rs)).list());
    }

    Optional<AlertRule> rule(Handle h, String projectId, String idOrName) {
        return h.createQuery("SELECT " + COLUMNS + " FROM alert_rules WHERE project_id = :p AND (id = :id OR name = :id)")
                .bind("p", projectId).bind("id", idOrName).map((rs, ctx) -> rule(rs)).findFirst();
    }

    List<Owned> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT project_id, secret, " + COLUMNS + " FROM alert_rules ORDER BY id")
                .map((rs, ctx) -> new Owned(rs.getString("project_id"), rule(rs), rs.getString("secret"))).list());
    }

    boolean any() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM alert_rules").mapTo(Long.class).one()) > 0;
    }

    boolean delete(Handle h, String projectId, String id) {
        return h.createUpdate("DELETE FROM alert_rules WHERE project_id = :p AND id = :id").bind("p", projectId)
                .bind("id", id).execute() > 0;
    }

    void checked(String id, boolean firing, Double value, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE alert_rules SET firing = :f, last_value = :v, last_checked = :at "
                + "WHERE id = :id").bind("f", firing).bind("v", value).bind("at", at).bind("id", id).execute());
    }

    void event(String projectId, AlertEvent e) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO alert_events (id, rule_id, project_id, state, value, delivery, "
                        + "created_at) VALUES (:id, :r, :p, :s, :v, :d, :at)")
                .bind("id", e.id()).bind("r", e.ruleId()).bind("p", projectId).bind("s", e.state())
                .bind("v", e.value()).bind("d", e.delivery()).bind("at", e.createdAt()).execute());
    }

    List<AlertEvent> events(String projectId, String ruleId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, rule_id, state, value, delivery, created_at FROM alert_events "
                        + "WHERE project_id = :p" + (ruleId == null ? "" : " AND rule_id = :r")
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("p", projectId).bind("r", ruleId).bind("limit", limit)
                .map((rs, ctx) -> {
                    double v = rs.getDouble("value");
                    Double value = rs.wasNull() ? null : v;
                    return new AlertEvent(rs.getString("id"), rs.getString("rule_id"), rs.getString("state"), value,
                            rs.getString("delivery"), Instant.ofEpochMilli(rs.getLong("created_at")));
                }).list());
    }

    private static AlertRule rule(ResultSet rs) throws SQLException {
        double last = rs.getDouble("last_value");
        Double lastValue = rs.wasNull() ? null : last;
        long checked = rs.getLong("last_checked");
        Instant lastChecked = rs.wasNull() ? null : Instant.ofEpochMilli(checked);
        return new AlertRule(rs.getString("id"), rs.getString("name"), Metric.parse(rs.getString("metric")),
                rs.getString("evaluator_name"), rs.getString("comparison"), rs.getDouble("threshold"),
                rs.getInt("window_minutes"), rs.getString("webhook_url"), rs.getBoolean("firing"), lastValue,
                lastChecked, Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
