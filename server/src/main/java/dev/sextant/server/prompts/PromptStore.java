package dev.sextant.server.prompts;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for prompts, their versions and labels; every query is scoped to one project. */
final class PromptStore {
    private final Jdbi jdbi;

    PromptStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        jdbi.registerRowMapper(ConstructorMapper.factory(PromptRow.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(VersionRow.class));
    }

    record PromptRow(String id, String projectId, String name, int latestVersion, Instant createdAt,
                     Instant updatedAt) {
    }

    record VersionRow(String promptId, int version, String content, String contentHash, String commitMessage,
                      String author, Instant createdAt) {
    }

    Jdbi jdbi() {
        return jdbi;
    }

    Optional<PromptRow> find(Handle h, String projectId, String name) {
        return h.createQuery("SELECT * FROM prompts WHERE project_id = :p AND name = :n")
                .bind("p", projectId).bind("n", name).mapTo(PromptRow.class).findOne();
    }

    void insertPrompt(Handle h, PromptRow row) {
        h.createUpdate("INSERT INTO prompts (id, project_id, name, latest_version, created_at, updated_at) "
                        + "VALUES (:id, :projectId, :name, :latestVersion, :createdAt, :updatedAt)")
                .bind("id", row.id()).bind("projectId", row.projectId()).bind("name", row.name())
                .bind("latestVersion", row.latestVersion()).bind("createdAt", row.createdAt())
                .bind("updatedAt", row.updatedAt()).execute();
    }

    /**
     * Takes the prompt's row lock (PostgreSQL; SQLite write transactions are already exclusive) and
     * returns the latest version number as seen under that lock.
     */
    int lockLatest(Handle h, String promptId) {
        h.createUpdate("UPDATE prompts SET latest_version = latest_version WHERE id = :id").bind("id", promptId).execute();
        return h.createQuery("SELECT latest_version FROM prompts WHERE id = :id").bind("id", promptId)
                .mapTo(Integer.class).one();
    }

    void setLatest(Handle h, String promptId, int version, Instant now) {
        h.createUpdate("UPDATE prompts SET latest_version = :v, updated_at = :now WHERE id = :id")
                .bind("id", promptId).bind("v", version).bind("now", now).execute();
    }

    void touch(Handle h, String promptId, Instant now) {
        h.createUpdate("UPDATE prompts SET updated_at = :now WHERE id = :id").bind("id", promptId).bind("now", now)
                .execute();
    }

    void insertVersion(Handle h, VersionRow row) {
        h.createUpdate("INSERT INTO prompt_versions (prompt_id, version, content, content_hash, commit_message, author, "
                        + "created_at) VALUES (:promptId, :version, :content, :contentHash, :commitMessage, :author, "
                        + ":createdAt)")
                .bind("promptId", row.promptId()).bind("version", row.version()).bind("content", row.content())
                .bind("contentHash", row.contentHash()).bind("commitMessage", row.commitMessage())
                .bind("author", row.author()).bind("createdAt", row.createdAt()).execute();
    }

    Optional<VersionRow> version(Handle h, String promptId, int version) {
        return h.createQuery("SELECT * FROM prompt_versions WHERE prompt_id = :id AND version = :v")
                .bind("id", promptId).bind("v", version).mapTo(VersionRow.class).findOne();
    }

    /** Newest first, below {@code beforeVersion} when given. */
    List<VersionRow> versions(Handle h, String promptId, Integer beforeVersion, int limit) {
        return h.createQuery("SELECT * FROM prompt_versions WHERE prompt_id = :id "
                        + (beforeVersion == null ? "" : "AND version < :before ") + "ORDER BY version DESC LIMIT :limit")
                .bind("id", promptId).bind("before", beforeVersion).bind("limit", limit)
                .mapTo(VersionRow.class).list();
    }

    /** Label → version, sorted by label. */
    Map<String, Integer> labels(Handle h, String promptId) {
        Map<String, Integer> labels = new TreeMap<>();
        h.createQuery("SELECT label, version FROM prompt_labels WHERE prompt_id = :id").bind("id", promptId)
                .map((rs, ctx) -> Map.entry(rs.getString("label"), rs.getInt("version")))
                .forEach(e -> labels.put(e.getKey(), e.getValue()));
        return labels;
    }

    void putLabel(Handle h, String promptId, String label, int version, String actor, Instant now) {
        int updated = h.createUpdate("UPDATE prompt_labels SET version = :v, updated_by = :by, updated_at = :now "
                        + "WHERE prompt_id = :id AND label = :label")
                .bind("id", promptId).bind("label", label).bind("v", version).bind("by", actor).bind("now", now)
                .execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO prompt_labels (prompt_id, label, version, updated_by, updated_at) "
                            + "VALUES (:id, :label, :v, :by, :now)")
                    .bind("id", promptId).bind("label", label).bind("v", version).bind("by", actor).bind("now", now)
                    .execute();
        }
    }

    /** Prompts by name; {@code q} matches anywhere in the name (case-insensitive); the cursor is the last name. */
    List<PromptRow> list(String projectId, String q, String afterName, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM prompts WHERE project_id = :p "
                        + (q == null ? "" : "AND LOWER(name) LIKE :q ESCAPE '\\' ")
                        + (afterName == null ? "" : "AND name > :after ") + "ORDER BY name LIMIT :limit")
                .bind("p", projectId)
                .bind("q", q == null ? null : "%" + likeEscape(q.toLowerCase(java.util.Locale.ROOT)) + "%")
                .bind("after", afterName).bind("limit", limit)
                .mapTo(PromptRow.class).list());
    }

    /** Labels of many prompts at once: prompt id → (label → version). */
    Map<String, Map<String, Integer>> labelsOf(List<String> promptIds) {
        Map<String, Map<String, Integer>> result = new HashMap<>();
        if (promptIds.isEmpty()) {
            return result;
        }
        jdbi.useHandle(h -> h.createQuery("SELECT prompt_id, label, version FROM prompt_labels "
                        + "WHERE prompt_id IN (<ids>) ORDER BY label")
                .bindList("ids", promptIds)
                .map((rs, ctx) -> List.of(rs.getString("prompt_id"), rs.getString("label"), rs.getString("version")))
                .forEach(r -> result.computeIfAbsent(r.get(0), k -> new LinkedHashMap<>())
                        .put(r.get(1), Integer.parseInt(r.get(2)))));
        return result;
    }

    /** Latest versions' commit info for list pages: prompt id → row. */
    Map<String, VersionRow> latestOf(List<PromptRow> prompts) {
        Map<String, VersionRow> result = new HashMap<>();
        jdbi.useHandle(h -> prompts.forEach(p -> version(h, p.id(), p.latestVersion())
                .ifPresent(v -> result.put(p.id(), v))));
        return result;
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
