package dev.sextant.server.monitoring;

import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dashboard aggregates over a large project (docs/BENCHMARKS.md). Off by default; run with
 * {@code -Dbench=true -Dbench.spans=1000000}. Rows are inserted with JDBC batches (the ingestion path is
 * benchmarked separately): traces of two spans (a chain and an LLM call) over 30 days, end-user feedback
 * on 15 % of them; then the hourly rollups are built once, as the monitoring job does.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class DashboardBench {
    private static final int RUNS = 7;

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void dashboardAggregates(Dialect dialect) {
        int spans = Integer.getInteger("bench.spans", 1_000_000);
        // The rollup job runs at start (empty project), then only when the bench runs it.
        try (TestServer server = TestServer.start(dialect, Map.of(ConfigKey.MONITOR_INTERVAL_SECONDS, "3600"))) {
            String projectId = server.project().id();
            long started = System.nanoTime();
            generate(server, projectId, spans / 2);
            System.out.printf("BENCH %s generated %d spans in %d s%n", dialect, spans,
                    (System.nanoTime() - started) / 1_000_000_000);
            if (dialect == Dialect.POSTGRES) {
                // What autovacuum does within a minute of a bulk load; plans without statistics are arbitrary.
                server.services().database().jdbi().useHandle(h -> h.execute("ANALYZE"));
            }
            // Like upgrading a server that holds this history: without a rollup state, the monitoring job's
            // first run rolls up every hour (traces were written as they started, so none is "new").
            server.services().database().jdbi().useHandle(h -> h.execute("DELETE FROM metric_rollup_state"));
            started = System.nanoTime();
            server.services().rollups().refresh();
            System.out.printf("BENCH %s initial rollup of %d spans in %d ms%n", dialect, spans,
                    (System.nanoTime() - started) / 1_000_000);
            time(dialect + " rollup run with nothing new", () -> server.services().rollups().refresh());
            MetricsService metrics = server.services().metrics();
            // Like the dashboard page: up to the next minute, so both ends are partial hours read raw.
            Instant to = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
            for (String rangeName : List.of("7d", "30d")) {
                TimeRange range = new TimeRange(to.minus(rangeName.equals("7d") ? Duration.ofDays(7)
                        : Duration.ofDays(30)), to);
                Duration bucket = MetricQuery.bucket(null, range);
                List<Metric> dashboard = List.of(Metric.TRACES, Metric.SPANS, Metric.LATENCY_P50, Metric.LATENCY_P95,
                        Metric.LATENCY_P99, Metric.ERRORS, Metric.ERROR_RATE, Metric.TOKENS, Metric.COST,
                        Metric.VOTE_RATIO, Metric.ACTIONS);
                MetricQuery base = new MetricQuery(Metric.TRACES, range, bucket, null, null, null, null, null);
                time(dialect + " " + rangeName + " dashboard (11 metrics, ungrouped)", () ->
                        metrics.seriesOf(projectId, base, dashboard));
                MetricQuery byModel = new MetricQuery(Metric.TRACES, range, bucket, "model", null, null, null, null);
                time(dialect + " " + rangeName + " dashboard by model (11 metrics)", () ->
                        metrics.seriesOf(projectId, byModel, dashboard));
                MetricQuery byVersion = new MetricQuery(Metric.TRACES, range, bucket, "promptVersion", null, null,
                        null, null);
                time(dialect + " " + rangeName + " dashboard by prompt version (11 metrics)", () ->
                        metrics.seriesOf(projectId, byVersion, dashboard));
                MetricQuery byTag = new MetricQuery(Metric.TRACES, range, bucket, "tag", null, null, null, null);
                time(dialect + " " + rangeName + " dashboard by tag (9 metrics, no feedback)", () ->
                        metrics.seriesOf(projectId, byTag, dashboard.subList(0, 9)));
                MetricQuery modelOfPrompt = new MetricQuery(Metric.TRACES, range, bucket, "model", "support-answer",
                        null, null, null);
                time(dialect + " " + rangeName + " dashboard by model of one prompt (11 metrics)", () ->
                        metrics.seriesOf(projectId, modelOfPrompt, dashboard));
                MetricQuery versionsOfModel = new MetricQuery(Metric.TRACES, range, bucket, "promptVersion", null,
                        "sim-1", null, null);
                time(dialect + " " + rangeName + " dashboard by prompt version of one model (11 metrics)", () ->
                        metrics.seriesOf(projectId, versionsOfModel, dashboard));
                time(dialect + " " + rangeName + " latency p95 only", () -> metrics.series(projectId,
                        new MetricQuery(Metric.LATENCY_P95, range, bucket, null, null, null, null, null)));
                time(dialect + " " + rangeName + " traces by model", () -> metrics.series(projectId,
                        new MetricQuery(Metric.TRACES, range, bucket, "model", null, null, null, null)));
                time(dialect + " " + rangeName + " latency p95 by prompt version", () -> metrics.series(projectId,
                        new MetricQuery(Metric.LATENCY_P95, range, bucket, "promptVersion", null, null, null, null)));
                time(dialect + " " + rangeName + " traces by tag", () -> metrics.series(projectId,
                        new MetricQuery(Metric.TRACES, range, bucket, "tag", null, null, null, null)));
            }
        }
    }

    private static void time(String name, Runnable work) {
        work.run();
        long[] ms = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t) / 1_000_000;
        }
        Arrays.sort(ms);
        System.out.printf("BENCH %-60s median %5d ms  max %5d ms%n", name, ms[RUNS / 2], ms[RUNS - 1]);
    }

    private static void generate(TestServer server, String projectId, int traces) {
        Random random = new Random(1);
        long end = Instant.now().toEpochMilli();
        long span30 = Duration.ofDays(30).toMillis();
        String[] models = {"gpt-4o", "gpt-4o-mini", "claude-sonnet-4", "sim-1", "sim-2"};
        int batch = 5_000;
        for (int from = 0; from < traces; from += batch) {
            int first = from;
            server.services().database().jdbi().useTransaction(h -> {
                PreparedBatch t = h.prepareBatch("INSERT INTO traces (project_id, id, name, tags, start_time, "
                        + "end_time, latency_ms, status, span_count, error_count, input_tokens, output_tokens, "
                        + "total_tokens, cost, updated_at) VALUES (:p, :id, 'turn', :tags, :start, :end, :lat, :status, "
                        + "2, :errors, :in, :out, :total, :cost, :start)");
                PreparedBatch s = h.prepareBatch("INSERT INTO spans (project_id, id, trace_id, trace_seq, parent_id, kind, "
                        + "name, model, input_tokens, output_tokens, cost, start_time, end_time, status, prompt_name, "
                        + "prompt_version, sort_time) VALUES (:p, :id, :trace, (SELECT seq FROM traces WHERE "
                        + "project_id = :p AND id = :trace), :parent, :kind, :name, :model, :in, :out, "
                        + ":cost, :start, :end, :status, :prompt, :version, :start)");
                PreparedBatch f = h.prepareBatch("INSERT INTO feedback (id, project_id, trace_id, span_id, kind, vote, "
                        + "action, prompt_name, prompt_version, model, created_at) VALUES (:id, :p, :trace, :span, :kind, "
                        + ":vote, :action, 'support-answer', :version, :model, :at)");
                for (int i = first; i < Math.min(traces, first + batch); i++) {
                    String traceId = String.format("%032x", i + 1);
                    long start = end - (long) (random.nextDouble() * span30);
                    long latency = 200 + (long) (random.nextGaussian() * 300 + 900) + random.nextInt(50);
                    latency = Math.max(50, latency);
                    boolean error = random.nextInt(50) == 0;
                    long in = 300 + random.nextInt(500);
                    long out = 20 + random.nextInt(200);
                    double cost = (in * 2.5 + out * 10) / 1_000_000;
                    t.bind("p", projectId).bind("id", traceId).bind("tags", random.nextInt(4) == 0
                                    ? "[\"beta\"]" : "[\"prod\"]").bind("start", start).bind("end", start + latency)
                            .bind("lat", latency).bind("status", error ? "error" : "ok").bind("errors", error ? 1 : 0)
                            .bind("in", in).bind("out", out).bind("total", in + out).bind("cost", cost).add();
                    String root = String.format("a%015x", i + 1);
                    s.bind("p", projectId).bind("id", root).bind("trace", traceId).bind("parent", (String) null)
                            .bind("kind", "chain").bind("name", "turn").bind("model", (String) null)
                            .bind("in", (Long) null).bind("out", (Long) null).bind("cost", (Double) null)
                            .bind("start", start).bind("end", start + latency).bind("status", error ? "error" : "ok")
                            .bind("prompt", (String) null).bind("version", (Integer) null).add();
                    String model = models[random.nextInt(models.length)];
                    int version = 1 + random.nextInt(4);
                    String llm = String.format("b%015x", i + 1);
                    s.bind("p", projectId).bind("id", llm).bind("trace", traceId)
                            .bind("parent", root).bind("kind", "llm").bind("name", "chat")
                            .bind("model", model).bind("in", in).bind("out", out)
                            .bind("cost", cost).bind("start", start + 10).bind("end", start + latency - 10)
                            .bind("status", error ? "error" : "ok").bind("prompt", "support-answer")
                            .bind("version", version).add();
                    // End-user feedback on 15 % of the traces: 10 % votes (4 in 5 up), 5 % copy actions.
                    int r = random.nextInt(100);
                    if (r < 15) {
                        f.bind("id", String.format("f%015x", i + 1)).bind("p", projectId).bind("trace", traceId)
                                .bind("span", llm).bind("kind", r < 10 ? "vote" : "action")
                                .bind("vote", r < 8 ? (Integer) 1 : r < 10 ? (Integer) (-1) : null)
                                .bind("action", r < 10 ? null : "copy").bind("version", version).bind("model", model)
                                .bind("at", start + latency + 5_000).add();
                    }
                }
                t.execute();
                s.execute();
                if (f.size() > 0) {
                    f.execute();
                }
            });
        }
    }
}
