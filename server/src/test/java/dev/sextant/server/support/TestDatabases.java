package dev.sextant.server.support;

import dev.sextant.server.db.Dialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Databases for tests: a SQLite file in a temp dir, or a fresh database on one embedded
 * PostgreSQL server shared by the whole test JVM (started on first use).
 */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    /** A database URL for {@code dialect}; SQLite files go in {@code dir}. */
    public static String url(Dialect dialect, Path dir) {
        return dialect == Dialect.SQLITE ? "jdbc:sqlite:" + dir.resolve("test.db").toAbsolutePath() : newPostgresDatabase();
    }

    /** A new, empty PostgreSQL database (as a {@code jdbc:postgresql://} URL with credentials). */
    public static synchronized String newPostgresDatabase() {
        EmbeddedPostgres pg = postgres();
        String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database", e);
        }
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + name + "?user=postgres&password=postgres";
    }

    private static EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return postgres;
    }
}
