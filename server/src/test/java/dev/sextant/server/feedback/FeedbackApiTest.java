package dev.sextant.server.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.ApiKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.projects.Project;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FeedbackApiTest {
    static final String TRACE_A = "0af7651916cd43dd8448eb211c80319c";
    static final String TRACE_B = "1af7651916cd43dd8448eb211c80319c";
    static final String SPAN_A = "00f067aa0ba902b7";
    static final String SPAN_B = "10f067aa0ba902b7";

    /** Two traces, each with one LLM span of a different prompt version and model. */
    static void ingest(Http api) {
        assertThat(api.post("/api/ingest", Map.of("spans", List.of(
                llm(SPAN_A, TRACE_A, 1, "sim-1", "Your order ships today.\nThanks for waiting."),
                llm(SPAN_B, TRACE_B, 2, "sim-2", "It ships tomorrow.")))).status()).isEqualTo(200);
    }

    static Map<String, Object> llm(String id, String trace, int version, String model, String output) {
        Map<String, Object> span = new LinkedHashMap<>();
        span.put("id", id);
        span.put("traceId", trace);
        span.put("kind", "llm");
        span.put("name", "answer");
        span.put("model", model);
        span.put("promptName", "support");
        span.put("promptVersion", version);
        span.put("output", output);
        span.put("startTime", java.time.Instant.now().minusSeconds(60).toString());
        span.put("endTime", java.time.Instant.now().minusSeconds(59).toString());
        return span;
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void feedbackIsStoredWithPromptAndModelAndVotesBecomeScores(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            ingest(api);
            Http.Response vote = api.post("/api/feedback", Map.of("traceId", TRACE_A, "kind", "vote", "value", "up",
                    "endUserId", "u-1"));
            assertThat(vote.status()).isEqualTo(201);
            assertThat(vote.json().path("promptName").asText()).isEqualTo("support");
            assertThat(vote.json().path("promptVersion").asInt()).isEqualTo(1);
            assertThat(vote.json().path("model").asText()).isEqualTo("sim-1");

            Http.Response batch = api.post("/api/feedback", Map.of("feedback", List.of(
                    Map.of("traceId", TRACE_B, "spanId", SPAN_B, "kind", "vote", "value", "down"),
                    Map.of("traceId", TRACE_B, "kind", "rating", "value", 2, "scale", 5),
                    Map.of("traceId", TRACE_A, "kind", "action", "action", "copy"),
                    Map.of("traceId", TRACE_A, "kind", "action", "action", "custom", "name", "pin"),
                    Map.of("traceId", TRACE_A, "kind", "correction", "text", "Your order ships today.\nSorry!"),
                    Map.of("traceId", TRACE_A, "kind", "comment", "text", "<b>nice</b>"),
                    Map.of("traceId", TRACE_A, "kind", "retention", "delaySeconds", 30, "present", true,
                            "fractionKept", 0.9),
                    Map.of("traceId", TRACE_B, "kind", "retention", "delaySeconds", 30, "present", false))));
            assertThat(batch.status()).isEqualTo(201);
            assertThat(batch.json().path("data")).hasSize(8);

            JsonNode list = api.get("/api/feedback?traceId=" + TRACE_A).json().path("data");
            assertThat(list).hasSize(6);
            JsonNode correction = list.get(3);
            assertThat(correction.path("diff").asText()).contains("-Thanks for waiting.").contains("+Sorry!");
            assertThat(list.get(1).path("action").asText()).isEqualTo("copy");
            assertThat(list.get(2).path("action").asText()).isEqualTo("custom:pin");

            JsonNode scores = api.get("/api/scores?targetType=trace&targetId=" + TRACE_A).json().path("data");
            assertThat(scores).anySatisfy(s -> {
                assertThat(s.path("name").asText("") + s.path("evaluatorName").asText("")).contains("user-vote");
                assertThat(s.path("source").asText()).isEqualTo("feedback");
            });

            JsonNode summary = api.get("/api/feedback/summary?groupBy=promptVersion&promptName=support").json();
            JsonNode groups = summary.path("groups");
            assertThat(groups).hasSize(2);
            JsonNode v1 = groups.get(0);
            assertThat(v1.path("key").asText()).isEqualTo("support v1");
            assertThat(v1.path("voteRatio").asDouble()).isEqualTo(1.0);
            assertThat(v1.path("traces").asLong()).isEqualTo(1);
            assertThat(v1.path("actionRate").path("copy").asDouble()).isEqualTo(1.0);
            assertThat(v1.path("retention").get(0).path("meanFractionKept").asDouble()).isEqualTo(0.9);
            JsonNode v2 = groups.get(1);
            assertThat(v2.path("voteRatio").asDouble()).isEqualTo(0.0);
            assertThat(v2.path("meanRating").asDouble()).isEqualTo(0.4);
            assertThat(v2.path("retention").get(0).path("presentRate").asDouble()).isEqualTo(0.0);

            String fragment = api.get("/p/" + server.project().slug() + "/feedback/fragment?traceId=" + TRACE_A).body();
            assertThat(fragment).contains("&lt;b&gt;nice&lt;/b&gt;").doesNotContain("<b>nice").contains("custom:pin")
                    .contains("+Sorry!");

            JsonNode byModel = api.get("/api/feedback/summary?groupBy=model").json().path("groups");
            assertThat(byModel).extracting(g -> g.path("key").asText()).containsExactly("sim-1", "sim-2");
        }
    }

    @Test
    void badInputAndOtherProjectsTracesAreRejected() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            ingest(api);
            assertThat(api.post("/api/feedback", Map.of("traceId", "ffff", "kind", "vote", "value", "up")).status())
                    .isEqualTo(404);
            assertThat(api.post("/api/feedback", Map.of("traceId", TRACE_A, "kind", "love")).status()).isEqualTo(422);
            assertThat(api.post("/api/feedback", Map.of("traceId", TRACE_A, "kind", "vote", "value", "meh")).status())
                    .isEqualTo(422);
            assertThat(api.post("/api/feedback", Map.of("traceId", TRACE_A, "kind", "retention", "delaySeconds", 5,
                    "present", true, "fractionKept", 1.5)).status()).isEqualTo(422);
            assertThat(api.post("/api/feedback", Map.of("traceId", TRACE_A, "kind", "rating", "value", 9)).status())
                    .isEqualTo(422);
            // A span id is unique only within its trace: feedback on a span names both.
            Http.Response spanAlone = api.post("/api/feedback", Map.of("spanId", SPAN_B, "kind", "vote", "value", "up"));
            assertThat(spanAlone.status()).isEqualTo(422);
            assertThat(spanAlone.json().path("error").path("message").asText()).contains("traceId is required with spanId");
            assertThat(api.post("/api/feedback", Map.of("traceId", TRACE_A, "spanId", SPAN_B, "kind", "vote",
                    "value", "up")).status()).isEqualTo(404);
            // A bad item rejects the whole batch.
            assertThat(api.post("/api/feedback", List.of(Map.of("traceId", TRACE_A, "kind", "vote", "value", "up"),
                    Map.of("traceId", TRACE_A, "kind", "nope"))).status()).isEqualTo(422);
            assertThat(api.get("/api/feedback?traceId=" + TRACE_A).json().path("data")).isEmpty();

            Project other = server.newProject("Other");
            Http otherApi = server.api().withKey(server.newKey(other, ApiKey.Kind.PUBLIC));
            assertThat(otherApi.post("/api/feedback", Map.of("traceId", TRACE_A, "kind", "vote", "value", "up"))
                    .status()).isEqualTo(404);
        }
    }

    @Test
    void publicKeysMaySendFeedbackFromOtherOriginsButNotReadIt() throws Exception {
        try (TestServer server = TestServer.start()) {
            ingest(server.api());
            String publicKey = server.newKey(server.project(), ApiKey.Kind.PUBLIC);
            Http browser = server.api().withKey(publicKey).withHeader("Origin", "https://app.example");
            Http.Response sent = browser.post("/api/feedback", Map.of("traceId", TRACE_A, "kind", "vote", "value", "up"));
            assertThat(sent.status()).isEqualTo(201);
            assertThat(sent.header("Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(browser.get("/api/feedback?traceId=" + TRACE_A).status()).isEqualTo(403);

            HttpResponse<String> preflight = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(server.url() + "/api/feedback"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://app.example").header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization, content-type").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
                    .contains("Authorization").contains("Content-Type");
            // Other API routes stay same-origin.
            assertThat(server.api().withHeader("Origin", "https://app.example").get("/api/traces")
                    .header("Access-Control-Allow-Origin")).isNull();
        }
    }
}
