package dev.sextant.server.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log back into the database file on its own thread and connection.
 * Pool connections run with {@code wal_autocheckpoint=0}: otherwise the connection that commits
 * copies the whole log (and syncs the database file) inside the commit, and the ingestion writer
 * would spend half its time there. A passive checkpoint never blocks writers or readers; when the
 * log still grows past {@link #TRUNCATE_FRAMES} (readers keep old frames alive), one truncating
 * checkpoint waits for them so the file cannot grow without bound.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    private static final long PERIOD_MILLIS = 100;
    /** 4 KiB pages: about 400 MiB of log. */
    private static final int TRUNCATE_FRAMES = 100_000;

    private final DataSource dataSource;
    private final Thread thread;
    private volatile boolean running = true;

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
                    int logFrames = checkpoint(statement, "PASSIVE");
                    if (logFrames > TRUNCATE_FRAMES) {
                        checkpoint(statement, "TRUNCATE");
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
