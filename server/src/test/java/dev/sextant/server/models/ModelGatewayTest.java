package dev.sextant.server.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.Json;
import dev.sextant.server.models.sim.SimScript;
import dev.sextant.server.models.sim.SimServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway against the sim server, through the real langchain4j OpenAI client. */
class ModelGatewayTest {
    /** sim-1's list price, as in traces/pricing.json. */
    private static final ModelPricing PRICES =
            (project, provider, model) -> java.util.Optional.of(new ModelPricing.Price(0.50, 1.50));

    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final List<RecordedCall> recorded = Collections.synchronizedList(new ArrayList<>());
    private SimServer sim;

    @AfterEach
    void stopSim() {
        if (sim != null) {
            sim.close();
        }
    }

    private ModelGateway gateway(String script, ModelGateway.Settings settings) {
        sim = SimServer.startLocal(SimScript.parse(script));
        ProviderResolver resolver = (project, name) -> name.equals("sim")
                ? Optional.of(new ProviderEndpoint("sim", ProviderKind.SIM, sim.baseUrl(), null)) : Optional.empty();
        return new ModelGateway(resolver, PRICES, (p, call) -> recorded.add(call), settings,
                sleeps::add, Clock.systemUTC());
    }

    private ModelGateway gateway(String script) {
        return gateway(script, ModelGateway.Settings.DEFAULT);
    }

    private static ChatRequest ask(String text) {
        return new ChatRequest(List.of(ChatMessage.of("system", "You are a support bot."), ChatMessage.of("user", text)),
                ModelConfig.of("sim", "sim-1"), List.of(), new PromptRef("support/answer", 3));
    }

    @Test
    void aMatchingRuleRepliesWithCaptureGroupsAndUsageAndCost() {
        ModelGateway gateway = gateway("""
                rules:
                  - match: {lastUser: "refund for order (\\\\d+)"}
                    reply: "Refund for order {{1}} is on its way."
                """);
        ChatResult result = gateway.chat("p1", ask("I want a refund for order 1234 please"));
        assertThat(result.text()).isEqualTo("Refund for order 1234 is on its way.");
        assertThat(result.usage().inputTokens()).isPositive();
        assertThat(result.usage().outputTokens()).isPositive();
        assertThat(result.costUsd()).isPositive();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.finishReason()).isEqualTo("stop");
    }

    @Test
    void theDefaultReplyIsDeterministicForTheSamePrompt() {
        ModelGateway gateway = gateway("{}");
        String first = gateway.chat("p1", ask("How do I export my data?")).text();
        String second = gateway.chat("p1", ask("How do I export my data?")).text();
        assertThat(first).isNotBlank().isEqualTo(second);
    }

    @Test
    void rateLimitsAreRetriedHonouringRetryAfter() {
        ModelGateway gateway = gateway("""
                faults:
                  - {type: rate_limit, calls: [1, 2], retryAfterSeconds: 3}
                """);
        ChatResult result = gateway.chat("p1", ask("hello"));
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(sleeps).hasSize(2).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(3)));
        assertThat(sim.stats().requests()).isEqualTo(3);
    }

    @Test
    void aRetryAfterLongerThanTheLimitIsNotWaitedFor() {
        ModelGateway gateway = gateway("""
                faults:
                  - {type: rate_limit, calls: [1], retryAfterSeconds: 3600}
                """);
        assertThatThrownBy(() -> gateway.chat("p1", ask("hello"))).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo("rate_limited");
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.getMessage()).contains("Retry-After 3600 s");
        });
        assertThat(sleeps).isEmpty();
        assertThat(sim.stats().requests()).isEqualTo(1);
    }

    @Test
    void aStreamedCallIsRetriedWhenItFailsBeforeTheFirstToken() {
        ModelGateway gateway = gateway("""
                faults:
                  - {type: server_error, calls: [1]}
                rules:
                  - reply: "Recovered fine."
                """);
        List<String> tokens = new ArrayList<>();
        ChatResult result = gateway.chatStreaming("p1", ask("hello"), tokens::add);
        assertThat(String.join("", tokens)).isEqualTo("Recovered fine.");
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void serverErrorsAreRetriedWithGrowingJitteredBackoffThenGiveUp() {
        ModelGateway gateway = gateway("""
                faults:
                  - {type: server_error, probability: 1.0}
                """);
        assertThatThrownBy(() -> gateway.chat("p1", ask("hello")))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo("provider_error");
                    assertThat(e.status()).isEqualTo(502);
                });
        RetryPolicy policy = RetryPolicy.DEFAULT;
        assertThat(sim.stats().requests()).isEqualTo(policy.maxAttempts());
        assertThat(sleeps).hasSize(policy.maxAttempts() - 1);
        for (int i = 0; i < sleeps.size(); i++) {
            long ceiling = policy.baseDelay().toMillis() << i;
            assertThat(sleeps.get(i).toMillis()).isBetween(ceiling / 2, ceiling);
        }
        assertThat(recorded).singleElement().satisfies(call -> {
            assertThat(call.error()).startsWith("provider_error");
            assertThat(call.attempts()).isEqualTo(policy.maxAttempts());
        });
    }

    @Test
    void aHangingProviderTimesOutWithACleanError() {
        ModelGateway gateway = gateway("""
                faults:
                  - {type: hang, calls: [1], hangMs: 20000}
                """, new ModelGateway.Settings(Duration.ofMillis(500), 4, RetryPolicy.DEFAULT));
        assertThatThrownBy(() -> gateway.chat("p1", ask("hello")))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo("provider_timeout");
                    assertThat(e.status()).isEqualTo(504);
                });
    }

    @Test
    void aMalformedBodyGivesACleanError() {
        ModelGateway gateway = gateway("""
                faults:
                  - {type: malformed, calls: [1]}
                """);
        assertThatThrownBy(() -> gateway.chat("p1", ask("hello")))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo("malformed_response");
                    assertThat(e.status()).isEqualTo(502);
                });
    }

    @Test
    void theConcurrencyLimitCapsRequestsInFlightAtTheProvider() throws Exception {
        ModelGateway gateway = gateway("""
                latency: {distribution: fixed, ms: 150}
                """, new ModelGateway.Settings(Duration.ofSeconds(30), 2, RetryPolicy.DEFAULT));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ChatResult>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                calls.add(pool.submit(() -> gateway.chat("p1", ask("question " + n))));
            }
            for (Future<ChatResult> call : calls) {
                assertThat(call.get().text()).isNotBlank();
            }
        }
        assertThat(sim.stats().requests()).isEqualTo(8);
        assertThat(sim.stats().maxInFlight()).isEqualTo(2);
    }

    @Test
    void streamingDeliversTokensInOrderAndTheFullResult() {
        ModelGateway gateway = gateway("""
                rules:
                  - match: {any: "."}
                    reply: "One two three four five."
                """);
        List<String> tokens = new ArrayList<>();
        ChatResult result = gateway.chatStreaming("p1", ask("count"), tokens::add);
        assertThat(tokens).hasSizeGreaterThan(3);
        assertThat(String.join("", tokens)).isEqualTo("One two three four five.");
        assertThat(result.text()).isEqualTo("One two three four five.");
        assertThat(result.usage().outputTokens()).isPositive();
        assertThat(recorded).singleElement().satisfies(call -> assertThat(call.streamed()).isTrue());
    }

    @Test
    void toolCallsComeBackWithNameAndArgumentsStreamingOrNot() throws Exception {
        ModelGateway gateway = gateway("""
                rules:
                  - match: {lastUser: "weather in (\\\\w+)", tool: get_weather}
                    toolCalls:
                      - name: get_weather
                        arguments: {city: "{{1}}", unit: celsius}
                """);
        JsonNode params = Json.mapper().readTree("""
                {"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string"}},"required":["city"]}
                """);
        ChatRequest request = new ChatRequest(List.of(ChatMessage.of("user", "what's the weather in Paris?")),
                ModelConfig.of("sim", "sim-1"), List.of(new ToolDefinition("get_weather", "Current weather", params)),
                null);
        for (ChatResult result : List.of(gateway.chat("p1", request), gateway.chatStreaming("p1", request, t -> { }))) {
            assertThat(result.finishReason()).isEqualTo("tool_execution");
            assertThat(result.toolCalls()).singleElement().satisfies(call -> {
                assertThat(call.name()).isEqualTo("get_weather");
                assertThat(Json.mapper().readTree(call.arguments()))
                        .isEqualTo(Json.mapper().readTree("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
            });
        }
    }

    @Test
    void structuredOutputFollowsTheJsonSchemaByDefault() throws Exception {
        ModelGateway gateway = gateway("{}");
        JsonNode schema = Json.mapper().readTree("""
                {"type":"object","properties":{"sentiment":{"type":"string","enum":["positive","negative"]},
                 "score":{"type":"number"},"tags":{"type":"array","items":{"type":"string"}}},
                 "required":["sentiment","score","tags"],"additionalProperties":false}
                """);
        ModelConfig model = new ModelConfig("sim", "sim-1", 0.0, null, null, null, 7,
                new OutputFormat("json_schema", "sentiment", schema));
        ChatResult result = gateway.chat("p1", new ChatRequest(List.of(ChatMessage.of("user", "I love it")), model,
                null, null));
        JsonNode json = Json.mapper().readTree(result.text());
        assertThat(json.path("sentiment").asText()).isIn("positive", "negative");
        assertThat(json.path("score").isNumber()).isTrue();
        assertThat(json.path("tags").isArray()).isTrue();
    }

    @Test
    void theRecorderReceivesTheExactRequestResultAndPrompt() {
        ModelGateway gateway = gateway("""
                rules:
                  - match: {any: "."}
                    reply: "Sure."
                """);
        ChatRequest request = ask("hi there");
        ChatResult result = gateway.chat("project-7", request);
        assertThat(recorded).singleElement().satisfies(call -> {
            assertThat(call.request()).isEqualTo(request);
            assertThat(call.result()).isEqualTo(result);
            assertThat(call.prompt()).isEqualTo(new PromptRef("support/answer", 3));
            assertThat(call.provider()).isEqualTo("sim");
            assertThat(call.model()).isEqualTo("sim-1");
            assertThat(call.usage()).isEqualTo(result.usage());
            assertThat(call.costUsd()).isEqualTo(result.costUsd());
            assertThat(call.error()).isNull();
            assertThat(call.streamed()).isFalse();
        });
    }

    @Test
    void anthropicAndGeminiClientsAreBuiltAndTheirFailuresAreCleanErrors() {
        sim = SimServer.startLocal(SimScript.empty());
        for (ProviderKind kind : List.of(ProviderKind.ANTHROPIC, ProviderKind.GEMINI)) {
            // The sim speaks only the OpenAI API: these calls reach it and fail with a 404, cleanly.
            ModelGateway gateway = new ModelGateway((p, n) -> Optional.of(new ProviderEndpoint(n, kind,
                    sim.baseUrl(), "key-for-" + kind.id())), PRICES, (p, c) -> recorded.add(c),
                    ModelGateway.Settings.DEFAULT, sleeps::add, Clock.systemUTC());
            ChatRequest request = new ChatRequest(List.of(ChatMessage.of("user", "hi")),
                    ModelConfig.of(kind.id(), "some-model"), null, null);
            assertThatThrownBy(() -> gateway.chat("p1", request)).isInstanceOfSatisfying(GatewayException.class,
                    e -> assertThat(e.code()).isEqualTo("invalid_request"));
            assertThatThrownBy(() -> gateway.chatStreaming("p1", request, t -> { }))
                    .isInstanceOfSatisfying(GatewayException.class,
                            e -> assertThat(e.getMessage()).contains("HTTP 404"));
        }
        assertThat(recorded).hasSize(4).allSatisfy(call -> assertThat(call.error()).doesNotContain("key-for-"));
    }

    @Test
    void aProviderThatNeedsAKeyAndHasNoneIsNotConfigured() {
        ModelGateway gateway = new ModelGateway((p, n) -> Optional.of(new ProviderEndpoint(n, ProviderKind.OPENAI,
                null, null)), PRICES, (p, c) -> { }, ModelGateway.Settings.DEFAULT, sleeps::add,
                Clock.systemUTC());
        ChatRequest request = new ChatRequest(List.of(ChatMessage.of("user", "hi")), ModelConfig.of("openai", "gpt-4o"),
                null, null);
        assertThatThrownBy(() -> gateway.chat("p1", request)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.code()).isEqualTo("provider_not_configured"));
    }

    @Test
    void anUnknownProviderIsAClearError() {
        ModelGateway gateway = gateway("{}");
        ChatRequest request = new ChatRequest(List.of(ChatMessage.of("user", "hi")), ModelConfig.of("nope", "x"),
                null, null);
        assertThatThrownBy(() -> gateway.chat("p1", request)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.code()).isEqualTo("provider_not_configured"));
    }
}
