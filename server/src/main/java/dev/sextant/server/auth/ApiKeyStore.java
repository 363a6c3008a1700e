package dev.sextant.server.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** SQL for API keys; only hashes of keys are stored. */
final class ApiKeyStore {
    private final Jdbi jdbi;

    ApiKeyStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void insert(Handle h, ApiKey key, String keyHash) {
        h.createUpdate("INSERT INTO api_keys (id, project_id, kind, name, display_prefix, key_hash, created_by, "
                        + "created_at) VALUES (:id, :projectId, :kind, :name, :prefix, :hash, :createdBy, :createdAt)")
                .bind("id", key.id()).bind("projectId", key.projectId()).bind("kind", key.kind().id())
                .bind("name", key.name()).bind("prefix", key.displayPrefix()).bind("hash", keyHash)
                .bind("createdBy", key.createdBy()).bind("createdAt", key.createdAt())
                .execute();
    }

    Optional<ApiKey> byHash(String keyHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE key_hash = :h")
                .bind("h", keyHash).map(ApiKeyStore::map).findOne());
    }

    boolean hashExists(Handle h, String keyHash) {
        return h.createQuery("SELECT COUNT(*) FROM api_keys WHERE key_hash = :h")
                .bind("h", keyHash).mapTo(Integer.class).one() > 0;
    }

    Optional<ApiKey> byId(String projectId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE id = :id AND project_id = :p")
                .bind("id", id).bind("p", projectId).map(ApiKeyStore::map).findOne());
    }

    List<ApiKey> list(String projectId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE project_id = :p "
                        + "ORDER BY revoked_at IS NOT NULL, created_at DESC")
                .bind("p", projectId).map(ApiKeyStore::map).list());
    }

    int revoke(Handle h, String projectId, String id, Instant now) {
        return h.createUpdate("UPDATE api_keys SET revoked_at = :now WHERE id = :id AND project_id = :p "
                        + "AND revoked_at IS NULL")
                .bind("id", id).bind("p", projectId).bind("now", now).execute();
    }

    void touch(String id, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE api_keys SET last_used_at = :now WHERE id = :id")
                .bind("id", id).bind("now", now).execute());
    }

    private static ApiKey map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new ApiKey(rs.getString("id"), rs.getString("project_id"),
                ApiKey.Kind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)),
                rs.getString("name"), rs.getString("display_prefix"), rs.getString("created_by"),
                instant(rs, "created_at"), instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
