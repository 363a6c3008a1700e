package dev.sextant.server.review;

import dev.sextant.server.db.Database;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.db.Ids;
import dev.sextant.server.evaluators.TargetType;
import dev.sextant.server.http.Json;
import dev.sextant.server.traces.SpansOfTrace;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for queues, items and reviewer decisions. */
final class ReviewStore {
    static final String REVIEWED = "reviewed";
    static final String SKIPPED = "skipped";

    private final Jdbi jdbi;
    private final Dialect dialect;

    ReviewStore(Database database) {
        this.jdbi = database.jdbi();
        this.dialect = database.dialect();
    }

    Jdbi jdbi() {
        return jdbi;
    }

    void insertQueue(Handle h, String projectId, ReviewQueue q) {
        h.createUpdate("INSERT INTO review_queues (id, project_id, name, instructions, evaluators, reviewers_per_item, "
                        + "lock_seconds, sample_trace_name, sample_rate, sampled_until, created_by, created_at) VALUES "
                        + "(:id, :p, :name, :instructions, :evaluators, :n, :lock, :stn, :rate, :until, :by, :at)")
                .bind("id", q.id()).bind("p", projectId).bind("name", q.name()).bind("instructions", q.instructions())
                .bind("evaluators", Json.write(q.evaluators())).bind("n", q.reviewersPerItem())
                .bind("lock", q.lockSeconds())
                .bind("stn", q.sampling() == null ? null : q.sampling().traceName())
                .bind("rate", q.sampling() == null ? null : q.sampling().rate())
                .bind("until", q.createdAt())
                .bind("by", q.createdBy()).bind("at", q.createdAt())
                .execute();
    }

    void deleteQueue(Handle h, String projectId, String queueId) {
        h.createUpdate("DELETE FROM review_items WHERE project_id = :p AND queue_id = :q")
                .bind("p", projectId).bind("q", queueId).execute();
        h.createUpdate("DELETE FROM review_decisions WHERE project_id = :p AND queue_id = :q")
                .bind("p", projectId).bind("q", queueId).execute();
        h.createUpdate("DELETE FROM review_queues WHERE project_id = :p AND id = :q")
                .bind("p", projectId).bind("q", queueId).execute();
    }

    /** Removes one item with its decisions (the scores of its reviews are not the queue's and stay). */
    void deleteItem(Handle h, String projectId, String queueId, String itemId) {
        h.createUpdate("DELETE FROM review_decisions WHERE project_id = :p AND queue_id = :q AND item_id = :i")
                .bind("p", projectId).bind("q", queueId).bind("i", itemId).execute();
        h.createUpdate("DELETE FROM review_items WHERE project_id = :p AND queue_id = :q AND id = :i")
                .bind("p", projectId).bind("q", queueId).bind("i", itemId).execute();
    }

    Optional<ReviewQueue> queue(String projectId, String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM review_queues WHERE project_id = :p AND name = :name")
                .bind("p", projectId).bind("name", name).map(ReviewStore::mapQueue).findOne());
    }

    List<ReviewQueue> queues(String projectId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM review_queues WHERE project_id = :p ORDER BY name")
                .bind("p", projectId).map(ReviewStore::mapQueue).list());
    }

    /** Every queue with a sampling rule, in all projects: {project id, queue, watermark}. */
    record Sampled(String projectId, ReviewQueue queue, Instant sampledUntil) {
    }

    List<Sampled> sampledQueues() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM review_queues WHERE sample_rate IS NOT NULL")
                .map((rs, ctx) -> new Sampled(rs.getString("project_id"), mapQueue(rs, ctx),
                        Instant.ofEpochMilli(rs.getLong("sampled_until"))))
                .list());
    }

    /** A trace written (ingested or updated) at {@code writtenAt}: the sampler's keyset position. */
    record Written(String traceId, Instant writtenAt) {
    }

    /**
     * The project's traces written after {@code after} (then ids after {@code afterId} at that
     * instant), up to {@code upTo}, that started at or after {@code startedFrom}: oldest write first.
     */
    List<Written> tracesWritten(String projectId, Written after, Instant upTo, Instant startedFrom, String name,
                                int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, updated_at FROM traces WHERE project_id = :p "
                        + "AND (updated_at > :t OR (updated_at = :t AND id > :id)) AND updated_at <= :upTo "
                        + "AND start_time >= :from" + (name == null ? "" : " AND name = :name")
                        + " ORDER BY updated_at, id LIMIT :limit")
                .bind("p", projectId).bind("t", after.writtenAt()).bind("id", after.traceId()).bind("upTo", upTo)
                .bind("from", startedFrom).bind("name", name).bind("limit", limit)
                .map((rs, ctx) -> new Written(rs.getString("id"), Instant.ofEpochMilli(rs.getLong("updated_at"))))
                .list());
    }

    void setSampledUntil(Handle h, String queueId, Instant until) {
        h.createUpdate("UPDATE review_queues SET sampled_until = :u WHERE id = :q").bind("u", until)
                .bind("q", queueId).execute();
    }

    /** Adds the targets not yet in the queue; returns how many were new. */
    int addItems(Handle h, String projectId, String queueId, TargetType type, List<ItemTarget> targets, Instant now) {
        String conflict = " ON CONFLICT (queue_id, target_type, target_id) DO NOTHING";
        int added = 0;
        for (ItemTarget target : targets) {
            added += h.createUpdate("INSERT INTO review_items (id, project_id, queue_id, target_type, target_id, "
                            + "trace_id, added_at) VALUES (:id, :p, :q, :tt, :tid, :trace, :at)" + conflict)
                    .bind("id", Ids.newId()).bind("p", projectId).bind("q", queueId).bind("tt", type.id())
                    .bind("tid", target.id()).bind("trace", target.traceId()).bind("at", now).execute();
        }
        return added;
    }

    Optional<ReviewItem> item(String projectId, String queueId, String itemId) {
        return jdbi.withHandle(h -> item(h, projectId, queueId, itemId));
    }

    Optional<ReviewItem> item(Handle h, String projectId, String queueId, String itemId) {
        return h.createQuery("SELECT * FROM review_items WHERE project_id = :p AND queue_id = :q AND id = :id")
                .bind("p", projectId).bind("q", queueId).bind("id", itemId).map(ReviewStore::mapItem).findOne();
    }

    List<ReviewItem> items(String projectId, String queueId, Boolean done, String cursor, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM review_items WHERE project_id = :p AND queue_id = :q"
                        + (done == null ? "" : " AND done = :done") + (cursor == null ? "" : " AND id > :cursor")
                        + " ORDER BY id LIMIT :limit")
                .bind("p", projectId).bind("q", queueId).bind("done", done).bind("cursor", cursor)
                .bind("limit", limit).map(ReviewStore::mapItem).list());
    }

    /** The reviewer's unexpired lock in the queue, if they already hold one (a reload resumes it). */
    Optional<ReviewItem> heldBy(Handle h, String queueId, String reviewer, Instant now) {
        return h.createQuery("SELECT * FROM review_items WHERE queue_id = :q AND locked_by = :r AND done = :done "
                        + "AND locked_until > :now ORDER BY id LIMIT 1")
                .bind("q", queueId).bind("r", reviewer).bind("done", false).bind("now", now)
                .map(ReviewStore::mapItem).findOne();
    }

    /**
     * Locks the oldest open item that is unlocked (or whose lock expired) and that this reviewer has
     * neither reviewed nor skipped, in one statement: the row is re-checked by the UPDATE itself, so
     * two reviewers (or processes) never both win it. PostgreSQL skips rows another transaction is
     * claiming; SQLite serializes writers.
     */
    Optional<String> claim(Handle h, String queueId, String reviewer, Instant now, Instant until) {
        String free = "(locked_until IS NULL OR locked_until <= :now)";
        String pick = "SELECT i.id FROM review_items i WHERE i.queue_id = :q AND i.done = :done AND " + free
                + " AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.item_id = i.id AND d.reviewer = :r)"
                + " ORDER BY i.id LIMIT 1" + (dialect == Dialect.POSTGRES ? " FOR UPDATE SKIP LOCKED" : "");
        return h.createQuery("UPDATE review_items SET locked_by = :r, locked_until = :until WHERE id = (" + pick
                        + ") AND " + free + " RETURNING id")
                .bind("q", queueId).bind("r", reviewer).bind("now", now).bind("until", until).bind("done", false)
                .mapTo(String.class).findOne();
    }

    /** Records a reviewer's decision; false when they already decided on this item. */
    boolean insertDecision(Handle h, String projectId, ReviewItem item, String reviewer, String outcome, Instant now) {
        return h.createUpdate("INSERT INTO review_decisions (id, project_id, queue_id, item_id, reviewer, outcome, "
                        + "created_at) VALUES (:id, :p, :q, :item, :r, :o, :at) ON CONFLICT (item_id, reviewer) DO NOTHING")
                .bind("id", Ids.newId()).bind("p", projectId).bind("q", item.queueId()).bind("item", item.id())
                .bind("r", reviewer).bind("o", outcome).bind("at", now).execute() == 1;
    }

    /** Counts a review (or only releases the lock for a skip) and marks the item done at {@code needed}. */
    void release(Handle h, String itemId, boolean reviewed, int needed) {
        h.createUpdate("UPDATE review_items SET locked_by = NULL, locked_until = NULL, reviews = reviews + :inc, "
                        + "done = (reviews + :inc >= :needed) WHERE id = :id")
                .bind("inc", reviewed ? 1 : 0).bind("needed", needed).bind("id", itemId).execute();
    }

    Progress progress(String projectId, ReviewQueue queue) {
        return jdbi.withHandle(h -> {
            var totals = h.createQuery("SELECT COUNT(*) AS items, COALESCE(SUM(CASE WHEN done = :done THEN 1 ELSE 0 END), 0) "
                            + "AS finished, COALESCE(SUM(reviews), 0) AS reviews FROM review_items "
                            + "WHERE project_id = :p AND queue_id = :q")
                    .bind("done", true).bind("p", projectId).bind("q", queue.id())
                    .map((rs, ctx) -> new int[] {rs.getInt("items"), rs.getInt("finished"), rs.getInt("reviews")})
                    .one();
            List<Progress.Reviewer> reviewers = h.createQuery("SELECT reviewer, "
                            + "SUM(CASE WHEN outcome = 'reviewed' THEN 1 ELSE 0 END) AS reviewed, "
                            + "SUM(CASE WHEN outcome = 'skipped' THEN 1 ELSE 0 END) AS skipped "
                            + "FROM review_decisions WHERE project_id = :p AND queue_id = :q GROUP BY reviewer "
                            + "ORDER BY reviewed DESC, reviewer")
                    .bind("p", projectId).bind("q", queue.id())
                    .map((rs, ctx) -> new Progress.Reviewer(rs.getString("reviewer"), rs.getInt("reviewed"),
                            rs.getInt("skipped")))
                    .list();
            return new Progress(totals[0], totals[1], totals[2], totals[0] * queue.reviewersPerItem(), reviewers);
        });
    }

    /** The trace of a span that some queue of the project holds, for a span target's link. */
    Optional<String> traceOfQueuedSpan(String projectId, String spanId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT trace_id FROM review_items WHERE project_id = :p "
                        + "AND target_type = 'span' AND target_id = :id AND trace_id IS NOT NULL LIMIT 1")
                .bind("p", projectId).bind("id", spanId).mapTo(String.class).findOne());
    }

    /** Which of these traces exist in the project. */
    Set<ItemTarget> existingTraces(String projectId, List<ItemTarget> traces) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM traces WHERE project_id = :p AND id IN (<ids>)")
                .bind("p", projectId).bindList("ids", traces.stream().map(ItemTarget::id).toList())
                .map((rs, ctx) -> ItemTarget.trace(rs.getString(1))).set());
    }

    /** Which of these spans exist in the project, each in its trace. */
    Set<ItemTarget> existingSpans(String projectId, List<ItemTarget> spans) {
        return jdbi.withHandle(h -> h.createQuery("SELECT trace_id, id FROM spans WHERE project_id = :p AND "
                        + SpansOfTrace.anyOf("spans", ":p", "<traces>") + " AND id IN (<ids>)")
                .bind("p", projectId).bindList("traces", spans.stream().map(ItemTarget::traceId).distinct().toList())
                .bindList("ids", spans.stream().map(ItemTarget::id).distinct().toList())
                .map((rs, ctx) -> new ItemTarget(rs.getString(2), rs.getString(1))).set());
    }

    /** The human evaluators that queues link to a judge with {@code calibrates}. */
    List<String> humanEvaluatorsCalibrating(String projectId, String judge) {
        List<String> names = new ArrayList<>();
        for (ReviewQueue q : queues(projectId)) {
            q.evaluators().stream().filter(e -> judge.equals(e.calibrates())).map(ReviewQueue.QueueEvaluator::name)
                    .filter(n -> !names.contains(n)).forEach(names::add);
        }
        return names;
    }

    /** A pass/fail verdict from the scores table (errors and scores without a pass are left out). */
    record Verdict(TargetType targetType, String targetId, String evaluatorName, String source, boolean passed,
                   String author, String reason) {
    }

    /** The judge's and the human evaluators' verdicts, oldest first (at most {@code limit}). */
    List<Verdict> verdicts(String projectId, String judge, List<String> humanEvaluators, int limit) {
        List<String> names = new ArrayList<>(humanEvaluators);
        names.add(judge);
        return jdbi.withHandle(h -> h.createQuery("SELECT target_type, target_id, evaluator_name, source, passed, author, "
                        + "reason FROM scores WHERE project_id = :p AND evaluator_name IN (<names>) AND error IS NULL "
                        + "AND passed IS NOT NULL ORDER BY id LIMIT :limit")
                .bind("p", projectId).bindList("names", names).bind("limit", limit)
                .map((rs, ctx) -> new Verdict(TargetType.valueOf(rs.getString("target_type").toUpperCase(Locale.ROOT)),
                        rs.getString("target_id"), rs.getString("evaluator_name"), rs.getString("source"),
                        rs.getBoolean("passed"), rs.getString("author"), rs.getString("reason")))
                .list());
    }

    private static ReviewQueue mapQueue(ResultSet rs, StatementContext ctx) throws SQLException {
        double rate = rs.getDouble("sample_rate");
        ReviewQueue.Sampling sampling = rs.wasNull() ? null
                : new ReviewQueue.Sampling(rs.getString("sample_trace_name"), rate);
        List<ReviewQueue.QueueEvaluator> evaluators = List.of(Json.read(rs.getString("evaluators"),
                ReviewQueue.QueueEvaluator[].class));
        return new ReviewQueue(rs.getString("id"), rs.getString("name"), rs.getString("instructions"), evaluators,
                rs.getInt("reviewers_per_item"), rs.getInt("lock_seconds"), sampling, rs.getString("created_by"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static ReviewItem mapItem(ResultSet rs, StatementContext ctx) throws SQLException {
        long until = rs.getLong("locked_until");
        Instant lockedUntil = rs.wasNull() ? null : Instant.ofEpochMilli(until);
        return new ReviewItem(rs.getString("id"), rs.getString("queue_id"),
                TargetType.valueOf(rs.getString("target_type").toUpperCase(Locale.ROOT)), rs.getString("target_id"),
                rs.getString("trace_id"), rs.getInt("reviews"), rs.getBoolean("done"), rs.getString("locked_by"), lockedUntil,
                Instant.ofEpochMilli(rs.getLong("added_at")));
    }
}
