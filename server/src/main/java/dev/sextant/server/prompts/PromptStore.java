package dev.sextant.server.prompts;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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

    /**
     * Prompts by name with their labels and latest commit; {@code q} matches anywhere in the name
     * (case-insensitive); the cursor is the last name of the previous page.
     */
    List<PromptSummary> list(String projectId, String q, String afterName, int limit) {
        return jdbi.withHandle(h -> {
            List<Map.Entry<String, PromptSummary>> rows = h.createQuery("SELECT p.id, p.name, p.latest_version, "
                            + "p.created_at, p.updated_at, v.commit_message, v.author FROM prompts p "
                            + "JOIN prompt_versions v ON v.prompt_id = p.id AND v.version = p.latest_version "
                            + "WHERE p.project_id = :p "
                            + (q == null ? "" : "AND LOWER(p.name) LIKE :q ESCAPE '\\' ")
                            + (afterName == null ? "" : "AND p.name > :after ") + "ORDER BY p.name LIMIT :limit")
                    .bind("p", projectId)
                    .bind("q", q == null ? null : "%" + likeEscape(q.toLowerCase(Locale.ROOT)) + "%")
                    .bind("after", afterName).bind("limit", limit)
                    .map((rs, ctx) -> Map.entry(rs.getString("id"), new PromptSummary(rs.getString("name"),
                            rs.getInt("latest_version"), Map.of(), rs.getString("commit_message"),
                            rs.getString("author"), Instant.ofEpochMilli(rs.getLong("created_at")),
                            Instant.ofEpochMilli(rs.getLong("updated_at")))))
                    .list();
            Map<String, Map<String, Integer>> labels = new HashMap<>();
            if (!rows.isEmpty()) {
                h.createQuery("SELECT prompt_id, label, version FROM prompt_labels WHERE prompt_id IN (<ids>)")
                        .bindList("ids", rows.stream().map(Map.Entry::getKey).toList())
                        .map((rs, ctx) -> List.of(rs.getString("prompt_id"), rs.getString("label"),
                                Integer.toString(rs.getInt("version"))))
                        .forEach(r -> labels.computeIfAbsent(r.get(0), k -> new TreeMap<>())
                                .put(r.get(1), Integer.valueOf(r.get(2))));
            }
            return rows.stream().map(e -> {
                PromptSummary p = e.getValue();
                return new PromptSummary(p.name(), p.latestVersion(), labels.getOrDefault(e.getKey(), Map.of()),
                        p.lastCommitMessage(), p.lastAuthor(), p.createdAt(), p.updatedAt());
            }).toList();
        });
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
