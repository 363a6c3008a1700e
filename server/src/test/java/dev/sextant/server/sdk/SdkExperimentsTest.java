package dev.sextant.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.sdk.Dataset;
import dev.sextant.sdk.DatasetItem;
import dev.sextant.sdk.ExperimentResult;
import dev.sextant.sdk.ExperimentSpec;
import dev.sextant.sdk.Output;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.SextantException;
import dev.sextant.sdk.SextantSpan;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The Java SDK's dataset and experiment clients against a real server. */
class SdkExperimentsTest {
    static final List<String> QUESTIONS = List.of("How do I reset my password?", "I forgot my password",
            "How long does shipping take?", "Can I change my password twice?", "Do you ship to Canada?");

    static void seed(Http api) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (String q : QUESTIONS) {
            items.add(Map.of("input", Map.of("question", q), "expectedOutput", "An answer to: " + q,
                    "metadata", Map.of("topic", q.contains("password") ? "account" : "shipping")));
        }
        assertThat(api.post("/api/datasets", Map.of("name", "support questions", "items", items)).status())
                .isEqualTo(201);
        assertThat(api.post("/api/evaluators", Map.of("name", "mentions-password", "kind", "code",
                "config", Map.of("builtin", "contains", "params", Map.of("value", "password",
                        "caseSensitive", false)))).status()).isEqualTo(201);
        assertThat(api.post("/api/evaluators", Map.of("name", "short", "kind", "code",
                "config", Map.of("builtin", "length", "params", Map.of("max", 60)))).status()).isEqualTo(201);
    }

    @Test
    void aDatasetIsReadWithAllItemsPageByPageAtAFixedVersion() {
        try (TestServer server = TestServer.start();
             Sextant sextant = Sextant.builder().url(server.url()).apiKey(TestServer.API_KEY).build()) {
            List<Map<String, Object>> many = new ArrayList<>();
            for (int i = 0; i < 1203; i++) {
                many.add(Map.of("input", Map.of("question", "q" + i, "n", i)));
            }
            server.api().post("/api/datasets", Map.of("name", "big one", "items", many));
            server.api().post("/api/datasets/big%20one/items", Map.of("input", Map.of("question", "added later")));

            Dataset v1 = sextant.datasets().get("big one", 1);
            assertThat(v1.version()).isEqualTo(1);
            assertThat(v1.items()).hasSize(1203);
            assertThat(v1.items().get(1202).input("question")).isEqualTo("q1202");
            assertThat(v1.items().get(7).input()).containsEntry("n", 7);
            Dataset latest = sextant.datasets().get("big one");
            assertThat(latest.version()).isEqualTo(2);
            assertThat(latest.items()).hasSize(1204);

            assertThatThrownBy(() -> sextant.datasets().get("no such dataset"))
                    .isInstanceOf(SextantException.class).hasMessageContaining("404");
        }
    }

    @Test
    void runningAFunctionOverADatasetReturnsTheServersScorecardItemJudgmentsAndTraceLinks() {
        try (TestServer server = TestServer.start();
             Sextant sextant = Sextant.builder().url(server.url()).apiKey(TestServer.API_KEY).build()) {
            seed(server.api());
            Map<String, String> traceByQuestion = new ConcurrentHashMap<>();
            ExperimentResult result = sextant.experiments().run(ExperimentSpec.builder("support questions")
                    .name("bot v2").evaluators("mentions-password", "short@1").concurrency(3)
                    .task(item -> {
                        String question = item.input("question");
                        if (question.contains("Canada")) {
                            throw new IllegalStateException("the shipping service is down");
                        }
                        try (SextantSpan turn = sextant.trace("answer")) {
                            traceByQuestion.put(question, turn.traceId());
                            String answer = question.contains("password")
                                    ? "Click Forgot password on the sign-in page."
                                    : "Standard shipping takes 3-5 business days; express takes 1-2 business days.";
                            turn.output(answer);
                            return Output.of(answer).tokens(12, 9);
                        }
                    }).build());

            assertThat(result.status()).isEqualTo("completed");
            assertThat(result.name()).isEqualTo("bot v2");
            assertThat(result.datasetVersion()).isEqualTo(1);
            assertThat(result.scorecard().items()).isEqualTo(5);
            assertThat(result.scorecard().errors()).isEqualTo(1);
            // 3 password answers pass, the shipping answer fails; the crashed item is an error, not a fail.
            ExperimentResult.Criterion mentions = result.criterion("mentions-password").orElseThrow();
            assertThat(mentions.passRate()).isEqualTo(0.75);
            assertThat(mentions.n()).isEqualTo(4);
            assertThat(result.criterion("short").orElseThrow().passRate()).isEqualTo(0.75);

            JsonNode card = server.api().get("/api/experiments/" + result.experimentId() + "/runs/"
                    + result.runId()).json();
            assertThat(card.path("errors").asInt()).isEqualTo(result.scorecard().errors());
            for (ExperimentResult.Criterion c : result.scorecard().criteria()) {
                JsonNode expected = null;
                for (JsonNode node : card.path("criteria")) {
                    if (node.path("name").asText().equals(c.name())) {
                        expected = node;
                    }
                }
                assertThat(expected).as(c.name()).isNotNull();
                assertThat(c.kind()).isEqualTo(expected.path("kind").asText());
                assertThat(c.estimate()).isEqualTo(expected.path("estimate").asDouble());
                assertThat(c.low()).isEqualTo(expected.path("low").asDouble());
                assertThat(c.high()).isEqualTo(expected.path("high").asDouble());
                assertThat(c.n()).isEqualTo(expected.path("n").asInt());
            }

            assertThat(result.items()).hasSize(5);
            ExperimentResult.ItemResult shipping = result.items().stream()
                    .filter(i -> i.item().input("question").equals("How long does shipping take?")).findFirst()
                    .orElseThrow();
            assertThat(shipping.passed()).isFalse();
            assertThat(shipping.item().metadata()).containsEntry("topic", "shipping");
            assertThat(shipping.item().expectedText()).isEqualTo("An answer to: How long does shipping take?");
            ExperimentResult.Judgment failed = shipping.judgment("mentions-password").orElseThrow();
            assertThat(failed.passed()).isFalse();
            assertThat(failed.reason()).isNotBlank();
            assertThat(shipping.judgment("short").orElseThrow().reason()).isNotBlank();
            assertThat(shipping.traceId()).isEqualTo(traceByQuestion.get("How long does shipping take?"));
            assertThat(shipping.latencyMs()).isNotNull();

            ExperimentResult.ItemResult crashed = result.items().stream()
                    .filter(i -> i.item().input("question").contains("Canada")).findFirst().orElseThrow();
            assertThat(crashed.error()).contains("IllegalStateException").contains("the shipping service is down");
            assertThat(crashed.judgments()).isEmpty();
            assertThat(result.failures()).hasSize(2);

            // The item links to the trace the function logged, and that trace is on the server.
            String linked = result.items().getFirst().traceId();
            assertThat(traceByQuestion.values()).contains(linked);
            assertThat(server.api().get("/api/traces/" + linked).status()).isEqualTo(200);
        }
    }

    @Test
    void anExperimentThatCannotRunIsAClearError() {
        try (TestServer server = TestServer.start();
             Sextant sextant = Sextant.builder().url(server.url()).apiKey(TestServer.API_KEY).build()) {
            seed(server.api());
            assertThatThrownBy(() -> sextant.experiments().run(ExperimentSpec.builder("nope")
                    .evaluators("short").textTask(DatasetItem::id).build()))
                    .isInstanceOf(SextantException.class).hasMessageContaining("dataset 'nope' does not exist");
            assertThatThrownBy(() -> sextant.experiments().run(ExperimentSpec.builder("support questions")
                    .evaluators("no-such-evaluator").textTask(DatasetItem::id).build()))
                    .isInstanceOf(SextantException.class).hasMessageContaining("no-such-evaluator");
        }
        try (Sextant down = Sextant.builder().url("http://127.0.0.1:9").apiKey("sk-sx-none")
                .requestTimeout(Duration.ofMillis(500)).build()) {
            assertThatThrownBy(() -> down.experiments().run(ExperimentSpec.builder("support questions")
                    .evaluators("short").textTask(DatasetItem::id).build()))
                    .isInstanceOf(SextantException.class).hasMessageContaining("cannot reach Sextant");
        }
    }
}
