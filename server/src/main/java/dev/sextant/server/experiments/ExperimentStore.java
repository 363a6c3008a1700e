package dev.sextant.server.experiments;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.db.Ids;
import dev.sextant.server.http.Json;
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
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for experiments, their runs and run items; judgments are read from {@code scores}. */
final class ExperimentStore {
    static final String PENDING = "pending";
    static final String OUTPUT = "output";
    static final String DONE = "done";
    private static final TypeReference<List<EvaluatorRef>> EVALUATORS = new TypeReference<>() { };

    private final Jdbi jdbi;

    ExperimentStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    void insert(Handle h, String projectId, String datasetId, Experiment e) {
        h.createUpdate("INSERT INTO experiments (id, project_id, name, dataset_id, dataset_name, dataset_version, "
                        + "evaluators, repetitions, concurrency, cache, status, created_by, created_at) VALUES (:id, :p, "
                        + ":name, :did, :dname, :dv, :ev, :reps, :conc, :cache, :status, :by, :at)")
                .bind("id", e.id()).bind("p", projectId).bind("name", e.name()).bind("did", datasetId)
                .bind("dname", e.datasetName()).bind("dv", e.datasetVersion()).bind("ev", Json.write(e.evaluators()))
                .bind("reps", e.repetitions()).bind("conc", e.concurrency()).bind("cache", e.cache())
                .bind("status", e.status().id()).bind("by", e.createdBy()).bind("at", e.createdAt()).execute();
    }

    void insertRun(Handle h, String projectId, Run run) {
        h.createUpdate("INSERT INTO experiment_runs (id, experiment_id, project_id, position, label, target, status) "
                        + "VALUES (:id, :e, :p, :pos, :label, :target, :status)")
                .bind("id", run.id()).bind("e", run.experimentId()).bind("p", projectId).bind("pos", run.position())
                .bind("label", run.label()).bind("target", Json.write(run.target())).bind("status", run.status().id())
                .execute();
    }

    void insertItems(Handle h, String projectId, String runId, List<String> itemIds, int repetitions) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO experiment_items (id, run_id, project_id, item_id, "
                + "repetition, status) VALUES (:id, :r, :p, :item, :rep, 'pending')");
        for (String itemId : itemIds) {
            for (int rep = 1; rep <= repetitions; rep++) {
                batch.bind("id", Ids.newId()).bind("r", runId).bind("p", projectId).bind("item", itemId)
                        .bind("rep", rep).add();
            }
        }
        if (batch.size() > 0) {
            batch.execute();
        }
    }

    private static final String ITEMS_OF_EXPERIMENT = "(SELECT i.id FROM experiment_items i JOIN experiment_runs r "
            + "ON r.id = i.run_id WHERE r.experiment_id = :e)";

    /** How many review-queue items target the experiment's items (their human decisions would go too). */
    int reviewItemsOf(Handle h, String projectId, String experimentId) {
        return h.createQuery("SELECT COUNT(*) FROM review_items WHERE project_id = :p AND target_type = "
                        + "'experiment_item' AND target_id IN " + ITEMS_OF_EXPERIMENT)
                .bind("p", projectId).bind("e", experimentId).mapTo(Integer.class).one();
    }

    /** Deletes an experiment with its runs and items (cascade) and the scores and comments on its items. */
    void delete(Handle h, String projectId, String experimentId) {
        for (String table : List.of("scores", "comments")) {
            h.createUpdate("DELETE FROM " + table + " WHERE project_id = :p AND target_type = 'experiment_item' "
                            + "AND target_id IN " + ITEMS_OF_EXPERIMENT)
                    .bind("p", projectId).bind("e", experimentId).execute();
        }
        h.createUpdate("DELETE FROM experiments WHERE project_id = :p AND id = :e")
                .bind("p", projectId).bind("e", experimentId).execute();
    }

    Optional<Experiment> experiment(String projectId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM experiments WHERE project_id = :p AND id = :id")
                .bind("p", projectId).bind("id", id).map(ExperimentStore::mapExperiment).findOne())
                .map(e -> e.withRuns(runs(e.id())));
    }

    /** The experiment a run belongs to, with all its runs (for the job, which knows only the run id). */
    Optional<Experiment> experimentOfRun(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT e.* FROM experiments e JOIN experiment_runs r "
                        + "ON r.experiment_id = e.id WHERE r.id = :r")
                .bind("r", runId).map(ExperimentStore::mapExperiment).findOne())
                .map(e -> e.withRuns(runs(e.id())));
    }

    Optional<String> projectOfRun(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT project_id FROM experiment_runs WHERE id = :r")
                .bind("r", runId).mapTo(String.class).findOne());
    }

    /** Newest first. */
    List<Experiment> list(String projectId, String before, int limit) {
        List<Experiment> page = jdbi.withHandle(h -> h.createQuery("SELECT * FROM experiments WHERE project_id = :p"
                        + (before == null ? "" : " AND id < :before") + " ORDER BY id DESC LIMIT :limit")
                .bind("p", projectId).bind("before", before).bind("limit", limit)
                .map(ExperimentStore::mapExperiment).list());
        return page.stream().map(e -> e.withRuns(runs(e.id()))).toList();
    }

    List<Run> runs(String experimentId) {
        return jdbi.withHandle(h -> {
            Map<String, Run.Progress> progress = new HashMap<>();
            h.createQuery("SELECT i.run_id, COUNT(*) AS total, SUM(CASE WHEN i.status = 'done' THEN 1 ELSE 0 END) "
                            + "AS done, SUM(CASE WHEN i.status = 'done' AND i.error IS NOT NULL THEN 1 ELSE 0 END) "
                            + "AS errors FROM experiment_items i JOIN experiment_runs r ON r.id = i.run_id "
                            + "WHERE r.experiment_id = :e GROUP BY i.run_id")
                    .bind("e", experimentId)
                    .map((rs, ctx) -> Map.entry(rs.getString("run_id"),
                            new Run.Progress(rs.getInt("total"), rs.getInt("done"), rs.getInt("errors"))))
                    .forEach(entry -> progress.put(entry.getKey(), entry.getValue()));
            return h.createQuery("SELECT * FROM experiment_runs WHERE experiment_id = :e ORDER BY position")
                    .bind("e", experimentId)
                    .map((rs, ctx) -> new Run(rs.getString("id"), rs.getString("experiment_id"), rs.getInt("position"),
                            rs.getString("label"), Json.read(rs.getString("target"), Target.class),
                            Status.of(rs.getString("status")), rs.getString("error"), instant(rs, "started_at"),
                            instant(rs, "finished_at"),
                            progress.getOrDefault(rs.getString("id"), new Run.Progress(0, 0, 0))))
                    .list();
        });
    }

    /** Marks a queued or running experiment; returns false when it had already finished. */
    boolean setStatus(Handle h, String experimentId, Status status, Instant finishedAt) {
        return h.createUpdate("UPDATE experiments SET status = :s, finished_at = :f WHERE id = :id "
                        + "AND status IN ('queued', 'running')")
                .bind("s", status.id()).bind("f", finishedAt).bind("id", experimentId).execute() == 1;
    }

    void startRun(String runId, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE experiment_runs SET status = 'running', "
                        + "started_at = COALESCE(started_at, :at) WHERE id = :id AND status IN ('queued', 'running')")
                .bind("at", at).bind("id", runId).execute());
    }

    void finishRun(Handle h, String runId, Status status, String error, Instant at) {
        h.createUpdate("UPDATE experiment_runs SET status = :s, error = :err, finished_at = :at WHERE id = :id "
                        + "AND status IN ('queued', 'running')")
                .bind("s", status.id()).bind("err", error).bind("at", at).bind("id", runId).execute();
    }

    void cancelRuns(Handle h, String experimentId, Instant at) {
        h.createUpdate("UPDATE experiment_runs SET status = 'cancelled', finished_at = :at WHERE experiment_id = :e "
                        + "AND status IN ('queued', 'running')")
                .bind("at", at).bind("e", experimentId).execute();
    }

    Status experimentStatus(String experimentId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT status FROM experiments WHERE id = :id")
                .bind("id", experimentId).mapTo(String.class).findOne().map(Status::of).orElse(Status.CANCELLED));
    }

    /** Items not yet done, in a stable order; these are what a (resumed) run job still has to do. */
    List<RunItem> unfinished(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM experiment_items WHERE run_id = :r "
                        + "AND status <> 'done' ORDER BY item_id, repetition")
                .bind("r", runId).map(ExperimentStore::mapItem).list());
    }

    int countUnfinished(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM experiment_items WHERE run_id = :r "
                + "AND status <> 'done'").bind("r", runId).mapTo(Integer.class).one());
    }

    Optional<RunItem> item(String runId, String itemId, int repetition) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM experiment_items WHERE run_id = :r AND item_id = :i "
                        + "AND repetition = :rep")
                .bind("r", runId).bind("i", itemId).bind("rep", repetition).map(ExperimentStore::mapItem).findOne());
    }

    /**
     * Stores what the target answered; only a pending item takes an output (a finished one is never redone).
     * With {@code finished} the item is done at once (its judgments are stored in the same transaction),
     * otherwise it waits for its evaluators; an error always finishes it.
     */
    boolean saveOutput(Handle h, String rowId, RunItem result, boolean finished, Instant at) {
        boolean done = finished || result.error() != null;
        return h.createUpdate("UPDATE experiment_items SET status = :s, output = :out, trace_id = :trace, "
                        + "latency_ms = :lat, input_tokens = :in, output_tokens = :outTokens, cost = :cost, "
                        + "error = :err, cached = :cached, finished_at = :at WHERE id = :id AND status = 'pending'")
                .bind("s", done ? DONE : OUTPUT).bind("at", done ? at : null).bind("out", result.output())
                .bind("trace", result.traceId()).bind("lat", result.latencyMs()).bind("in", result.inputTokens())
                .bind("outTokens", result.outputTokens()).bind("cost", result.cost()).bind("err", result.error())
                .bind("cached", result.cached()).bind("id", rowId).execute() == 1;
    }

    boolean markDone(Handle h, String rowId, Instant at) {
        return h.createUpdate("UPDATE experiment_items SET status = 'done', finished_at = :at WHERE id = :id "
                        + "AND status = 'output'")
                .bind("at", at).bind("id", rowId).execute() == 1;
    }

    /** A page of a run's items (by item, then repetition), with their judgments. */
    List<RunItem> items(String runId, String after, int limit) {
        List<RunItem> page = jdbi.withHandle(h -> h.createQuery("SELECT * FROM experiment_items WHERE run_id = :r"
                        + (after == null ? "" : " AND id > :after") + " ORDER BY id LIMIT :limit")
                .bind("r", runId).bind("after", after).bind("limit", limit).map(ExperimentStore::mapItem).list());
        return withJudgments(runId, page, page.isEmpty() ? null : page.getFirst().id(),
                page.isEmpty() ? null : page.getLast().id());
    }

    /** Every item of a run with its judgments (scorecards and comparisons). */
    List<RunItem> allItems(String runId) {
        List<RunItem> all = jdbi.withHandle(h -> h.createQuery("SELECT * FROM experiment_items WHERE run_id = :r "
                + "ORDER BY id").bind("r", runId).map(ExperimentStore::mapItem).list());
        return withJudgments(runId, all, null, null);
    }

    private List<RunItem> withJudgments(String runId, List<RunItem> items, String from, String to) {
        if (items.isEmpty()) {
            return items;
        }
        Map<String, List<RunItem.ItemJudgment>> byItem = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT s.target_id, s.evaluator_name, s.evaluator_version, s.value, "
                        + "s.passed, s.reason, s.error, s.cost FROM scores s JOIN experiment_items i ON i.id = s.target_id "
                        + "AND i.project_id = s.project_id WHERE s.target_type = 'experiment_item' AND i.run_id = :r"
                        + (from == null ? "" : " AND i.id >= :from AND i.id <= :to") + " ORDER BY s.id")
                .bind("r", runId).bind("from", from).bind("to", to)
                .map((rs, ctx) -> {
                    boolean passed = rs.getBoolean("passed");
                    Boolean passedOrNull = rs.wasNull() ? null : passed;
                    int version = rs.getInt("evaluator_version");
                    Integer versionOrNull = rs.wasNull() ? null : version;
                    String value = rs.getString("value");
                    double cost = rs.getDouble("cost");
                    Double costOrNull = rs.wasNull() ? null : cost;
                    return Map.entry(rs.getString("target_id"), new RunItem.ItemJudgment(
                            rs.getString("evaluator_name"), versionOrNull,
                            value == null ? null : Json.read(value, JsonNode.class), passedOrNull,
                            rs.getString("reason"), rs.getString("error"), costOrNull));
                })
                .forEach(e -> byItem.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue())));
        List<RunItem> out = new ArrayList<>(items.size());
        for (RunItem item : items) {
            // The latest judgment per evaluator wins (a re-evaluated item keeps only its newest verdicts).
            Map<String, RunItem.ItemJudgment> latest = new LinkedHashMap<>();
            for (RunItem.ItemJudgment j : byItem.getOrDefault(item.id(), List.of())) {
                latest.put(j.evaluator(), j);
            }
            out.add(item.withJudgments(List.copyOf(latest.values())));
        }
        return out;
    }

    boolean itemExists(String projectId, String rowId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM experiment_items WHERE project_id = :p "
                + "AND id = :id").bind("p", projectId).bind("id", rowId).mapTo(Integer.class).one() > 0);
    }

    /** (experiment id, run id) of an item row, for links. */
    Optional<String[]> locate(String rowId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT r.experiment_id, r.id FROM experiment_items i "
                        + "JOIN experiment_runs r ON r.id = i.run_id WHERE i.id = :id")
                .bind("id", rowId).map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).findOne());
    }

    private static Experiment mapExperiment(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Experiment(rs.getString("id"), rs.getString("name"), rs.getString("dataset_name"),
                rs.getInt("dataset_version"), Json.mapper().convertValue(Json.read(rs.getString("evaluators"),
                JsonNode.class), EVALUATORS), rs.getInt("repetitions"), rs.getInt("concurrency"),
                rs.getBoolean("cache"), Status.of(rs.getString("status")), rs.getString("created_by"),
                instant(rs, "created_at"), instant(rs, "finished_at"), List.of());
    }

    private static RunItem mapItem(ResultSet rs, StatementContext ctx) throws SQLException {
        return new RunItem(rs.getString("id"), rs.getString("item_id"), rs.getInt("repetition"),
                rs.getString("status"), rs.getString("output"), rs.getString("trace_id"), nullableLong(rs, "latency_ms"),
                nullableInt(rs, "input_tokens"), nullableInt(rs, "output_tokens"), nullableDouble(rs, "cost"),
                rs.getString("error"), rs.getBoolean("cached"), List.of());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
