package dev.sextant.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.Sextant;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.config.SextantConfig;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.WebSession;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitialSetupTest {
    @TempDir
    Path dir;

    private SextantConfig config(Map<ConfigKey, String> extra) {
        Map<ConfigKey, String> values = new java.util.EnumMap<>(ConfigKey.class);
        values.put(ConfigKey.PORT, "0");
        values.put(ConfigKey.HOST, "127.0.0.1");
        values.put(ConfigKey.DATA_DIR, dir.toString());
        values.putAll(extra);
        return SextantConfig.of(values);
    }

    @Test
    void headlessSettingsCreateAdminProjectAndKeyOnceAcrossRestarts() {
        String key = "sk-sx-headless00000000000000000000000000";
        Map<ConfigKey, String> init = Map.of(ConfigKey.INIT_ADMIN_EMAIL, "ops@corp.example",
                ConfigKey.INIT_ADMIN_PASSWORD, "correct horse", ConfigKey.INIT_PROJECT, "Checkout",
                ConfigKey.INIT_API_KEY, key);
        for (int start = 0; start < 2; start++) {
            try (Sextant sextant = Sextant.start(config(init))) {
                String url = "http://127.0.0.1:" + sextant.port();
                Http.Response current = new Http(url).withKey(key).get("/api/projects/current");
                assertThat(current.json().path("name").asText()).isEqualTo("Checkout");
                assertThat(sextant.services().auth().allUsers()).hasSize(1);
                assertThat(sextant.services().projects().projectsFor(
                        sextant.services().auth().userByEmail("ops@corp.example").orElseThrow())).hasSize(1);
                WebSession.login(url, "ops@corp.example", "correct horse");
            }
        }
    }

    @Test
    void withoutSettingsTheFirstStartMakesAnAdminWithARandomPasswordOnlyOnce() {
        String password;
        try (Sextant sextant = Sextant.start(config(Map.of()))) {
            InitialSetup.Outcome outcome = sextant.initialSetup().orElseThrow();
            password = outcome.generatedPassword();
            assertThat(password).hasSizeGreaterThanOrEqualTo(16);
            WebSession.login("http://127.0.0.1:" + sextant.port(), outcome.admin().email(), password);
        }
        try (Sextant again = Sextant.start(config(Map.of()))) {
            assertThat(again.initialSetup()).isEmpty();
        }
    }
}
