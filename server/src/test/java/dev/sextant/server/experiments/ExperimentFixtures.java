package dev.sextant.server.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small dataset, a prompt in two versions and two evaluators, answered by a fast sim. */
public final class ExperimentFixtures {
    /** Three questions the sim answers specifically (judge passes), three it dodges (judge fails). */
    static final List<String> QUESTIONS = List.of("How do I reset my password?", "How long does shipping take?",
            "How do I cancel my plan?", "Is there a dark mode?", "Can I print my notes?", "Do you have an API?");

    private ExperimentFixtures() {
    }

    /** The built-in support-bot sim script with the given fixed latency. */
    public static Map<ConfigKey, String> simWithLatency(int ms) {
        try (InputStream in = ExperimentFixtures.class.getResourceAsStream("/sim/support-bot.yaml")) {
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replaceFirst("latency: \\{[^}]*}", "latency: {distribution: fixed, ms: " + ms + "}");
            Path file = Files.createTempFile("sim-", ".yaml");
            Files.writeString(file, script);
            return Map.of(ConfigKey.SIM_SCRIPT, file.toString(), ConfigKey.MODEL_CONCURRENCY, "64");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A SQLite server whose sim answers after {@code simLatencyMs}, seeded with {@link #seed}. */
    public static TestServer seededServer(int simLatencyMs) {
        TestServer server = TestServer.start(Dialect.SQLITE, simWithLatency(simLatencyMs));
        seed(server.api());
        return server;
    }

    public static void seed(Http api) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (String q : QUESTIONS) {
            items.add(Map.of("input", Map.of("question", q), "expectedOutput", "An answer to: " + q));
        }
        created(api.post("/api/datasets", Map.of("name", "faq", "items", items)));
        created(api.post("/api/prompts", Map.of("name", "answer", "messages",
                List.of(Map.of("role", "user", "content", "{{question}}")),
                "model", Map.of("provider", "sim", "name", "sim-1"), "labels", List.of("production"))));
        created(api.post("/api/prompts", Map.of("name", "answer", "messages",
                List.of(Map.of("role", "system", "content", "Be brief."), Map.of("role", "user", "content",
                        "{{question}}")), "model", Map.of("provider", "sim", "name", "sim-2"))));
        // v3 ignores the question: the sim dodges every time, so the judge fails all of them.
        created(api.post("/api/prompts", Map.of("name", "answer", "messages",
                List.of(Map.of("role", "user", "content", "Say something nice.")),
                "model", Map.of("provider", "sim", "name", "sim-1"))));
        created(api.post("/api/evaluators", Map.of("name", "answers", "kind", "llm",
                "config", Map.of("preset", "answers-question"))));
        created(api.post("/api/evaluators", Map.of("name", "short", "kind", "code",
                "config", Map.of("builtin", "length", "params", Map.of("max", 600, "unit", "chars")))));
    }

    public static Map<String, Object> promptTarget(String label, Integer version) {
        return version == null ? Map.of("type", "prompt", "prompt", "answer", "label", label)
                : Map.of("type", "prompt", "prompt", "answer", "version", version);
    }

    public static JsonNode start(Http api, Map<String, Object> body) {
        Http.Response response = api.post("/api/experiments", body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    /** Starts the seeded dataset against the production prompt, without evaluators; returns its id. */
    public static String startedOnProduction(Http api) {
        return start(api, Map.of("dataset", "faq", "targets", List.of(promptTarget("production", null))))
                .path("experiment").path("id").asText();
    }

    /** Runs the seeded dataset against the production prompt, judged by "answers"; returns its id once completed. */
    public static String completed(Http api) {
        String id = start(api, Map.of("dataset", "faq", "targets", List.of(promptTarget("production", null)),
                "evaluators", List.of("answers"), "concurrency", 4)).path("experiment").path("id").asText();
        awaitStatus(api, id, "completed");
        return id;
    }

    /** The experiment's first run. */
    public static JsonNode firstRun(Http api, String experimentId) {
        return api.get("/api/experiments/" + experimentId).json().path("experiment").path("runs").get(0);
    }

    /** The id of the first item (row) of the experiment's first run. */
    public static String firstItem(Http api, String experimentId) {
        return api.get("/api/experiments/" + experimentId + "/runs/" + firstRun(api, experimentId).path("id").asText()
                + "/items?limit=1").json().path("data").get(0).path("id").asText();
    }

    public static JsonNode awaitStatus(Http api, String id, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                api.get("/api/experiments/" + id).json().path("experiment").path("status").asText().equals(status));
        return api.get("/api/experiments/" + id).json();
    }

    private static void created(Http.Response response) {
        assertThat(response.status()).as(response.body()).isIn(200, 201);
    }
}
