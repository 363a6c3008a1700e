package dev.sextant.server.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OnlineEvalTest {
    private static final Map<ConfigKey, String> CONFIG = Map.of(ConfigKey.ONLINE_EVAL_SETTLE_SECONDS, "0",
            ConfigKey.MONITOR_INTERVAL_SECONDS, "3600");

    static String hex(long value, int chars) {
        String h = HexFormat.of().toHexDigits(value);
        return ("0".repeat(32) + h).substring(32 + h.length() - chars);
    }

    /** {@code traces} traces of {@code perTrace} LLM spans of the model, answering "It ships today." */
    static void ingest(Http api, int firstTrace, int traces, int perTrace, String model, List<String> tags) {
        List<Map<String, Object>> spans = new ArrayList<>();
        List<Map<String, Object>> traceFacts = new ArrayList<>();
        Instant start = Instant.now().minusSeconds(30);
        for (int t = firstTrace; t < firstTrace + traces; t++) {
            String traceId = hex(0x1000L + t, 32);
            traceFacts.add(Map.of("id", traceId, "tags", tags, "metadata", Map.of("env", "prod")));
            for (int s = 0; s < perTrace; s++) {
                Map<String, Object> span = new LinkedHashMap<>();
                span.put("id", hex(((long) t << 16) + s + 1, 16));
                span.put("traceId", traceId);
                span.put("kind", "llm");
                span.put("name", "answer");
                span.put("model", model);
                span.put("input", "Where is my order?");
                span.put("output", "It ships today.");
                span.put("startTime", start.toString());
                span.put("endTime", start.plusMillis(300).toString());
                spans.add(span);
            }
        }
        for (int i = 0; i < spans.size(); i += 500) {
            Http.Response r = api.post("/api/ingest", Map.of("spans", spans.subList(i, Math.min(spans.size(), i + 500)),
                    "traces", i == 0 ? traceFacts : List.of()));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
    }

    static void codeEvaluator(Http api) {
        assertThat(api.post("/api/evaluators", Map.of("name", "mentions-ships", "kind", "code",
                "config", Map.of("builtin", "contains", "params", Map.of("value", "ships")))).status()).isEqualTo(201);
    }

    /** Runs a scan and waits until every picked target is evaluated; returns the counts by status. */
    static JsonNode settle(TestServer server, String rule) {
        server.services().online().scan();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                server.api().get("/api/online-rules/" + rule).json().path("evaluations").path("queued").asLong() == 0);
        return server.api().get("/api/online-rules/" + rule).json().path("evaluations");
    }

    static long total(JsonNode counts) {
        long total = 0;
        for (JsonNode n : counts) {
            total += n.asLong();
        }
        return total;
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void samplingRateIsHonouredAndFiltersSelectSpans(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect, CONFIG)) {
            Http api = server.api();
            codeEvaluator(api);
            assertThat(api.post("/api/online-rules", Map.of("name", "sampled", "evaluator", "mentions-ships",
                    "filter", Map.of("kind", "llm", "model", "sim-1"), "samplingRate", 0.2)).status()).isEqualTo(201);
            assertThat(api.post("/api/online-rules", Map.of("name", "beta-sim-2", "evaluator", "mentions-ships",
                    "filter", Map.of("model", "sim-2", "tags", List.of("beta"), "metadata", Map.of("env", "prod")),
                    "samplingRate", 1)).status()).isEqualTo(201);
            ingest(api, 0, 100, 10, "sim-1", List.of());
            ingest(api, 100, 5, 10, "sim-2", List.of("beta"));
            ingest(api, 105, 5, 10, "sim-2", List.of());

            JsonNode sampled = settle(server, "sampled");
            // 1000 candidates at p = 0.2: mean 200, sd 12.6; the bound is ±5 sd.
            assertThat(total(sampled)).isBetween(137L, 263L);
            assertThat(sampled.path("scored").asLong()).isEqualTo(total(sampled));
            JsonNode beta = settle(server, "beta-sim-2");
            assertThat(beta.path("scored").asLong()).isEqualTo(50);
            JsonNode scores = api.get("/api/scores?targetType=span&targetId=" + hex((100L << 16) + 1, 16)).json();
            assertThat(scores.path("data").get(0).path("passed").asBoolean()).isTrue();
            assertThat(scores.path("data").get(0).path("author").asText()).isEqualTo("online rule beta-sim-2");

            // Scanning again picks nothing twice.
            assertThat(total(settle(server, "beta-sim-2"))).isEqualTo(50);
        }
    }

    @Test
    void samplingIsDeterministicPerTargetAndNearTheRate() {
        int picked = 0;
        for (int i = 0; i < 10_000; i++) {
            boolean first = OnlineEvalService.sampled("rule-1", "span-" + i, 0.2);
            assertThat(OnlineEvalService.sampled("rule-1", "span-" + i, 0.2)).isEqualTo(first);
            picked += first ? 1 : 0;
        }
        // mean 2000, sd 40
        assertThat(picked).isBetween(1800, 2200);
    }

    @Test
    void pausedRulesDoNoWorkAndBackfillCoversThePast() {
        try (TestServer server = TestServer.start(Dialect.SQLITE, CONFIG)) {
            Http api = server.api();
            codeEvaluator(api);
            ingest(api, 0, 10, 2, "sim-1", List.of());
            // A new rule looks at traffic from now on.
            assertThat(api.post("/api/online-rules", Map.of("name", "all", "evaluator", "mentions-ships",
                    "target", "trace")).status()).isEqualTo(201);
            assertThat(total(settle(server, "all"))).isZero();

            assertThat(api.post("/api/online-rules/all/backfill", Map.of("from", Instant.now().minusSeconds(3600)
                    .toString(), "to", Instant.now().plusSeconds(60).toString())).status()).isEqualTo(202);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                    api.get("/api/online-rules/all").json().path("evaluations").path("scored").asLong() == 10);

            assertThat(api.patch("/api/online-rules/all", Map.of("paused", true)).json().path("paused").asBoolean())
                    .isTrue();
            ingest(api, 20, 5, 1, "sim-1", List.of());
            assertThat(total(settle(server, "all"))).isEqualTo(10);
            // Resuming does not evaluate what arrived while paused.
            api.patch("/api/online-rules/all", Map.of("paused", false));
            ingest(api, 30, 3, 1, "sim-1", List.of());
            assertThat(total(settle(server, "all"))).isEqualTo(13);

            assertThat(api.post("/api/online-rules", Map.of("name", "x", "evaluator", "nope")).status()).isEqualTo(422);
            assertThat(api.post("/api/online-rules", Map.of("name", "y", "evaluator", "mentions-ships",
                    "samplingRate", 1.5)).status()).isEqualTo(422);
            assertThat(api.post("/api/online-rules", Map.of("name", "all", "evaluator", "mentions-ships")).status())
                    .isEqualTo(409);
        }
    }

    @Test
    void theDailyBudgetStopsJudgeCalls() {
        Map<ConfigKey, String> config = new java.util.HashMap<>(CONFIG);
        config.put(ConfigKey.JOB_WORKERS, "1");
        try (TestServer server = TestServer.start(Dialect.SQLITE, config)) {
            Http api = server.api();
            assertThat(api.post("/api/evaluators", Map.of("name", "answers", "kind", "llm",
                    "config", Map.of("preset", "answers-question"))).status()).isEqualTo(201);
            assertThat(api.post("/api/online-rules", Map.of("name", "judge", "evaluator", "answers",
                    "dailyBudget", 0.0000001)).status()).isEqualTo(201);
            ingest(api, 0, 5, 1, "sim-1", List.of());
            JsonNode counts = settle(server, "judge");
            // One worker: the first call spends past the tiny budget, every later one is skipped.
            assertThat(counts.path("scored").asLong()).isEqualTo(1);
            assertThat(counts.path("skipped_budget").asLong()).isEqualTo(4);
            assertThat(api.get("/api/online-rules/judge").json().path("spentToday").asDouble()).isPositive();
        }
    }
}
