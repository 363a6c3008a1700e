package dev.sextant.server.jobs;

import dev.sextant.server.db.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * SQL for the durable job queue. Claiming is one UPDATE … RETURNING over the ready jobs; on
 * PostgreSQL the candidate rows are locked with FOR UPDATE SKIP LOCKED so concurrent processes
 * never claim the same job, and on SQLite the single writer lock gives the same guarantee.
 */
final class JobStore {
    private final Jdbi jdbi;
    private final Dialect dialect;

    JobStore(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    void insert(Handle h, Job job) {
        h.createUpdate("INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_after, created_at, "
                        + "updated_at) VALUES (:id, :kind, :payload, 'queued', 0, :max, :runAfter, :now, :now)")
                .bind("id", job.id()).bind("kind", job.kind()).bind("payload", job.payload())
                .bind("max", job.maxAttempts()).bind("runAfter", job.runAfter()).bind("now", job.createdAt())
                .execute();
    }

    /** Claims up to {@code limit} ready jobs (queued and due, or running with an expired lease). */
    List<Job> claim(String owner, Instant now, Instant leaseUntil, int limit) {
        String lock = dialect == Dialect.POSTGRES ? " FOR UPDATE SKIP LOCKED" : "";
        String sql = "UPDATE jobs SET status = 'running', lease_owner = :owner, lease_until = :leaseUntil, "
                + "attempts = attempts + 1, updated_at = :now WHERE id IN (SELECT id FROM jobs WHERE "
                + "(status = 'queued' AND run_after <= :now) OR (status = 'running' AND lease_until < :now) "
                + "ORDER BY run_after LIMIT :limit" + lock + ") RETURNING *";
        return jdbi.inTransaction(h -> h.createQuery(sql)
                .bind("owner", owner).bind("leaseUntil", leaseUntil).bind("now", now).bind("limit", limit)
                .map(JobStore::map).list());
    }

    /** Marks a job done, only if this worker still holds its lease. */
    boolean complete(String id, String owner, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE jobs SET status = 'done', lease_owner = NULL, "
                        + "lease_until = NULL, updated_at = :now WHERE id = :id AND lease_owner = :owner "
                        + "AND status = 'running'")
                .bind("id", id).bind("owner", owner).bind("now", now).execute()) == 1;
    }

    /** Records a failed attempt: back to the queue at {@code retryAt}, or failed for good. */
    boolean fail(String id, String owner, String error, Instant retryAt, boolean giveUp, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE jobs SET status = :status, run_after = :retryAt, "
                        + "last_error = :error, lease_owner = NULL, lease_until = NULL, updated_at = :now "
                        + "WHERE id = :id AND lease_owner = :owner AND status = 'running'")
                .bind("status", giveUp ? "failed" : "queued").bind("retryAt", retryAt).bind("error", error)
                .bind("id", id).bind("owner", owner).bind("now", now).execute()) == 1;
    }

    boolean extendLease(String id, String owner, Instant leaseUntil) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE jobs SET lease_until = :until WHERE id = :id "
                        + "AND lease_owner = :owner AND status = 'running'")
                .bind("id", id).bind("owner", owner).bind("until", leaseUntil).execute()) == 1;
    }

    Optional<Job> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM jobs WHERE id = :id").bind("id", id)
                .map(JobStore::map).findOne());
    }

    int countByStatus(Job.Status status) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM jobs WHERE status = :s")
                .bind("s", status.id()).mapTo(Integer.class).one());
    }

    int deleteFinishedBefore(Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM jobs WHERE status = 'done' AND updated_at < :c")
                .bind("c", cutoff).execute());
    }

    private static Job map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Job(rs.getString("id"), rs.getString("kind"), rs.getString("payload"),
                Job.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)), rs.getInt("attempts"),
                rs.getInt("max_attempts"), instant(rs, "run_after"), rs.getString("lease_owner"),
                instant(rs, "lease_until"), rs.getString("last_error"), instant(rs, "created_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
