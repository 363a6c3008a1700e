package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GatewayTracingTest {

    /** Gateway spans are written without waiting for the commit: poll until the trace shows up. */
    static JsonNode awaitTrace(Http api, String name) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            for (JsonNode t : api.get("/api/traces?name=" + name.replace(" ", "%20")).json().path("data")) {
                if (t.path("name").asText().equals(name)) {
                    return api.get("/api/traces/" + t.path("id").asText()).json();
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no trace named " + name);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aPlaygroundRunBecomesAnLlmSpanWithMessagesParamsUsageCostAndPrompt(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            Http.Response run = api.post("/api/playground/run", Map.of(
                    "messages", List.of(Map.of("role", "system", "content", "Be brief."),
                            Map.of("role", "user", "content", "Hello there")),
                    "model", Map.of("provider", "sim", "name", "sim-1", "temperature", 0.3, "maxTokens", 50),
                    "tools", List.of(Map.of("name", "lookup", "description", "Looks up",
                            "parameters", Map.of("type", "object"))),
                    "prompt", Map.of("name", "greeter", "version", 3)));
            assertThat(run.status()).as(run.body()).isEqualTo(200);
            JsonNode result = run.json().path("result");

            JsonNode detail = awaitTrace(api, "playground");
            JsonNode span = detail.path("spans").get(0);
            assertThat(span.path("kind").asText()).isEqualTo("llm");
            assertThat(span.path("model").asText()).isEqualTo("sim-1");
            assertThat(span.path("provider").asText()).isEqualTo("sim");
            assertThat(span.path("input").get(0).path("role").asText()).isEqualTo("system");
            assertThat(span.path("input").get(1).path("parts").get(0).path("content").asText()).isEqualTo("Hello there");
            assertThat(span.path("output").get(0).path("parts").get(0).path("content").asText())
                    .isEqualTo(result.path("text").asText());
            assertThat(span.path("params").path("temperature").asDouble()).isEqualTo(0.3);
            assertThat(span.path("params").path("max_tokens").asInt()).isEqualTo(50);
            assertThat(span.path("params").path("tools").get(0).path("name").asText()).isEqualTo("lookup");
            assertThat(span.path("usage").path("input").asLong()).isEqualTo(result.path("usage").path("inputTokens").asLong());
            assertThat(span.path("cost").asDouble()).isCloseTo(result.path("costUsd").asDouble(), Offset.offset(1e-12));
            assertThat(span.path("promptName").asText()).isEqualTo("greeter");
            assertThat(span.path("promptVersion").asInt()).isEqualTo(3);
            assertThat(span.path("status").asText()).isEqualTo("ok");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = "SQLITE")
    void gatewayCostsFollowTheProjectsPriceOverridesAndFailedCallsAreErrorSpans(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            assertThat(api.put("/api/pricing", Map.of("model", "sim-1", "input", 1_000_000, "output", 0)).status())
                    .isEqualTo(200);
            JsonNode result = api.post("/api/playground/run", Map.of(
                    "messages", List.of(Map.of("role", "user", "content", "Hello")),
                    "model", Map.of("provider", "sim", "name", "sim-1"))).json().path("result");
            // $1M per 1M input tokens: the cost is exactly the input token count.
            assertThat(result.path("costUsd").asDouble()).isEqualTo(result.path("usage").path("inputTokens").asDouble());

            Http.Response failed = api.post("/api/playground/run", Map.of(
                    "messages", List.of(Map.of("role", "user", "content", "Hello")),
                    "model", Map.of("provider", "nowhere", "name", "x")));
            assertThat(failed.status()).isBetween(400, 499);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            JsonNode errors;
            do {
                errors = api.get("/api/traces?status=error").json().path("data");
            } while (errors.isEmpty() && Instant.now().isBefore(deadline));
            assertThat(errors).hasSize(1);
            JsonNode span = api.get("/api/traces/" + errors.get(0).path("id").asText()).json().path("spans").get(0);
            assertThat(span.path("error").asText()).contains("nowhere");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = "SQLITE")
    void aCallNamingATraceJoinsItAsAnotherLlmSpan(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            String traceId = "0190c0de-0000-7000-8000-00000000abcd";
            dev.sextant.server.models.ChatRequest request = new dev.sextant.server.models.ChatRequest(
                    List.of(dev.sextant.server.models.ChatMessage.of("user", "Hello")),
                    dev.sextant.server.models.ModelConfig.of("sim", "sim-1"), List.of(), null).inTrace(traceId);
            server.services().gateway().chat(server.project().id(), request);
            server.services().gateway().chat(server.project().id(), request);
            String hex = traceId.replace("-", "");
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            JsonNode spans;
            do {
                spans = server.api().get("/api/spans?traceId=" + hex).json().path("data");
            } while (spans.size() < 2 && Instant.now().isBefore(deadline));
            assertThat(spans).hasSize(2);
            assertThat(spans.findValuesAsText("kind")).containsOnly("llm");
        }
    }
}
