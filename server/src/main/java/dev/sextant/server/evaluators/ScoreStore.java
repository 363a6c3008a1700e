package dev.sextant.server.evaluators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for scores; the value is stored as a JSON scalar. */
final class ScoreStore {
    private final Jdbi jdbi;

    ScoreStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void insert(Handle h, String projectId, Score s) {
        h.createUpdate("INSERT INTO scores (id, project_id, target_type, target_id, evaluator_name, evaluator_version, "
                        + "value, passed, reason, error, source, author, cost, created_at) VALUES (:id, :p, :tt, :tid, "
                        + ":name, :version, :value, :passed, :reason, :error, :source, :author, :cost, :at)")
                .bind("id", s.id()).bind("p", projectId).bind("tt", s.targetType().id()).bind("tid", s.targetId())
                .bind("name", s.evaluatorName()).bind("version", s.evaluatorVersion())
                .bind("value", s.value() == null ? null : Json.write(s.value()))
                .bind("passed", s.passed()).bind("reason", s.reason()).bind("error", s.error())
                .bind("source", s.source().id()).bind("author", s.author()).bind("cost", s.cost())
                .bind("at", s.createdAt())
                .execute();
    }

    /** Oldest first, so a target's history reads top to bottom. */
    List<Score> forTarget(String projectId, TargetType type, String targetId, String evaluatorName, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM scores WHERE project_id = :p AND target_type = :tt "
                        + "AND target_id = :tid" + (evaluatorName == null ? "" : " AND evaluator_name = :name")
                        + " ORDER BY id LIMIT :limit")
                .bind("p", projectId).bind("tt", type.id()).bind("tid", targetId).bind("name", evaluatorName)
                .bind("limit", limit)
                .map(ScoreStore::map).list());
    }

    /** Newest first. */
    List<Score> recentForEvaluator(String projectId, String evaluatorName, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM scores WHERE project_id = :p AND evaluator_name = :name "
                        + "ORDER BY id DESC LIMIT :limit")
                .bind("p", projectId).bind("name", evaluatorName).bind("limit", limit)
                .map(ScoreStore::map).list());
    }

    private static Score map(ResultSet rs, StatementContext ctx) throws SQLException {
        String value = rs.getString("value");
        boolean passed = rs.getBoolean("passed");
        Boolean passedOrNull = rs.wasNull() ? null : passed;
        int version = rs.getInt("evaluator_version");
        Integer versionOrNull = rs.wasNull() ? null : version;
        double cost = rs.getDouble("cost");
        Double costOrNull = rs.wasNull() ? null : cost;
        return new Score(rs.getString("id"),
                TargetType.valueOf(rs.getString("target_type").toUpperCase(Locale.ROOT)), rs.getString("target_id"),
                rs.getString("evaluator_name"), versionOrNull,
                value == null ? null : JudgmentValue.fromJson(Json.read(value, JsonNode.class)), passedOrNull,
                rs.getString("reason"), rs.getString("error"),
                ScoreSource.valueOf(rs.getString("source").toUpperCase(Locale.ROOT)), rs.getString("author"),
                costOrNull, Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
