package dev.sextant.server.support;

import dev.sextant.server.db.DatabaseUrl;
import dev.sextant.server.db.Dialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * A fresh database migrated only up to an older schema version, as an earlier release left it:
 * fill it through {@link #jdbi()}, then open {@link #url()} with {@code Database.open} to upgrade it.
 */
public record OlderSchema(DatabaseUrl url, Jdbi jdbi) {

    public static OlderSchema at(Dialect dialect, String version) throws IOException {
        Path dir = Files.createTempDirectory("sextant-upgrade-");
        DatabaseUrl url = DatabaseUrl.parse(TestDatabases.url(dialect, dir), dir);
        Flyway.configure().dataSource(url.jdbcUrl(), url.user(), url.password())
                .locations("classpath:db/migration/" + dialect.migrationFolder()).target(version).load().migrate();
        Jdbi jdbi = url.user() == null ? Jdbi.create(url.jdbcUrl()) : Jdbi.create(url.jdbcUrl(), url.user(), url.password());
        return new OlderSchema(url, jdbi);
    }
}
