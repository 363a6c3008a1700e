package dev.sextant.server.models.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.Json;
import dev.sextant.server.support.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sim's wire format, checked with plain HTTP (the gateway tests use the langchain4j client). */
class SimServerTest {

    private static Map<String, Object> chat(String user, boolean stream) {
        return Map.of("model", "sim-1", "stream", stream,
                "messages", List.of(Map.of("role", "user", "content", user)));
    }

    @Test
    void aCompletionHasTheOpenAiShapeWithUsage() {
        try (SimServer sim = SimServer.startLocal(SimScript.parse("""
                rules:
                  - match: {lastUser: "(?i)hello (\\\\w+)"}
                    reply: "Hi {{1}}!"
                """))) {
            JsonNode body = new Http(sim.baseUrl()).post("/chat/completions", chat("hello Ada", false)).json();
            assertThat(body.path("object").asText()).isEqualTo("chat.completion");
            assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Hi Ada!");
            assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
            assertThat(body.path("usage").path("prompt_tokens").asInt()).isPositive();
            assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
        }
    }

    @Test
    void streamingSendsChunksUsageAndDone() {
        try (SimServer sim = SimServer.startLocal(SimScript.parse("default: {replies: [\"one two three\"]}"))) {
            String body = new Http(sim.baseUrl()).post("/chat/completions", chat("x", true)).body();
            List<String> data = body.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
            assertThat(data.getLast()).isEqualTo("[DONE]");
            StringBuilder text = new StringBuilder();
            data.stream().filter(d -> !d.equals("[DONE]")).map(d -> Json.read(d, JsonNode.class)).forEach(chunk -> {
                if (!chunk.path("choices").isEmpty()) {
                    text.append(chunk.path("choices").get(0).path("delta").path("content").asText(""));
                }
            });
            assertThat(text.toString()).isEqualTo("one two three");
            assertThat(data.get(data.size() - 2)).contains("\"usage\"");
        }
    }

    @Test
    void faultsFireOnTheirCallsAndRateLimitsCarryRetryAfter() {
        try (SimServer sim = SimServer.startLocal(SimScript.parse("""
                faults:
                  - {type: rate_limit, calls: [1], retryAfterSeconds: 7}
                  - {type: server_error, calls: [2]}
                  - {type: malformed, calls: [3]}
                """))) {
            Http http = new Http(sim.baseUrl());
            Http.Response limited = http.post("/chat/completions", chat("x", false));
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("Retry-After")).isEqualTo("7");
            assertThat(http.post("/chat/completions", chat("x", false)).status()).isEqualTo(500);
            Http.Response malformed = http.post("/chat/completions", chat("x", false));
            assertThat(malformed.status()).isEqualTo(200);
            assertThatThrownBy(malformed::json).isNotNull();
            assertThat(http.post("/chat/completions", chat("x", false)).status()).isEqualTo(200);
            assertThat(sim.stats().requests()).isEqualTo(4);
        }
    }

    @Test
    void probabilisticFaultsAndLatencyAreReproducibleWithTheSeed() {
        String script = """
                seed: 3
                faults: [{type: server_error, probability: 0.5}]
                """;
        List<Integer> first = statuses(script);
        assertThat(first).contains(200, 500);
        assertThat(statuses(script)).isEqualTo(first);
    }

    private static List<Integer> statuses(String script) {
        try (SimServer sim = SimServer.startLocal(SimScript.parse(script))) {
            Http http = new Http(sim.baseUrl());
            return java.util.stream.IntStream.range(0, 12)
                    .mapToObj(i -> http.post("/chat/completions", chat("x", false)).status()).toList();
        }
    }

    @Test
    void badRequestsAreA400() {
        try (SimServer sim = SimServer.startLocal(SimScript.empty())) {
            Http http = new Http(sim.baseUrl());
            assertThat(http.post("/chat/completions", Map.of("model", "sim-1")).status()).isEqualTo(400);
            assertThat(http.send("POST", "/chat/completions", "application/json", "{nope".getBytes()).status())
                    .isEqualTo(400);
        }
    }

    @Test
    void invalidScriptsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> SimScript.parse("rulez: []")).hasMessageContaining("rulez");
        assertThatThrownBy(() -> SimScript.parse("faults: [{type: explode, calls: [1]}]"))
                .hasMessageContaining("rate_limit, server_error, hang or malformed");
        assertThatThrownBy(() -> SimScript.parse("faults: [{type: hang}]")).hasMessageContaining("probability or calls");
        assertThatThrownBy(() -> SimScript.parse("latency: {distribution: uniform, minMs: 9, maxMs: 1}"))
                .hasMessageContaining("uniform");
        assertThatThrownBy(() -> SimScript.parse("rules: [{reply: a, json: {b: 1}}]"))
                .hasMessageContaining("one of reply, toolCalls or json");
    }

    @Test
    void theBuiltInScriptAnswersLikeASupportBot() {
        SimScript script = SimScript.builtIn();
        assertThat(script.rules()).isNotEmpty();
        try (SimServer sim = SimServer.startLocal(new SimScript(script.seed(), null, null, null, null, script.rules(),
                script.fallback()))) {
            JsonNode body = new Http(sim.baseUrl()).post("/chat/completions", chat("How do I reset my password?", false))
                    .json();
            assertThat(body.path("choices").get(0).path("message").path("content").asText()).contains("Forgot password");
        }
    }
}
