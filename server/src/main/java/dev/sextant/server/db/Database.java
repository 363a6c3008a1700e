package dev.sextant.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Types;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The opened database: a pooled DataSource, migrated with Flyway, wrapped in JDBI. Times are
 * stored as epoch milliseconds (BIGINT) in both dialects so that SQL stays portable.
 */
public final class Database implements AutoCloseable {
    private final Dialect dialect;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final WalCheckpointer checkpointer;
    private final LogSync logSync;

    private Database(Dialect dialect, HikariDataSource dataSource, WalCheckpointer checkpointer, LogSync logSync) {
        this.dialect = dialect;
        this.dataSource = dataSource;
        this.checkpointer = checkpointer;
        this.logSync = logSync;
        this.jdbi = Jdbi.create(dataSource);
        registerInstantMapping(jdbi);
    }

    public static Database open(DatabaseUrl url, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("sextant-db");
        if (url.dialect() == Dialect.SQLITE) {
            ensureParentDir(url.jdbcUrl());
            config.setDataSource(sqliteDataSource(url.jdbcUrl()));
            // SQLite has one writer; a few connections let readers proceed under WAL.
            config.setMaximumPoolSize(Math.min(poolSize, 8));
        } else {
            config.setJdbcUrl(url.jdbcUrl());
            if (url.user() != null) {
                config.setUsername(url.user());
            }
            if (url.password() != null) {
                config.setPassword(url.password());
            }
            config.setMaximumPoolSize(poolSize);
        }
        config.setConnectionTimeout(10_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/" + url.dialect().migrationFolder())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        WalCheckpointer checkpointer = url.dialect() == Dialect.SQLITE
                ? new WalCheckpointer(sqliteDataSource(url.jdbcUrl())) : null;
        Path file = url.dialect() == Dialect.SQLITE ? sqliteFile(url.jdbcUrl()) : null;
        LogSync logSync = file == null ? LogSync.none() : LogSync.of(Path.of(file + "-wal"));
        return new Database(url.dialect(), dataSource, checkpointer, logSync);
    }

    private static SQLiteDataSource sqliteDataSource(String jdbcUrl) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: a commit is on disk before we acknowledge it, even across power loss.
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.enforceForeignKeys(true);
        sqlite.setBusyTimeout(10_000);
        // 64 MiB page cache per connection (default 2 MiB), taken as pages are read: the index pages
        // that ingestion updates stay in memory instead of being read back through the file system.
        sqlite.setCacheSize(-65_536);
        // WalCheckpointer copies the log back on its own connection, off every commit path.
        sqlite.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "0");
        sqlite.setPragma(SQLiteConfig.Pragma.JOURNAL_SIZE_LIMIT, Long.toString(WalCheckpointer.LOG_SIZE_LIMIT_BYTES));
        // Write transactions take the write lock up front; a deferred one that read first could not
        // upgrade after another writer committed and would fail with SQLITE_BUSY at once.
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource ds = new SQLiteDataSource(sqlite);
        ds.setUrl(jdbcUrl);
        return ds;
    }

    /**
     * The database file of a plain SQLite URL; null for in-memory, {@code file:} and parameterized
     * URLs (whose commits then sync themselves: no log path is guessed).
     */
    private static Path sqliteFile(String jdbcUrl) {
        String path = jdbcUrl.substring("jdbc:sqlite:".length());
        if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:") || path.contains("?")) {
            return null;
        }
        return Path.of(path).toAbsolutePath();
    }

    private static void ensureParentDir(String jdbcUrl) {
        Path file = sqliteFile(jdbcUrl);
        if (file == null) {
            return;
        }
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create database directory for " + file, e);
        }
    }

    private static void registerInstantMapping(Jdbi jdbi) {
        jdbi.registerColumnMapper(Instant.class, (rs, column, ctx) -> {
            long millis = rs.getLong(column);
            return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
        });
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(Types.BIGINT) {
            @Override
            protected Argument build(Instant value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setLong(position, value.toEpochMilli());
            }
        });
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * For a writer that commits back to back (trace ingestion), between two transactions: lets
     * SQLite's log be rewound when it has grown large, which a busy writer would otherwise prevent.
     * {@code saturated}: the writer had work all the time lately, so checkpoints favour throughput.
     */
    public void yieldToCheckpoint(boolean saturated) {
        if (checkpointer != null) {
            if (saturated) {
                checkpointer.writerSaturated();
            }
            checkpointer.restartIfWanted();
        }
    }

    /**
     * Runs a transaction whose commit does not wait for the disk when {@link #logSync} can make it
     * durable later: the caller must acknowledge it only through {@code logSync().whenDurable}.
     */
    public void useTransactionUnsynced(HandleConsumer<RuntimeException> work) {
        if (!logSync.syncsLog()) {
            jdbi.useTransaction(work);
            return;
        }
        // While the writer is saturated, a rewound log keeps its file: cutting it back to the size
        // limit and growing it again at every restart cost 8 % of sustained ingestion. The first
        // commit after a restart at a calmer pace cuts it back.
        boolean keepLogFile = checkpointer != null && checkpointer.saturated();
        jdbi.useHandle(h -> {
            h.execute("PRAGMA synchronous = NORMAL");
            if (keepLogFile) {
                h.execute("PRAGMA journal_size_limit = -1");
            }
            try {
                h.useTransaction(work);
            } finally {
                h.execute("PRAGMA synchronous = FULL");
                if (keepLogFile) {
                    h.execute("PRAGMA journal_size_limit = " + WalCheckpointer.LOG_SIZE_LIMIT_BYTES);
                }
            }
        });
    }

    public LogSync logSync() {
        return logSync;
    }

    /** Cheap liveness check used by {@code /health}. */
    public boolean isHealthy() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        logSync.close();
        if (checkpointer != null) {
            checkpointer.close();
        }
        dataSource.close();
    }
}
