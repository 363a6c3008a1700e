package dev.sextant.server.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * {@link #restartIfWanted()} between its transactions. Measured at 5,000 spans/s: restarts at 64k
 * frames pause ingestion 10-50 ms each; truncating at 100k frames paused it about 200 ms.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    private static final long PERIOD_MILLIS = 50;
    /** 4 KiB pages: about 256 MiB of log. */
    private static final int RESTART_FRAMES = 65_536;

    private final DataSource dataSource;
    private final Thread thread;
    private volatile boolean running = true;
    private final AtomicBoolean restartWanted = new AtomicBoolean();
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
                    Thread.sleep(PERIOD_MILLIS);
                    int logFrames = locked(statement, "PASSIVE");
                    // Asked once and not served by a writer within a period: nobody is writing back
                    // to back, so the restart gets the lock here.
                    if (logFrames > RESTART_FRAMES && !restartWanted.compareAndSet(false, true)
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
