package dev.sextant.server.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MetricsApiTest {

    /** Ten traces in one hour: latencies 100..1000 ms, two errors, models alternating sim-1 / sim-2. */
    static Instant ingest(Http api) {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        List<Map<String, Object>> spans = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Map<String, Object> span = new LinkedHashMap<>();
            Instant start = hour.plusSeconds(60L * (i + 1));
            span.put("id", OnlineEvalTest.hex(i + 1, 16));
            span.put("traceId", OnlineEvalTest.hex(i + 1, 32));
            span.put("kind", "llm");
            span.put("name", "answer");
            span.put("model", i % 2 == 0 ? "sim-1" : "sim-2");
            span.put("promptName", "support");
            span.put("promptVersion", i < 5 ? 1 : 2);
            span.put("usage", Map.of("input", 10, "output", 5));
            span.put("status", i < 2 ? "error" : "ok");
            span.put("output", "It ships today.");
            span.put("startTime", start.toString());
            span.put("endTime", start.plusMillis(100L * (i + 1)).toString());
            spans.add(span);
        }
        assertThat(api.post("/api/ingest", Map.of("spans", spans, "traces", List.of(
                Map.of("id", OnlineEvalTest.hex(1, 32), "tags", List.of("beta")),
                Map.of("id", OnlineEvalTest.hex(2, 32), "tags", List.of("beta", "vip"))))).status()).isEqualTo(200);
        return hour;
    }

    static JsonNode bucket(Http api, String query, Instant hour, String group) {
        Http.Response r = api.get("/api/metrics?" + query + "&bucket=1h&from=" + hour.minus(1, ChronoUnit.HOURS)
                + "&to=" + hour.plus(2, ChronoUnit.HOURS));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        for (JsonNode series : r.json().path("series")) {
            if (series.path("group").asText().equals(group)) {
                return series.path("points").get(1);
            }
        }
        throw new AssertionError("no group " + group + " in " + r.body());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void metricsMatchTheIngestedData(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            Instant hour = ingest(api);
            assertThat(bucket(api, "metric=traces", hour, "all").path("value").asDouble()).isEqualTo(10);
            assertThat(bucket(api, "metric=traces", hour, "all").path("time").asText()).isEqualTo(hour.toString());
            assertThat(bucket(api, "metric=spans", hour, "all").path("value").asDouble()).isEqualTo(10);
            assertThat(bucket(api, "metric=errors", hour, "all").path("value").asDouble()).isEqualTo(2);
            assertThat(bucket(api, "metric=error_rate", hour, "all").path("value").asDouble()).isEqualTo(0.2);
            // Percentiles come from latency histograms: within 1 % of percentile_cont.
            assertThat(bucket(api, "metric=latency_p50", hour, "all").path("value").asDouble())
                    .isCloseTo(550, withinPercentage(1));
            assertThat(bucket(api, "metric=latency_p95", hour, "all").path("value").asDouble())
                    .isCloseTo(955, withinPercentage(1));
            assertThat(bucket(api, "metric=latency_p99", hour, "all").path("value").asDouble())
                    .isCloseTo(991, withinPercentage(1));
            assertThat(bucket(api, "metric=tokens", hour, "all").path("value").asDouble()).isEqualTo(150);
            // Empty buckets are present with a null value.
            Http.Response all = api.get("/api/metrics?metric=traces&bucket=1h&from=" + hour.minus(1, ChronoUnit.HOURS)
                    + "&to=" + hour.plus(2, ChronoUnit.HOURS));
            assertThat(all.json().path("series").get(0).path("points")).hasSize(3);
            JsonNode empty = all.json().path("series").get(0).path("points").get(0);
            assertThat(empty.path("value").isNull() || empty.path("value").isMissingNode()).isTrue();

            assertThat(bucket(api, "metric=spans&groupBy=model", hour, "sim-1").path("value").asDouble()).isEqualTo(5);
            assertThat(bucket(api, "metric=errors&groupBy=model", hour, "sim-2").path("value").asDouble()).isEqualTo(1);
            assertThat(bucket(api, "metric=latency_p50&groupBy=promptVersion", hour, "support v2").path("value")
                    .asDouble()).isCloseTo(800, withinPercentage(1));
            assertThat(bucket(api, "metric=traces&groupBy=tag", hour, "beta").path("value").asDouble()).isEqualTo(2);
            assertThat(bucket(api, "metric=traces&groupBy=tag", hour, "vip").path("value").asDouble()).isEqualTo(1);
            assertThat(bucket(api, "metric=traces&promptName=support&model=sim-1", hour, "all").path("value")
                    .asDouble()).isEqualTo(5);

            Instant now = Instant.now();
            for (int i = 0; i < 4; i++) {
                assertThat(api.post("/api/scores", Map.of("targetType", "trace", "targetId", OnlineEvalTest.hex(i + 1, 32),
                        "name", "helpful", "value", i < 3)).status()).isEqualTo(201);
                assertThat(api.post("/api/feedback", Map.of("traceId", OnlineEvalTest.hex(i + 1, 32), "kind", "vote",
                        "value", i == 0 ? "down" : "up")).status()).isEqualTo(201);
            }
            Instant nowHour = now.truncatedTo(ChronoUnit.HOURS);
            Http.Response pass = api.get("/api/metrics?metric=pass_rate&evaluator=helpful&bucket=1h&from=" + nowHour
                    + "&to=" + nowHour.plus(1, ChronoUnit.HOURS));
            assertThat(pass.json().path("series").get(0).path("points").get(0).path("value").asDouble()).isEqualTo(0.75);
            Http.Response mean = api.get("/api/metrics?metric=score_mean&evaluator=helpful&bucket=1h&from=" + nowHour
                    + "&to=" + nowHour.plus(1, ChronoUnit.HOURS));
            assertThat(mean.json().path("series").get(0).path("points").get(0).path("value").asDouble()).isEqualTo(0.75);
            Http.Response negative = api.get("/api/metrics?metric=negative_feedback_rate&bucket=1h&from=" + nowHour
                    + "&to=" + nowHour.plus(1, ChronoUnit.HOURS) + "&groupBy=model");
            assertThat(negative.json().path("series")).anySatisfy(s -> {
                assertThat(s.path("group").asText()).isEqualTo("sim-1");
                assertThat(s.path("points").get(0).path("value").asDouble()).isEqualTo(0.5);
            });

            assertThat(api.get("/api/metrics?metric=nope").status()).isEqualTo(422);
            assertThat(api.get("/api/metrics?metric=traces&bucket=1s&from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z")
                    .status()).isEqualTo(422);
            assertThat(api.get("/api/metrics?metric=traces&groupBy=color").status()).isEqualTo(422);
            assertThat(api.get("/api/metrics?metric=traces&from=yesterday").status()).isEqualTo(400);
        }
    }
}
