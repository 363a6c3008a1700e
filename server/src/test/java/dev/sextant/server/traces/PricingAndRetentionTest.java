package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.jobs.Job;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PricingAndRetentionTest {

    private static Map<String, Object> llmSpan(String id, String trace, String model, Instant start) {
        return Map.of("id", id, "traceId", trace, "kind", "llm", "model", model,
                "usage", Map.of("input", 1000, "output", 1000, "cached", 500),
                "startTime", start.toString(), "endTime", start.plusMillis(10).toString());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void costComesFromTheShippedTableUnlessTheProjectOverridesIt(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            JsonNode prices = api.get("/api/pricing").json().path("data");
            assertThat(prices.findValuesAsText("model")).contains("gpt-4o", "claude-sonnet-4", "gemini-2.5-flash",
                    "mistral-large", "sim-1");

            Instant now = Instant.now();
            // gpt-4o: $2.50 in, $10 out, $1.25 cached per 1M; a dated variant uses the family's price.
            api.post("/api/ingest", Map.of("spans", List.of(llmSpan("1000000000000001", "10000000000000000000000000000001",
                    "gpt-4o-2024-08-06", now))));
            assertThat(api.get("/api/traces/10000000000000000000000000000001").json().path("trace").path("cost")
                    .asDouble()).isCloseTo((500 * 2.5 + 500 * 1.25 + 1000 * 10.0) / 1e6, Offset.offset(1e-12));

            Http.Response put = api.put("/api/pricing", Map.of("model", "gpt-4o", "input", 1000, "output", 1000));
            assertThat(put.status()).isEqualTo(200);
            assertThat(api.put("/api/pricing", Map.of("model", "x", "input", -1, "output", 1)).status()).isEqualTo(422);
            api.post("/api/ingest", Map.of("spans", List.of(llmSpan("1000000000000002", "10000000000000000000000000000002",
                    "gpt-4o-2024-08-06", now))));
            assertThat(api.get("/api/traces/10000000000000000000000000000002").json().path("trace").path("cost")
                    .asDouble()).isCloseTo(2.0, Offset.offset(1e-9));
            // A cost sent by the client is kept as it is.
            api.post("/api/ingest", Map.of("spans", List.of(Map.of("id", "1000000000000003",
                    "traceId", "10000000000000000000000000000003", "model", "gpt-4o", "cost", 0.5,
                    "usage", Map.of("input", 10)))));
            assertThat(api.get("/api/traces/10000000000000000000000000000003").json().path("trace").path("cost")
                    .asDouble()).isEqualTo(0.5);

            assertThat(api.get("/api/audit").json().path("data").findValuesAsText("action")).contains("pricing.update");
            assertThat(api.delete("/api/pricing/gpt-4o").status()).isEqualTo(204);
            assertThat(api.delete("/api/pricing/gpt-4o").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void retentionDeletesTracesOlderThanTheProjectKeepsThemAndStaysScheduled(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            Instant now = Instant.now();
            api.post("/api/ingest", Map.of("spans", List.of(
                    llmSpan("2000000000000001", "20000000000000000000000000000001", "sim-1", now.minus(Duration.ofDays(10))),
                    llmSpan("2000000000000002", "20000000000000000000000000000002", "sim-1", now.minus(Duration.ofDays(1))))));
            // Without a retention nothing is deleted.
            assertThat(server.services().traces().enforceRetention()).isZero();
            assertThat(api.patch("/api/projects/current", Map.of("retentionDays", 7)).status()).isEqualTo(200);
            assertThat(server.services().traces().enforceRetention()).isEqualTo(1);
            assertThat(api.get("/api/traces/20000000000000000000000000000001").status()).isEqualTo(404);
            assertThat(api.get("/api/spans?traceId=20000000000000000000000000000001").json().path("data")).isEmpty();
            assertThat(api.get("/api/traces/20000000000000000000000000000002").status()).isEqualTo(200);
            server.services().jobs().drain();
            assertThat(server.services().jobs().count(Job.Status.QUEUED)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void retentionDeletesABacklogInSmallTransactionsOldestFirst(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            Instant now = Instant.now();
            List<Map<String, Object>> spans = new java.util.ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                spans.add(llmSpan("300000000000000" + i, "3000000000000000000000000000000" + i, "sim-1",
                        now.minus(Duration.ofDays(20 - i))));
            }
            spans.add(llmSpan("3000000000000009", "30000000000000000000000000000009", "sim-1", now));
            assertThat(api.post("/api/ingest", Map.of("spans", spans)).status()).isEqualTo(200);

            TraceStore store = new TraceStore(server.services().database().jdbi(), dialect);
            assertThat(store.deleteBefore(server.project().id(), now.minus(Duration.ofDays(1)), 2)).isEqualTo(5);
            assertThat(api.get("/api/traces").json().path("data").findValuesAsText("id"))
                    .containsExactly("30000000000000000000000000000009");
            assertThat(api.get("/api/spans").json().path("data").findValuesAsText("traceId"))
                    .containsExactly("30000000000000000000000000000009");
        }
    }
}
