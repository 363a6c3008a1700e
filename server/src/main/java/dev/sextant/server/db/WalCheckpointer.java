package dev.sextant.server.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log back into the database file on its own thread and connection.
 * Pool connections run with {@code wal_autocheckpoint=0}: otherwise the connection that commits
 * copies the whole log (and syncs the database file) inside the commit, and the ingestion writer
 * would spend half its time there. A passive checkpoint never blocks writers or readers, but under
 * steady writes it never catches up with the end of the log, so the log is never reused and keeps
 * growing; past {@link #RESTART_FRAMES} a restarting checkpoint pauses writers while it copies the
 * little that the passive one left and rewinds the log. A writer that commits back to back would
 * starve that checkpoint (it never sees the write lock free), so such a writer calls
 * {@link #restartIfWanted} between its transactions.
 *
 * <p>How often to checkpoint trades latency for throughput. Frequent small checkpoints keep each
 * sync short, so commits rarely queue behind a large one (p99 at 5,000 spans/s: 55 ms every 50 ms
 * against 82-100 ms every 500 ms, same runs). But index pages rewritten by many commits are copied
 * once per checkpoint, so while the writer is saturated, checkpoints space out and the log may grow
 * larger before a restart: a page of an index keyed by random ids is then written again by several
 * commits before it is copied once. Sustained ingestion is bound by the disk's write bandwidth, and
 * this cut the checkpoint's share (5-span traces unpaced, 150 s: 19,900 spans/s with a 1 s period
 * and a 256 MiB log, 22,900 with 4 s and 1 GiB). Measured on 2 cores.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    private static final long PERIOD_MILLIS = 50;
    private static final long SATURATED_PERIOD_MILLIS = 4_000;
    /** How long after the writer's last report of saturation the saturated pace holds. */
    private static final long SATURATION_MEMORY_MILLIS = 1_000;
    /**
     * 4 KiB pages: about 256 MiB of log. A restart pauses the writer 10-90 ms; larger logs made
     * the pauses longer (p99 at 5,000 spans/s: 55-98 ms at 64k frames, 67-94 at 128k, 84-94 at 200k).
     */
    private static final int RESTART_FRAMES = 65_536;
    /**
     * While saturated: 1 GiB. The log file then peaks near 2.7 GB; once the pace drops, the first
     * commit after a restart cuts it back to {@link #LOG_SIZE_LIMIT_BYTES}.
     */
    private static final int SATURATED_RESTART_FRAMES = 262_144;
    /** Set as {@code journal_size_limit} on every connection: a rewound log is cut back to this. */
    static final long LOG_SIZE_LIMIT_BYTES = 256L << 20;

    private final DataSource dataSource;
    private final Thread thread;
    private volatile boolean running = true;
    private final AtomicBoolean restartWanted = new AtomicBoolean();
    /** When a writer last reported being saturated (System.nanoTime). */
    private volatile long lastSaturatedNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    /**
     * Held around every checkpoint: a restart requested by a writer waits for the passive one in
     * progress to end (a precise hand-over, instead of SQLite's busy handler polling for up to 100 ms).
     */
    private final ReentrantLock checkpointing = new ReentrantLock();

    WalCheckpointer(DataSource dataSource) {
        this.dataSource = dataSource;
        this.thread = Thread.ofPlatform().name("sextant-wal-checkpoint").daemon().start(this::loop);
    }

    private void loop() {
        while (running) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = 10000");
                while (running) {
                    boolean saturated = saturated();
                    Thread.sleep(saturated ? SATURATED_PERIOD_MILLIS : PERIOD_MILLIS);
                    int logFrames = locked(statement, "PASSIVE");
                    // Asked once and not served by a writer within a period: nobody is writing back
                    // to back, so the restart gets the lock here.
                    int restartAt = saturated ? SATURATED_RESTART_FRAMES : RESTART_FRAMES;
                    if (logFrames > restartAt && !restartWanted.compareAndSet(false, true)
                            && restartWanted.getAndSet(false)) {
                        locked(statement, "RESTART");
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                LOG.warn("WAL checkpoint failed, retrying: {}", e.toString());
                sleepQuietly();
            }
        }
    }

    /** For a writer that is saturated: checkpoints space out while it reports so. */
    void writerSaturated() {
        lastSaturatedNanos = System.nanoTime();
    }

    boolean saturated() {
        return System.nanoTime() - lastSaturatedNanos < TimeUnit.MILLISECONDS.toNanos(SATURATION_MEMORY_MILLIS);
    }

    /** Rewinds the log if the checkpointer asked for it; for writers between their transactions. */
    void restartIfWanted() {
        if (!restartWanted.getAndSet(false)) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 10000");
            locked(statement, "RESTART");
        } catch (SQLException e) {
            LOG.warn("WAL restart failed: {}", e.toString());
        }
    }

    private int locked(Statement statement, String mode) throws SQLException {
        checkpointing.lock();
        try {
            return checkpoint(statement, mode);
        } finally {
            checkpointing.unlock();
        }
    }

    /** Runs one checkpoint and returns the log's size in frames. */
    private static int checkpoint(Statement statement, String mode) throws SQLException {
        try (ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            return result.next() ? result.getInt(2) : 0;
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread; the last checkpoint happens when the final connection closes. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
