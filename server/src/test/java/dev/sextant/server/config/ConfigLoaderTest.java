package dev.sextant.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFileWhichBeatsDefaults() throws Exception {
        Path yaml = dir.resolve("sextant.yaml");
        Files.writeString(yaml, "port: 8000\ndata-dir: /from/yaml\ndb-url: jdbc:sqlite:/from/yaml.db\n");
        SextantConfig config = ConfigLoader.load(Map.of(ConfigKey.PORT, "9000"),
                Map.of("SEXTANT_PORT", "8500", "SEXTANT_DATA_DIR", "/from/env"), yaml, true);

        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.dataDir()).isEqualTo(Path.of("/from/env"));
        assertThat(config.dbUrl()).isEqualTo("jdbc:sqlite:/from/yaml.db");
        assertThat(config.maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
    }

    @Test
    void aMissingDefaultFileIsFineButAMissingExplicitFileIsAnError() {
        assertThat(ConfigLoader.load(Map.of(), Map.of(), dir.resolve("absent.yaml"), false).port()).isEqualTo(7070);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), dir.resolve("absent.yaml"), true))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not found");
    }

    @Test
    void unknownKeysInTheFileAreReportedByName() throws Exception {
        Path yaml = dir.resolve("sextant.yaml");
        Files.writeString(yaml, "prot: 8000\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), yaml, true))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'prot'");
    }

    @Test
    void nonNumericNumbersAreAClearError() {
        SextantConfig config = ConfigLoader.load(Map.of(), Map.of("SEXTANT_PORT", "eighty"), null, false);
        assertThatThrownBy(config::port).isInstanceOf(ConfigException.class).hasMessageContaining("eighty");
    }

    @Test
    void booleansAreTrueOrFalseAndAnythingElseIsAClearError() {
        assertThat(ConfigLoader.load(Map.of(), Map.of("SEXTANT_WEBHOOK_ALLOW_PRIVATE", "TRUE"), null, false)
                .bool(ConfigKey.WEBHOOK_ALLOW_PRIVATE)).isTrue();
        assertThat(ConfigLoader.load(Map.of(), Map.of(), null, false).bool(ConfigKey.WEBHOOK_ALLOW_PRIVATE)).isFalse();
        SextantConfig config = ConfigLoader.load(Map.of(), Map.of("SEXTANT_WEBHOOK_ALLOW_PRIVATE", "yes"), null, false);
        assertThatThrownBy(() -> config.bool(ConfigKey.WEBHOOK_ALLOW_PRIVATE)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("webhook-allow-private must be true or false");
    }

    @Test
    void everyKeyIsDocumentedInTheConfigurationGuide() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (ConfigKey key : ConfigKey.values()) {
            assertThat(docs).as("docs/configuration.md documents " + key)
                    .contains("`" + key.yamlName() + "`").contains("`" + key.envName() + "`");
        }
    }
}
