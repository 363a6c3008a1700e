package dev.sextant.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.server.support.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogSyncTest {

    @Test
    void anUnsyncedCommitIsAcknowledgedOnceTheLogFileIsSyncedAndItsConnectionIsBackToFullSync() throws Exception {
        Path dir = Files.createTempDirectory("sextant-sync-");
        try (Database db = Database.open(DatabaseUrl.parse(TestDatabases.url(Dialect.SQLITE, dir), dir), 1)) {
            assertThat(db.logSync().syncsLog()).isTrue();
            db.jdbi().useHandle(h -> h.execute("CREATE TABLE notes (body TEXT)"));
            db.useTransactionUnsynced(h -> {
                assertThat(h.createQuery("PRAGMA synchronous").mapTo(Integer.class).one()).isEqualTo(1);
                h.execute("INSERT INTO notes VALUES ('kept')");
            });
            CompletableFuture<Void> acknowledged = new CompletableFuture<>();
            db.logSync().whenDurable(List.of(acknowledged));
            acknowledged.get(10, TimeUnit.SECONDS);
            // One pool connection: the same one the writer used, back to syncing every commit.
            int synchronous = db.jdbi().withHandle(h -> h.createQuery("PRAGMA synchronous").mapTo(Integer.class).one());
            assertThat(synchronous).isEqualTo(2);
            String kept = db.jdbi().withHandle(h -> h.createQuery("SELECT body FROM notes").mapTo(String.class).one());
            assertThat(kept).isEqualTo("kept");
        }
    }

    @Test
    void whenTheLogCannotBeSyncedNothingIsAcknowledged() throws Exception {
        Path missing = Files.createTempDirectory("sextant-sync-").resolve("gone.db-wal");
        try (LogSync sync = LogSync.of(missing)) {
            CompletableFuture<Void> acknowledged = new CompletableFuture<>();
            sync.whenDurable(List.of(acknowledged));
            assertThatThrownBy(() -> acknowledged.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("gone.db-wal");
        }
    }

    @Test
    void postgresCommitsAreDurableWhenTheyReturnSoAcknowledgementsCompleteAtOnce() {
        LogSync none = LogSync.none();
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        none.whenDurable(List.of(acknowledged));
        assertThat(none.syncsLog()).isFalse();
        assertThat(acknowledged).isCompleted();
    }
}
