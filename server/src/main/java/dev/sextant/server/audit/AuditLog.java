package dev.sextant.server.audit;

import dev.sextant.server.db.Ids;
import dev.sextant.server.http.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * Append-only record of every change. Writers pass their open transaction handle so that the
 * change and its audit entry commit together.
 */
public final class AuditLog {
    private final Jdbi jdbi;

    public AuditLog(Jdbi jdbi) {
        this.jdbi = jdbi;
        jdbi.registerRowMapper(ConstructorMapper.factory(AuditEntry.class));
    }

    /**
     * @param summary a small map such as {@code {"before": {...}, "after": {...}}}; never secrets
     */
    public void record(Handle h, String projectId, String actor, String action, String targetType,
                       String targetId, Map<String, ?> summary) {
        h.createUpdate("INSERT INTO audit_log (id, project_id, actor, action, target_type, target_id, summary, "
                        + "created_at) VALUES (:id, :projectId, :actor, :action, :targetType, :targetId, :summary, :now)")
                .bind("id", Ids.newId())
                .bind("projectId", projectId)
                .bind("actor", actor)
                .bind("action", action)
                .bind("targetType", targetType)
                .bind("targetId", targetId)
                .bind("summary", Json.write(summary))
                .bind("now", Instant.now())
                .execute();
    }

    /** Newest first; {@code beforeId} is the cursor (ids are time-ordered). */
    public List<AuditEntry> list(String projectId, String beforeId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_log WHERE project_id = :p "
                        + (beforeId == null ? "" : "AND id < :before ") + "ORDER BY id DESC LIMIT :limit")
                .bind("p", projectId)
                .bind("before", beforeId)
                .bind("limit", limit)
                .mapTo(AuditEntry.class)
                .list());
    }
}
