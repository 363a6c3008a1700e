package dev.sextant.server.playground;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.Role;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.http.Json;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PlaygroundApiTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Path script = Files.createTempFile("sim-", ".yaml");
        Files.writeString(script, """
                rules:
                  - match: {lastUser: "(?i)refund for order (\\\\d+)"}
                    reply: "Your refund for order {{1}} is on its way."
                  - match: {lastUser: "weather in (\\\\w+)", tool: get_weather}
                    toolCalls: [{name: get_weather, arguments: {city: "{{1}}"}}]
                """);
        server = TestServer.start(Dialect.SQLITE, Map.of(ConfigKey.SIM_SCRIPT, script.toString()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Map<String, Object> run(String user, Map<String, String> variables) {
        return Map.of("messages", List.of(Map.of("role", "system", "content", "You support {{product}}."),
                        Map.of("role", "user", "content", user)),
                "variables", variables, "model", Map.of("provider", "sim", "name", "sim-1", "temperature", 0.2));
    }

    @Test
    void aRunFillsVariablesAndReturnsTheReplyWithTokensCostAndLatency() {
        Http.Response response = server.api().post("/api/playground/run",
                run("I want a refund for order {{order}}", Map.of("product", "Acme", "order", "42")));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode result = response.json().path("result");
        assertThat(result.path("text").asText()).isEqualTo("Your refund for order 42 is on its way.");
        assertThat(result.path("usage").path("inputTokens").asInt()).isPositive();
        assertThat(result.path("usage").path("outputTokens").asInt()).isPositive();
        assertThat(result.path("costUsd").asDouble()).isPositive();
        assertThat(result.has("latencyMs")).isTrue();
        assertThat(response.json().path("messages").get(0).path("content").asText()).isEqualTo("You support Acme.");
        assertThat(response.json().path("diff").isMissingNode() || response.json().path("diff").isNull()).isTrue();
    }

    @Test
    void aMissingVariableIsA400ThatNamesIt() {
        Http.Response response = server.api().post("/api/playground/run", run("Hi {{name}}", Map.of("product", "Acme")));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("missing_variable");
        assertThat(response.json().path("error").path("message").asText()).contains("name");
    }

    @Test
    void theStreamSendsTokenEventsThenTheResult() throws Exception {
        Http.Response response = server.api().post("/api/playground/run/stream",
                run("refund for order 7", Map.of("product", "Acme")));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        JsonNode result = null;
        for (String block : new String(response.bytes(), StandardCharsets.UTF_8).split("\n\n")) {
            String event = block.lines().filter(l -> l.startsWith("event: ")).findFirst().orElseThrow().substring(7);
            JsonNode data = Json.mapper().readTree(block.lines().filter(l -> l.startsWith("data: ")).findFirst()
                    .orElseThrow().substring(6));
            events.add(event);
            if (event.equals("token")) {
                text.append(data.path("text").asText());
            } else {
                result = data;
            }
        }
        assertThat(events).hasSizeGreaterThan(3).last().isEqualTo("result");
        assertThat(text.toString()).isEqualTo("Your refund for order 7 is on its way.");
        assertThat(result.path("result").path("text").asText()).isEqualTo(text.toString());
    }

    @Test
    void badModelParametersAndToolsAre400s() {
        for (Map<String, Object> model : List.of(Map.<String, Object>of("provider", "sim", "name", "sim-1", "temperature", 7),
                Map.<String, Object>of("provider", "sim", "name", "sim-1", "maxTokens", -1),
                Map.<String, Object>of("provider", "sim", "name", "sim-1", "responseFormat", Map.of("type", "yaml")))) {
            Http.Response response = server.api().post("/api/playground/run", Map.of("model", model,
                    "messages", List.of(Map.of("role", "user", "content", "hi"))));
            assertThat(response.status()).as(response.body()).isEqualTo(400);
        }
        Http.Response badTool = server.api().post("/api/playground/run", Map.of(
                "model", Map.of("provider", "sim", "name", "sim-1"),
                "messages", List.of(Map.of("role", "user", "content", "hi")),
                "tools", List.of(Map.of("name", "has spaces", "parameters", Map.of("type", "object")))));
        assertThat(badTool.status()).isEqualTo(400);
        Http.Response badRole = server.api().post("/api/playground/run", Map.of(
                "model", Map.of("provider", "sim", "name", "sim-1"),
                "messages", List.of(Map.of("role", "wizard", "content", "hi"))));
        assertThat(badRole.status()).isEqualTo(400);
    }

    @Test
    void aStreamThatCannotStartIsAnOrdinaryJsonError() {
        Http.Response response = server.api().post("/api/playground/run/stream", Map.of("messages", List.of()));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("bad_request");
    }

    @Test
    void replayingARecordedCallShowsAWordDiffAgainstTheRecordedOutput() {
        Map<String, Object> body = new java.util.HashMap<>(run("refund for order 9", Map.of("product", "Acme")));
        body.put("recordedOutput", "Your refund for order 9 was rejected.");
        JsonNode diff = server.api().post("/api/playground/run", body).json().path("diff");
        assertThat(diff.findValuesAsText("op")).contains("equal", "delete", "insert");
        StringBuilder before = new StringBuilder();
        StringBuilder after = new StringBuilder();
        diff.forEach(s -> {
            if (!s.path("op").asText().equals("insert")) {
                before.append(s.path("text").asText());
            }
            if (!s.path("op").asText().equals("delete")) {
                after.append(s.path("text").asText());
            }
        });
        assertThat(before.toString()).isEqualTo("Your refund for order 9 was rejected.");
        assertThat(after.toString()).isEqualTo("Your refund for order 9 is on its way.");
    }

    @Test
    void viewersCannotRunButExpertsCan() {
        server.member(server.project(), Role.VIEWER, "viewer@test.local");
        server.member(server.project(), Role.EXPERT, "expert@test.local");
        String slug = server.project().slug();
        Http viewer = WebSession.login(server.url(), "viewer@test.local", "password-viewer").http()
                .withHeader("X-Sextant-Project", slug);
        Http expert = WebSession.login(server.url(), "expert@test.local", "password-expert").http()
                .withHeader("X-Sextant-Project", slug);
        Map<String, Object> body = run("hello", Map.of("product", "Acme"));
        assertThat(viewer.post("/api/playground/run", body).status()).isEqualTo(403);
        assertThat(expert.post("/api/playground/run", body).status()).isEqualTo(200);
    }

    @Test
    void thePageOpensWithAnInitialStateAndRejectsABrokenOne() {
        WebSession admin = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
        String state = Json.write(Map.of("title", "support/answer v3",
                "messages", List.of(Map.of("role", "user", "content", "<script>alert(1)</script> {{q}}")),
                "model", Map.of("provider", "sim", "name", "sim-2")));
        Http.Response page = admin.http().send("POST", "/p/" + server.project().slug() + "/playground",
                "application/x-www-form-urlencoded", WebSession.form(Map.of("state", state, "_csrf", admin.csrf())));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("support/answer v3").contains("sim-2").doesNotContain("<script>alert(1)");
        Http.Response broken = admin.http().get("/p/" + server.project().slug() + "/playground?state=%7Bnope");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.body()).contains("Could not open that playground state");
    }
}
