package dev.sextant.server.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.f4b6a3.uuid.UuidCreator;
import dev.sextant.server.db.Ids;
import dev.sextant.server.http.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * SQL for datasets. An item revision is valid for versions {@code valid_from <= v < valid_to}
 * ({@code valid_to} NULL while current); writers only insert rows and close current ones.
 */
final class DatasetStore {
    private static final String VISIBLE_AT = "dataset_id = :d AND valid_from <= :v AND (valid_to IS NULL OR valid_to > :v)";

    /** How many changed items one version's change list shows (the counts are always exact). */
    static final int CHANGES_SHOWN = 1_000;

    private final Jdbi jdbi;

    DatasetStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        jdbi.registerRowMapper(ConstructorMapper.factory(Dataset.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(DatasetVersion.class));
    }

    Jdbi jdbi() {
        return jdbi;
    }

    void insert(Handle h, Dataset d) {
        h.createUpdate("INSERT INTO datasets (id, project_id, name, description, latest_version, item_count, "
                        + "created_by, created_at, updated_at) VALUES (:id, :projectId, :name, :description, "
                        + ":latestVersion, :itemCount, :createdBy, :createdAt, :updatedAt)")
                .bindMethods(d).execute();
    }

    boolean nameExists(Handle h, String projectId, String name) {
        return h.createQuery("SELECT COUNT(*) FROM datasets WHERE project_id = :p AND name = :n")
                .bind("p", projectId).bind("n", name).mapTo(Integer.class).one() > 0;
    }

    Optional<Dataset> byName(Handle h, String projectId, String name) {
        return h.createQuery("SELECT * FROM datasets WHERE project_id = :p AND name = :n")
                .bind("p", projectId).bind("n", name).mapTo(Dataset.class).findOne();
    }

    /**
     * Reads a dataset for a change, locking its row first (PostgreSQL; SQLite's write transaction
     * already serializes) so that concurrent changes see each other's committed items and counts.
     */
    Optional<Dataset> lockByName(Handle h, String projectId, String name) {
        h.createUpdate("UPDATE datasets SET latest_version = latest_version WHERE project_id = :p AND name = :n")
                .bind("p", projectId).bind("n", name).execute();
        return byName(h, projectId, name);
    }

    /** Renames a dataset; experiments keep showing (and linking to) the dataset under its new name. */
    void update(Handle h, Dataset d, String name, String description, Instant now) {
        h.createUpdate("UPDATE datasets SET name = :n, description = :d, updated_at = :now WHERE id = :id")
                .bind("n", name).bind("d", description).bind("now", now).bind("id", d.id()).execute();
        h.createUpdate("UPDATE experiments SET dataset_name = :n WHERE project_id = :p AND dataset_id = :id")
                .bind("n", name).bind("p", d.projectId()).bind("id", d.id()).execute();
    }

    int experimentsUsing(Handle h, Dataset d) {
        return h.createQuery("SELECT COUNT(*) FROM experiments WHERE project_id = :p AND dataset_id = :id")
                .bind("p", d.projectId()).bind("id", d.id()).mapTo(Integer.class).one();
    }

    /** Deletes a dataset; its versions and items go with it (ON DELETE CASCADE). */
    void delete(Handle h, Dataset d) {
        h.createUpdate("DELETE FROM datasets WHERE id = :id").bind("id", d.id()).execute();
    }

    Optional<Dataset> byName(String projectId, String name) {
        return jdbi.withHandle(h -> byName(h, projectId, name));
    }

    /** By name, optionally filtered by a case-insensitive substring; {@code afterName} is the cursor. */
    List<Dataset> list(String projectId, String search, String afterName, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM datasets WHERE project_id = :p"
                        + (search == null ? "" : " AND (LOWER(name) LIKE :q ESCAPE '!' OR LOWER(description) LIKE :q ESCAPE '!')")
                        + (afterName == null ? "" : " AND name > :after") + " ORDER BY name LIMIT :limit")
                .bind("p", projectId)
                .bind("q", search == null ? null : "%" + escapeLike(search.toLowerCase(java.util.Locale.ROOT)) + "%")
                .bind("after", afterName)
                .bind("limit", limit)
                .mapTo(Dataset.class).list());
    }

    /** Takes the next version number of a dataset locked by {@link #lockByName}. */
    int nextVersion(Handle h, String datasetId, int itemCount, Instant now) {
        h.createUpdate("UPDATE datasets SET latest_version = latest_version + 1, item_count = :count, "
                        + "updated_at = :now WHERE id = :id")
                .bind("id", datasetId).bind("count", itemCount).bind("now", now).execute();
        return h.createQuery("SELECT latest_version FROM datasets WHERE id = :id")
                .bind("id", datasetId).mapTo(Integer.class).one();
    }

    void insertVersion(Handle h, String datasetId, DatasetVersion v) {
        h.createUpdate("INSERT INTO dataset_versions (dataset_id, version, change, note, added, edited, deleted, "
                        + "item_count, created_by, created_at) VALUES (:datasetId, :version, :change, :note, :added, "
                        + ":edited, :deleted, :itemCount, :createdBy, :createdAt)")
                .bind("datasetId", datasetId).bindMethods(v).execute();
    }

    /** A new, time-ordered item id; monotonic so that items added together keep their order. */
    static String newItemId() {
        return UuidCreator.getTimeOrderedEpochPlus1().toString();
    }

    void insertRevisions(Handle h, String datasetId, int version, List<DatasetItem> items) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO dataset_items (row_id, dataset_id, item_id, valid_from, "
                + "input, messages, expected_output, metadata, source_trace_id, source_span_id, created_by, created_at) "
                + "VALUES (:rowId, :d, :itemId, :v, :input, :messages, :expected, :metadata, :trace, :span, :by, :at)");
        for (DatasetItem item : items) {
            batch.bind("rowId", Ids.newId()).bind("d", datasetId).bind("itemId", item.id()).bind("v", version)
                    .bind("input", Json.write(item.input()))
                    .bind("messages", item.messages() == null ? null : Json.write(item.messages()))
                    .bind("expected", item.expectedOutput() == null ? null : Json.write(item.expectedOutput()))
                    .bind("metadata", Json.write(item.metadata()))
                    .bind("trace", item.sourceTraceId()).bind("span", item.sourceSpanId())
                    .bind("by", item.updatedBy()).bind("at", item.updatedAt())
                    .add();
        }
        if (!items.isEmpty()) {
            batch.execute();
        }
    }

    /** Ends the current revision of each item at {@code version}; returns how many were current. */
    int closeRevisions(Handle h, String datasetId, Collection<String> itemIds, int version) {
        int closed = 0;
        for (List<String> chunk : chunks(List.copyOf(itemIds))) {
            closed += h.createUpdate("UPDATE dataset_items SET valid_to = :v WHERE dataset_id = :d "
                            + "AND valid_to IS NULL AND item_id IN (<ids>)")
                    .bind("d", datasetId).bind("v", version).bindList("ids", chunk).execute();
        }
        return closed;
    }

    List<DatasetItem> currentItems(Handle h, String datasetId, Collection<String> itemIds) {
        return chunks(List.copyOf(itemIds)).stream().flatMap(chunk -> h.createQuery(
                        "SELECT * FROM dataset_items WHERE dataset_id = :d AND valid_to IS NULL AND item_id IN (<ids>)")
                .bind("d", datasetId).bindList("ids", chunk).map(DatasetStore::item).list().stream()).toList();
    }

    /** Items visible at {@code version}, ordered by item id; {@code afterItemId} is the cursor. */
    List<DatasetItem> items(String datasetId, int version, String afterItemId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dataset_items WHERE " + VISIBLE_AT
                        + (afterItemId == null ? "" : " AND item_id > :after") + " ORDER BY item_id LIMIT :limit")
                .bind("d", datasetId).bind("v", version).bind("after", afterItemId).bind("limit", limit)
                .map(DatasetStore::item).list());
    }

    Optional<DatasetItem> item(String datasetId, String itemId, int version) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dataset_items WHERE " + VISIBLE_AT
                        + " AND item_id = :item")
                .bind("d", datasetId).bind("v", version).bind("item", itemId).map(DatasetStore::item).findOne());
    }

    /** Revisions that start at {@code version} (added or new content of edited items), by item id. */
    List<DatasetItem> revisionsFrom(String datasetId, int version) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dataset_items WHERE dataset_id = :d "
                        + "AND valid_from = :v ORDER BY item_id LIMIT :limit")
                .bind("d", datasetId).bind("v", version).bind("limit", CHANGES_SHOWN)
                .map(DatasetStore::item).list());
    }

    /** Revisions that end at {@code version} (old content of edited items, or deleted items), by item id. */
    List<DatasetItem> revisionsUntil(String datasetId, int version) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dataset_items WHERE dataset_id = :d "
                        + "AND valid_to = :v ORDER BY item_id LIMIT :limit")
                .bind("d", datasetId).bind("v", version).bind("limit", CHANGES_SHOWN)
                .map(DatasetStore::item).list());
    }

    /** Newest first; {@code beforeVersion} is the cursor. */
    List<DatasetVersion> versions(String datasetId, Integer beforeVersion, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dataset_versions WHERE dataset_id = :d"
                        + (beforeVersion == null ? "" : " AND version < :before") + " ORDER BY version DESC LIMIT :limit")
                .bind("d", datasetId).bind("before", beforeVersion).bind("limit", limit)
                .mapTo(DatasetVersion.class).list());
    }

    Optional<DatasetVersion> version(String datasetId, int version) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dataset_versions WHERE dataset_id = :d AND version = :v")
                .bind("d", datasetId).bind("v", version).mapTo(DatasetVersion.class).findOne());
    }

    private static DatasetItem item(ResultSet rs, StatementContext ctx) throws SQLException {
        return new DatasetItem(rs.getString("item_id"), rs.getInt("valid_from"),
                (ObjectNode) json(rs.getString("input")), (ArrayNode) json(rs.getString("messages")),
                json(rs.getString("expected_output")), (ObjectNode) json(rs.getString("metadata")),
                rs.getString("source_trace_id"), rs.getString("source_span_id"), rs.getString("created_by"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON in dataset_items", e);
        }
    }

    private static String escapeLike(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /** IN lists stay well under SQLite's bound-parameter limit. */
    private static List<List<String>> chunks(List<String> ids) {
        int size = 500;
        return java.util.stream.IntStream.range(0, (ids.size() + size - 1) / size)
                .mapToObj(i -> ids.subList(i * size, Math.min(ids.size(), (i + 1) * size))).toList();
    }
}
