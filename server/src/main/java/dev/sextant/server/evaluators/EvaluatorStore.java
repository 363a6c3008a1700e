package dev.sextant.server.evaluators;

import dev.sextant.server.db.Database;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.http.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for evaluators and their immutable versions. The definition is stored as JSON. */
final class EvaluatorStore {
    private static final String SELECT = "SELECT v.id, e.name, v.version, v.definition, v.content_hash, "
            + "v.created_by, v.created_at FROM evaluators e JOIN evaluator_versions v ON v.evaluator_id = e.id ";

    private final Jdbi jdbi;
    private final Dialect dialect;

    EvaluatorStore(Database database) {
        this.jdbi = database.jdbi();
        this.dialect = database.dialect();
    }

    /** The evaluator's row id, kind and latest version, locked for the transaction on PostgreSQL. */
    record Head(String id, EvaluatorKind kind, int latestVersion) {
    }

    Optional<Head> head(Handle h, String projectId, String name, boolean forUpdate) {
        return h.createQuery("SELECT id, kind, latest_version FROM evaluators WHERE project_id = :p AND name = :n"
                        + (forUpdate && dialect == Dialect.POSTGRES ? " FOR UPDATE" : ""))
                .bind("p", projectId).bind("n", name)
                .map((rs, ctx) -> new Head(rs.getString("id"),
                        EvaluatorKind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)),
                        rs.getInt("latest_version")))
                .findOne();
    }

    void insertHead(Handle h, String id, String projectId, String name, EvaluatorKind kind, Instant now) {
        h.createUpdate("INSERT INTO evaluators (id, project_id, name, kind, latest_version, created_at, updated_at) "
                        + "VALUES (:id, :p, :n, :kind, 0, :now, :now)")
                .bind("id", id).bind("p", projectId).bind("n", name).bind("kind", kind.id()).bind("now", now)
                .execute();
    }

    void insertVersion(Handle h, String evaluatorId, Evaluator version) {
        h.createUpdate("INSERT INTO evaluator_versions (id, evaluator_id, version, definition, content_hash, "
                        + "created_by, created_at) VALUES (:id, :e, :v, :d, :hash, :by, :at)")
                .bind("id", version.id()).bind("e", evaluatorId).bind("v", version.version())
                .bind("d", Json.write(version.definition().withName(null))).bind("hash", version.contentHash())
                .bind("by", version.createdBy()).bind("at", version.createdAt())
                .execute();
        h.createUpdate("UPDATE evaluators SET latest_version = :v, updated_at = :at WHERE id = :e")
                .bind("v", version.version()).bind("at", version.createdAt()).bind("e", evaluatorId)
                .execute();
    }

    Optional<Evaluator> version(Handle h, String projectId, String name, Integer version) {
        return h.createQuery(SELECT + "WHERE e.project_id = :p AND e.name = :n AND v.version = "
                        + (version == null ? "e.latest_version" : ":v"))
                .bind("p", projectId).bind("n", name).bind("v", version)
                .map(EvaluatorStore::map).findOne();
    }

    Optional<Evaluator> version(String projectId, String name, Integer version) {
        return jdbi.withHandle(h -> version(h, projectId, name, version));
    }

    /** Latest versions ordered by name; {@code afterName} is the cursor; {@code search} matches the name. */
    List<Evaluator> latest(String projectId, String search, String afterName, int limit) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + "WHERE e.project_id = :p AND v.version = e.latest_version"
                        + (search == null ? "" : " AND LOWER(e.name) LIKE :q ESCAPE '\\'")
                        + (afterName == null ? "" : " AND e.name > :after") + " ORDER BY e.name LIMIT :limit")
                .bind("p", projectId).bind("q", search == null ? null : "%" + escapeLike(search) + "%")
                .bind("after", afterName).bind("limit", limit)
                .map(EvaluatorStore::map).list());
    }

    List<Evaluator> versions(String projectId, String name) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + "WHERE e.project_id = :p AND e.name = :n "
                        + "ORDER BY v.version DESC")
                .bind("p", projectId).bind("n", name)
                .map(EvaluatorStore::map).list());
    }

    private static String escapeLike(String text) {
        return text.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Evaluator map(ResultSet rs, StatementContext ctx) throws SQLException {
        EvaluatorDefinition d = Json.read(rs.getString("definition"), EvaluatorDefinition.class);
        return new Evaluator(rs.getString("id"), rs.getString("name"), rs.getInt("version"), d.kind(),
                d.description(), d.outputType(), d.passRule(), d.reads(), d.config(), rs.getString("content_hash"),
                rs.getString("created_by"), Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
