package dev.sextant.server.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.auth.Role;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.models.sim.SimScript;
import dev.sextant.server.models.sim.SimServer;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.LogCapture;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProviderCredentialsTest {
    private static final String SECRET = "sk-live-THIS-IS-THE-SECRET-0123456789abcdef";

    private static Map<String, Object> run(String provider) {
        return Map.of("messages", List.of(Map.of("role", "user", "content", "hello")),
                "model", Map.of("provider", provider, "name", "sim-1"));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void keysAreEncryptedAtRestUsedForCallsAndNeverReturnedOrLogged(Dialect dialect) throws Exception {
        try (LogCapture logs = new LogCapture();
             SimServer provider = SimServer.startLocal(SimScript.parse("apiKey: " + SECRET));
             TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            Http.Response saved = api.put("/api/providers/acme", Map.of("kind", "openai-compatible",
                    "baseUrl", provider.baseUrl(), "apiKey", SECRET));
            assertThat(saved.status()).isEqualTo(200);
            assertThat(saved.json().path("apiKeySet").asBoolean()).isTrue();
            assertThat(saved.json().path("apiKeyLast4").asText()).isEqualTo("cdef");

            String stored = server.services().database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT api_key_ciphertext FROM model_providers WHERE name = 'acme'").mapTo(String.class).one());
            assertThat(stored).isNotBlank().doesNotContain(SECRET).doesNotContain("THIS-IS-THE-SECRET");

            Http.Response ran = api.post("/api/playground/run", run("acme"));
            assertThat(ran.status()).as(ran.body()).isEqualTo(200);
            assertThat(ran.json().path("result").path("text").asText()).isNotBlank();
            assertThat(provider.stats().requests()).isEqualTo(1);

            // A key the provider rejects gives a clean error that does not echo it.
            api.put("/api/providers/acme", Map.of("kind", "openai-compatible", "baseUrl", provider.baseUrl(),
                    "apiKey", SECRET + "-wrong"));
            Http.Response rejected = api.post("/api/playground/run", run("acme"));
            assertThat(rejected.status()).isEqualTo(502);
            assertThat(rejected.errorCode()).isEqualTo("provider_auth");

            List<Http.Response> reads = List.of(saved, ran, rejected, api.get("/api/providers"),
                    api.get("/api/providers/acme"), api.get("/api/audit"));
            for (Http.Response r : reads) {
                assertThat(r.body()).doesNotContain(SECRET);
            }
            WebSession admin = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            String page = admin.http().get("/p/" + server.project().slug() + "/settings/providers").body();
            assertThat(page).contains("acme").contains("…rong").doesNotContain(SECRET);
            assertThat(logs.lines()).noneMatch(line -> line.contains(SECRET));
        }
    }

    @Test
    void theMasterKeyFileIsCreatedOwnerOnlyAndTheEnvKeyIsUsedWhenGiven() throws Exception {
        try (TestServer server = TestServer.start()) {
            var file = server.dataDir().resolve(MasterKey.FILE);
            assertThat(file).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        try (TestServer server = TestServer.start(Dialect.SQLITE, Map.of(ConfigKey.MASTER_KEY, key))) {
            assertThat(server.dataDir().resolve(MasterKey.FILE)).doesNotExist();
            assertThat(server.api().put("/api/providers/openai", Map.of("apiKey", SECRET)).status()).isEqualTo(200);
            assertThat(server.services().providers().resolve(server.project().id(), "openai"))
                    .hasValueSatisfying(e -> assertThat(e.apiKey()).isEqualTo(SECRET));
        }
    }

    @Test
    void onlyEngineersManageProvidersAndBadInputIsA4xx() {
        try (TestServer server = TestServer.start()) {
            server.member(server.project(), Role.EXPERT, "expert@test.local");
            Http expert = WebSession.login(server.url(), "expert@test.local", "password-expert").http()
                    .withHeader("X-Sextant-Project", server.project().slug());
            assertThat(expert.get("/api/providers").status()).isEqualTo(403);
            assertThat(expert.put("/api/providers/openai", Map.of("apiKey", SECRET)).status()).isEqualTo(403);

            Http api = server.api();
            assertThat(api.put("/api/providers/Bad_Name", Map.of()).status()).isEqualTo(422);
            assertThat(api.put("/api/providers/x", Map.of("kind", "nope")).errorCode()).isEqualTo("invalid");
            assertThat(api.put("/api/providers/local", Map.of("kind", "openai-compatible")).status()).isEqualTo(422);
            assertThat(api.put("/api/providers/local", Map.of("kind", "openai-compatible", "baseUrl", "ftp://x"))
                    .status()).isEqualTo(422);
            assertThat(api.delete("/api/providers/missing").status()).isEqualTo(404);
            assertThat(api.get("/api/providers").json().path("data").findValuesAsText("name")).containsExactly("sim");

            Http.Response noKey = api.post("/api/playground/run", run("unknown"));
            assertThat(noKey.status()).isEqualTo(422);
            assertThat(noKey.errorCode()).isEqualTo("provider_not_configured");
        }
    }
}
