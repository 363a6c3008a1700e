package dev.sextant.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.server.db.DatabaseUrl;
import dev.sextant.server.db.Dialect;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void anEmptyUrlMeansSqliteInTheDataDir() {
        DatabaseUrl url = DatabaseUrl.parse("", Path.of("/var/sextant"));
        assertThat(url.dialect()).isEqualTo(Dialect.SQLITE);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:/var/sextant/sextant.db");
    }

    @Test
    void postgresUrisAreTurnedIntoJdbcWithCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:s%40cret@db.internal/sextant?sslmode=require", Path.of("."));
        assertThat(url.dialect()).isEqualTo(Dialect.POSTGRES);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/sextant?sslmode=require");
        assertThat(url.user()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("s@cret");
        assertThat(url.toString()).doesNotContain("s@cret").doesNotContain("s%40cret");
    }

    @Test
    void unsupportedUrlsAreRejectedWithoutEchoingThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root:hunter2@x/db", Path.of(".")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("postgresql://")
                .hasMessageNotContaining("hunter2");
    }
}
