package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.ApiKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.projects.Project;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NativeIngestTest {
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    private static Map<String, Object> span(Object... fields) {
        Map<String, Object> span = new java.util.LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            span.put((String) fields[i], fields[i + 1]);
        }
        return span;
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void outOfOrderAndDuplicateDeliveriesConvergeToTheSameTrace(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            Map<String, Object> child = span("id", "00f067aa0ba902b7", "traceId", TRACE, "parentId", "aaaaaaaaaaaaaaaa",
                    "kind", "llm", "name", "chat sim-1", "model", "sim-1",
                    "input", List.of(Map.of("role", "user", "parts", List.of(Map.of("type", "text", "content", "Where is my order?")))),
                    "output", List.of(Map.of("role", "assistant", "parts", List.of(Map.of("type", "text", "content", "It ships today.")))),
                    "usage", Map.of("input", 1000, "output", 500),
                    "startTime", "2026-11-28T10:00:00.100Z", "endTime", "2026-11-28T10:00:00.900Z");
            // The child arrives first, then the parent's end, then the parent's start; the child twice.
            assertThat(api.post("/api/ingest", Map.of("spans", List.of(child))).status()).isEqualTo(200);
            assertThat(api.post("/api/ingest", Map.of("spans", List.of(span("id", "AAAAAAAAAAAAAAAA", "traceId", TRACE,
                    "endTime", "2026-11-28T10:00:01Z", "output", "It ships today.", "status", "ok")))).status()).isEqualTo(200);
            assertThat(api.post("/api/ingest", Map.of("spans", List.of(span("id", "aaaaaaaaaaaaaaaa", "traceId", TRACE,
                    "kind", "chain", "name", "support-turn", "input", "Where is my order?",
                    "startTime", "2026-11-28T10:00:00Z")))).status()).isEqualTo(200);
            assertThat(api.post("/api/ingest", Map.of("spans", List.of(child),
                    "traces", List.of(Map.of("id", TRACE, "sessionId", "s-1", "userId", "u-7", "tags", List.of("beta")))))
                    .status()).isEqualTo(200);

            JsonNode detail = api.get("/api/traces/" + TRACE).json();
            JsonNode trace = detail.path("trace");
            assertThat(trace.path("name").asText()).isEqualTo("support-turn");
            assertThat(trace.path("input").asText()).isEqualTo("Where is my order?");
            assertThat(trace.path("output").asText()).isEqualTo("It ships today.");
            assertThat(trace.path("spanCount").asInt()).isEqualTo(2);
            assertThat(trace.path("latencyMs").asLong()).isEqualTo(1000);
            assertThat(trace.path("inputTokens").asLong()).isEqualTo(1000);
            assertThat(trace.path("totalTokens").asLong()).isEqualTo(1500);
            // sim-1 costs $0.50 / $1.50 per 1M tokens.
            assertThat(trace.path("cost").asDouble()).isCloseTo(0.00125, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(trace.path("sessionId").asText()).isEqualTo("s-1");
            assertThat(trace.path("tags").findValuesAsText("")).isEmpty();
            assertThat(trace.path("tags").get(0).asText()).isEqualTo("beta");
            JsonNode root = detail.path("spans").get(0);
            assertThat(root.path("id").asText()).isEqualTo("aaaaaaaaaaaaaaaa");
            assertThat(root.path("latencyMs").asLong()).isEqualTo(1000);
            assertThat(root.path("children").get(0).path("input").get(0).path("role").asText()).isEqualTo("user");
            assertThat(root.path("children").get(0).path("usage").path("output").asLong()).isEqualTo(500);

            JsonNode spans = api.get("/api/spans?traceId=" + TRACE + "&kind=llm").json().path("data");
            assertThat(spans).hasSize(1);
            assertThat(api.get("/api/sessions/s-1").json().path("data").get(0).path("id").asText()).isEqualTo(TRACE);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void invalidItemsAreReportedWhileValidOnesAreStored(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http.Response response = server.api().post("/api/ingest", Map.of("spans", List.of(
                    span("id", "not-hex!", "traceId", TRACE),
                    span("id", "1111111111111111", "traceId", TRACE, "kind", "wizardry"),
                    span("id", "2222222222222222", "traceId", TRACE, "name", "fine"))));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().path("spans").asInt()).isEqualTo(1);
            assertThat(response.json().path("errors")).hasSize(2);
            assertThat(server.api().post("/api/ingest", Map.of("spans", "nope")).status()).isEqualTo(400);
            assertThat(server.api().get("/api/traces?sort=sideways").status()).isEqualTo(400);
            assertThat(server.api().get("/api/traces?cursor=~~~").status()).isEqualTo(400);
            assertThat(server.api().get("/api/traces?minCost=cheap").status()).isEqualTo(400);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theTraceListFiltersSortsAndPages(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            for (int i = 0; i < 5; i++) {
                String trace = String.format("%032x", i + 1);
                api.post("/api/ingest", Map.of("traces", List.of(Map.of("id", trace, "userId", "u" + (i % 2),
                                "tags", List.of(i % 2 == 0 ? "even" : "odd"))),
                        "spans", List.of(span("id", String.format("%016x", i + 1), "traceId", trace, "name", "turn",
                                "model", i == 3 ? "gpt-4o" : "sim-1", "input", "Question number " + i + " about 100%_refunds",
                                "usage", Map.of("input", 1000 * (i + 1), "output", 10),
                                "status", i == 4 ? "error" : "ok", "error", i == 4 ? "boom" : null,
                                "startTime", "2026-11-28T10:00:0" + i + "Z", "endTime", "2026-11-28T10:00:0" + i + ".5" + i + "0Z"))));
            }
            assertThat(ids(api, "/api/traces")).hasSize(5);
            assertThat(ids(api, "/api/traces?status=error")).containsExactly(String.format("%032x", 5));
            assertThat(ids(api, "/api/traces?model=gpt-4o")).containsExactly(String.format("%032x", 4));
            assertThat(ids(api, "/api/traces?tag=even")).hasSize(3);
            assertThat(ids(api, "/api/traces?userId=u1")).hasSize(2);
            assertThat(ids(api, "/api/traces?q=NUMBER%202")).containsExactly(String.format("%032x", 3));
            assertThat(ids(api, "/api/traces?q=100%25_")).hasSize(5);
            assertThat(ids(api, "/api/traces?minLatencyMs=530")).hasSize(2);
            assertThat(ids(api, "/api/traces?sort=cost").getFirst()).isEqualTo(String.format("%032x", 4));
            assertThat(ids(api, "/api/traces?from=2026-11-28T10:00:03Z")).hasSize(2);

            JsonNode first = api.get("/api/traces?limit=2&sort=latency").json();
            assertThat(first.path("data")).hasSize(2);
            JsonNode second = api.get("/api/traces?limit=2&sort=latency&cursor=" + first.path("nextCursor").asText()).json();
            JsonNode third = api.get("/api/traces?limit=2&sort=latency&cursor=" + second.path("nextCursor").asText()).json();
            assertThat(third.path("data")).hasSize(1);
            assertThat(third.path("nextCursor").isMissingNode() || third.path("nextCursor").isNull()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aKeyOfAnotherProjectNeverSeesThisProjectsTraces(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            server.api().post("/api/ingest", Map.of("spans", List.of(span("id", "1111111111111111", "traceId", TRACE,
                    "name", "secret", "startTime", "2026-11-28T10:00:00Z", "sessionId", "s"))));
            Project other = server.newProject("Other");
            Http otherKey = server.anonymous().withKey(server.newKey(other, ApiKey.Kind.SECRET));
            assertThat(otherKey.get("/api/traces/" + TRACE).status()).isEqualTo(404);
            assertThat(otherKey.get("/api/traces").json().path("data")).isEmpty();
            assertThat(otherKey.get("/api/spans?traceId=" + TRACE).json().path("data")).isEmpty();
            // The same ids in another project are a different trace, not an overwrite.
            otherKey.post("/api/ingest", Map.of("spans", List.of(span("id", "1111111111111111", "traceId", TRACE,
                    "name", "mine"))));
            assertThat(server.api().get("/api/traces/" + TRACE).json().path("trace").path("name").asText())
                    .isEqualTo("secret");
            Http publicKey = server.anonymous().withKey(server.newKey(server.project(), ApiKey.Kind.PUBLIC));
            assertThat(publicKey.get("/api/traces").status()).isEqualTo(403);
        }
    }

    private static List<String> ids(Http api, String path) {
        Http.Response response = api.get(path);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("data").findValuesAsText("id").stream()
                .filter(id -> id.length() == 32).toList();
    }
}
