package dev.sextant.server.models;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for {@code model_providers}. */
final class ProviderStore {
    /** A stored row; the key column holds ciphertext only. */
    record Row(String projectId, String name, String kind, String baseUrl, String apiKeyCiphertext,
               String apiKeyLast4, String updatedBy, Instant createdAt, Instant updatedAt) {
    }

    private final Jdbi jdbi;

    ProviderStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        jdbi.registerRowMapper(ConstructorMapper.factory(Row.class));
    }

    List<Row> list(String projectId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM model_providers WHERE project_id = :p ORDER BY name")
                .bind("p", projectId).mapTo(Row.class).list());
    }

    Optional<Row> find(String projectId, String name) {
        return jdbi.withHandle(h -> find(h, projectId, name));
    }

    Optional<Row> find(Handle h, String projectId, String name) {
        return h.createQuery("SELECT * FROM model_providers WHERE project_id = :p AND name = :n")
                .bind("p", projectId).bind("n", name).mapTo(Row.class).findOne();
    }

    void upsert(Handle h, Row row) {
        int updated = h.createUpdate("UPDATE model_providers SET kind = :kind, base_url = :baseUrl, "
                        + "api_key_ciphertext = :apiKeyCiphertext, api_key_last4 = :apiKeyLast4, "
                        + "updated_by = :updatedBy, updated_at = :updatedAt WHERE project_id = :projectId AND name = :name")
                .bindMap(params(row)).execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO model_providers (project_id, name, kind, base_url, api_key_ciphertext, "
                            + "api_key_last4, updated_by, created_at, updated_at) VALUES (:projectId, :name, :kind, "
                            + ":baseUrl, :apiKeyCiphertext, :apiKeyLast4, :updatedBy, :createdAt, :updatedAt)")
                    .bindMap(params(row)).execute();
        }
    }

    private static java.util.Map<String, Object> params(Row row) {
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        params.put("projectId", row.projectId());
        params.put("name", row.name());
        params.put("kind", row.kind());
        params.put("baseUrl", row.baseUrl());
        params.put("apiKeyCiphertext", row.apiKeyCiphertext());
        params.put("apiKeyLast4", row.apiKeyLast4());
        params.put("updatedBy", row.updatedBy());
        params.put("createdAt", row.createdAt());
        params.put("updatedAt", row.updatedAt());
        return params;
    }

    int delete(Handle h, String projectId, String name) {
        return h.createUpdate("DELETE FROM model_providers WHERE project_id = :p AND name = :n")
                .bind("p", projectId).bind("n", name).execute();
    }
}
