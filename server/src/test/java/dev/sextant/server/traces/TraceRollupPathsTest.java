package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A new trace whose spans all come in one request is rolled up from the request; a trace whose
 * spans come one by one is rolled up from the stored spans. Both must give the same trace.
 */
class TraceRollupPathsTest {

    private static Map<String, Object> span(String traceId, Object... fields) {
        Map<String, Object> span = new LinkedHashMap<>();
        span.put("traceId", traceId);
        for (int i = 0; i < fields.length; i += 2) {
            span.put((String) fields[i], fields[i + 1]);
        }
        return span;
    }

    /** Two roots (the earlier one names the trace), an error, a span without times, partial usage. */
    private static List<Map<String, Object>> spansOf(String traceId) {
        return List.of(
                span(traceId, "id", "1000000000000001", "name", "late root", "input", "second",
                        "startTime", "2026-11-28T10:00:02Z", "endTime", "2026-11-28T10:00:03Z"),
                span(traceId, "id", "1000000000000002", "name", "early root", "input", "first", "output", "done",
                        "startTime", "2026-11-28T10:00:00Z", "endTime", "2026-11-28T10:00:01Z"),
                span(traceId, "id", "1000000000000003", "parentId", "1000000000000002", "kind", "llm", "model", "sim-1",
                        "usage", Map.of("input", 100, "output", 50), "status", "error", "error", "boom",
                        "startTime", "2026-11-28T10:00:00.200Z", "endTime", "2026-11-28T10:00:05Z"),
                span(traceId, "id", "1000000000000004", "parentId", "1000000000000002", "kind", "tool",
                        "usage", Map.of("input", 7), "cost", 0.25),
                span(traceId, "id", "1000000000000005", "parentId", "1000000000000002", "kind", "tool",
                        "endTime", "2026-11-28T09:59:59Z"));
    }

    private static JsonNode traceFields(Http api, String traceId) {
        JsonNode trace = api.get("/api/traces/" + traceId).json().path("trace");
        assertThat(trace.isMissingNode()).isFalse();
        return ((com.fasterxml.jackson.databind.node.ObjectNode) trace.deepCopy()).without(List.of("id"));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aTraceRolledUpFromOneRequestEqualsTheSameSpansSentOneByOne(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            String whole = "a0000000000000000000000000000001";
            String piecewise = "b0000000000000000000000000000002";
            assertThat(api.post("/api/ingest", Map.of("spans", spansOf(whole))).status()).isEqualTo(200);
            for (Map<String, Object> span : spansOf(piecewise)) {
                assertThat(api.post("/api/ingest", Map.of("spans", List.of(span))).status()).isEqualTo(200);
            }

            JsonNode fromRequest = traceFields(api, whole);
            assertThat(fromRequest).isEqualTo(traceFields(api, piecewise));
            assertThat(fromRequest.path("name").asText()).isEqualTo("early root");
            assertThat(fromRequest.path("input").asText()).isEqualTo("first");
            assertThat(fromRequest.path("status").asText()).isEqualTo("error");
            assertThat(fromRequest.path("spanCount").asInt()).isEqualTo(5);
            assertThat(fromRequest.path("errorCount").asInt()).isEqualTo(1);
            assertThat(fromRequest.path("inputTokens").asLong()).isEqualTo(107);
            assertThat(fromRequest.path("latencyMs").asLong()).isEqualTo(6000);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aSpanDeliveredTwiceInOneRequestCountsOnce(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            String traceId = "c0000000000000000000000000000003";
            Map<String, Object> first = span(traceId, "id", "2000000000000001", "name", "turn",
                    "startTime", "2026-11-28T10:00:00Z");
            Map<String, Object> again = span(traceId, "id", "2000000000000001", "endTime", "2026-11-28T10:00:02Z",
                    "usage", Map.of("input", 3));
            assertThat(api.post("/api/ingest", Map.of("spans", List.of(first, again))).status()).isEqualTo(200);

            JsonNode trace = api.get("/api/traces/" + traceId).json().path("trace");
            assertThat(trace.path("spanCount").asInt()).isEqualTo(1);
            assertThat(trace.path("latencyMs").asLong()).isEqualTo(2000);
            assertThat(trace.path("inputTokens").asLong()).isEqualTo(3);
            assertThat(trace.path("name").asText()).isEqualTo("turn");
        }
    }
}
