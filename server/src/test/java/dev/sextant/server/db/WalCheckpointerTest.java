package dev.sextant.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.support.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

class WalCheckpointerTest {

    @Test
    void commitsLeaveTheCheckpointToTheBackgroundThreadWhichCopiesTheLogIntoTheDatabaseFile() throws Exception {
        Path dir = Files.createTempDirectory("sextant-wal-");
        try (Database db = Database.open(DatabaseUrl.parse(TestDatabases.url(Dialect.SQLITE, dir), dir), 4)) {
            Path file = dir.resolve("test.db");
            int autoCheckpoint = db.jdbi().withHandle(h -> h.createQuery("PRAGMA wal_autocheckpoint")
                    .mapTo(Integer.class).one());
            assertThat(autoCheckpoint).isZero();

            long before = Files.size(file);
            db.jdbi().useHandle(h -> h.execute("CREATE TABLE filler (body TEXT)"));
            for (int i = 0; i < 200; i++) {
                db.jdbi().useHandle(h -> h.execute("INSERT INTO filler VALUES (?)", "x".repeat(4_000)));
            }
            // Without autocheckpoints the rows reach the database file only through the checkpointer.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (Files.size(file) < before + 200 * 4_000 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.size(file)).isGreaterThanOrEqualTo(before + 200 * 4_000);
        }
    }

    @Test
    void aSaturatedWriterKeepsTheLogFileWhileEveryOtherCommitMayCutItBack() throws Exception {
        Path dir = Files.createTempDirectory("sextant-wal-");
        try (Database db = Database.open(DatabaseUrl.parse(TestDatabases.url(Dialect.SQLITE, dir), dir), 1)) {
            db.jdbi().useHandle(h -> h.execute("CREATE TABLE filler (body TEXT)"));
            assertThat(logSizeLimit(db)).isEqualTo(WalCheckpointer.LOG_SIZE_LIMIT_BYTES);

            AtomicLong during = new AtomicLong();
            db.useTransactionUnsynced(h -> during.set(logSizeLimit(h)));
            assertThat(during).hasValue(WalCheckpointer.LOG_SIZE_LIMIT_BYTES);

            db.yieldToCheckpoint(true);
            db.useTransactionUnsynced(h -> during.set(logSizeLimit(h)));
            assertThat(during).hasValue(-1);
            // The pool's one connection is back to the limit for whoever commits next.
            assertThat(logSizeLimit(db)).isEqualTo(WalCheckpointer.LOG_SIZE_LIMIT_BYTES);
        }
    }

    private static long logSizeLimit(Database db) {
        return db.jdbi().withHandle(WalCheckpointerTest::logSizeLimit);
    }

    private static long logSizeLimit(Handle h) {
        return h.createQuery("PRAGMA journal_size_limit").mapTo(Long.class).one();
    }
}
