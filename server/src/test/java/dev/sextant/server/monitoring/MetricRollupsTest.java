package dev.sextant.server.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.auth.ApiKey;
import dev.sextant.server.projects.Project;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.MutableClock;
import dev.sextant.server.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rollup path (hourly rollups plus raw edges) gives the same series as reading raw rows only, for
 * every grouping, filter, bucket and range shape, before and after late data and retention.
 */
class MetricRollupsTest {
    private static final List<Metric> METRICS = List.of(Metric.TRACES, Metric.SPANS, Metric.ERRORS,
            Metric.ERROR_RATE, Metric.TOKENS, Metric.COST, Metric.LATENCY_P50, Metric.LATENCY_P95, Metric.LATENCY_P99);
    private static final String[] MODELS = {"sim-1", "sim-2", "gpt-4o"};

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void rollupsAnswerLikeRawRowsThroughLateDataAndRetention(Dialect dialect) {
        // The server's rollup job never runs: nothing queries the server's metrics. The test queries
        // through a service of its own and drives rollups with its own clock.
        try (TestServer server = TestServer.start(dialect)) {
            Jdbi jdbi = server.services().database().jdbi();
            String project = server.project().id();
            Project other = server.newProject("Other");
            Http otherApi = server.api().withKey(server.newKey(other, ApiKey.Kind.SECRET));
            MetricsService metrics = new MetricsService(server.services().database(), rollups(server, Instant.now()));
            Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(8, ChronoUnit.HOURS);
            Instant old = base.minus(3, ChronoUnit.DAYS);
            ingest(server.api(), base, 0, 60);
            ingest(server.api(), old, 100, 10);
            ingest(otherApi, base, 0, 7);
            straddlingTrace(server.api(), base);

            List<Query> queries = queries(base, old);
            Map<Query, List<MetricSeries>> raw = rawResults(metrics, server, jdbi, project, queries);
            refresh(server);
            assertThat(count(jdbi, "SELECT COUNT(*) FROM metric_rollups WHERE project_id = :p", project)).isPositive();
            assertSame(raw, results(metrics, project, queries));
            assertRollupsAreRead(metrics, jdbi, project, base);

            // Late data into rolled-up hours: read raw until the job has rolled it up, then from rollups.
            lateSpans(server.api(), base);
            Map<Query, List<MetricSeries>> beforeJob = results(metrics, project, queries);
            refresh(server);
            Map<Query, List<MetricSeries>> afterJob = results(metrics, project, queries);
            Map<Query, List<MetricSeries>> lateRaw = rawResults(metrics, server, jdbi, project, queries);
            assertThat(lateRaw).isNotEqualTo(raw);
            assertSame(lateRaw, beforeJob);
            assertSame(lateRaw, afterJob);

            // Retention deletes the 3-day-old traces; the next run drops their rollups.
            jdbi.useHandle(h -> h.createUpdate("UPDATE projects SET retention_days = 2 WHERE id = :p")
                    .bind("p", project).execute());
            assertThat(server.services().traces().enforceRetention()).isEqualTo(10);
            refresh(server);
            long cutoff = Instant.now().minus(Duration.ofDays(2)).toEpochMilli();
            assertThat(count(jdbi, "SELECT COUNT(*) FROM metric_rollups WHERE project_id = :p AND hour < "
                    + cutoff, project)).isZero();
            assertThat(count(jdbi, "SELECT COUNT(*) FROM metric_rollup_hours WHERE project_id = :p AND hour < "
                    + cutoff, project)).isZero();
            Map<Query, List<MetricSeries>> afterRetention = results(metrics, project, queries);
            assertSame(rawResults(metrics, server, jdbi, project, queries), afterRetention);
            assertThat(total(afterRetention, queries.getFirst())).isEqualTo(62);

            // The other project's rollups only hold its own traces.
            assertSame(rawResults(metrics, server, jdbi, other.id(), queries), results(metrics, other.id(), queries));
            assertThat(total(results(metrics, other.id(), queries), queries.getFirst())).isEqualTo(7);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aMetricsQueryWakesTheMonitoringJobWhichRollsUpTrafficOnItsOwn(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect, Map.of(ConfigKey.MONITOR_INTERVAL_SECONDS, "1"))) {
            Jdbi jdbi = server.services().database().jdbi();
            String project = server.project().id();
            Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(5, ChronoUnit.HOURS);
            ingest(server.api(), base, 0, 30);
            long jobs = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM jobs WHERE kind = :k")
                    .bind("k", MetricRollups.JOB).mapTo(Long.class).one());
            assertThat(jobs).as("no job before anyone asks for metrics").isZero();
            assertThat(server.api().get("/api/metrics?metric=traces").status()).isEqualTo(200);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String rolled = "SELECT COALESCE(SUM(n), 0) FROM metric_rollups WHERE project_id = :p AND kind = 'all'";
            while (count(jdbi, rolled, project) < 30 && System.nanoTime() < deadline) {
                sleep(100);
            }
            assertThat(count(jdbi, rolled, project)).isEqualTo(30);
            MetricQuery q = new MetricQuery(Metric.TRACES, new TimeRange(base, base.plus(4, ChronoUnit.HOURS)),
                    Duration.ofHours(1), "model", null, null, null, null);
            assertThat(sum(server.services().metrics().series(project, q))).isEqualTo(30);
        }
    }

    /** A query shape: range, bucket, grouping and filters. */
    record Query(Instant from, Instant to, Duration bucket, String groupBy, String promptName, String model) {
        MetricQuery metricQuery() {
            return new MetricQuery(Metric.TRACES, new TimeRange(from, to), bucket, groupBy, promptName, model, null,
                    null);
        }
    }

    private static List<Query> queries(Instant base, Instant old) {
        List<Query> queries = new ArrayList<>();
        // The first query counts every trace of the project in one bucket (see total()).
        queries.add(new Query(old.minus(1, ChronoUnit.DAYS), base.plus(9, ChronoUnit.HOURS), Duration.ofDays(10),
                null, null, null));
        List<Instant[]> ranges = List.of(
                new Instant[] {base, base.plus(6, ChronoUnit.HOURS)},
                new Instant[] {base.minusSeconds(1793), base.plus(7, ChronoUnit.HOURS).minusSeconds(779)},
                new Instant[] {old.minus(2, ChronoUnit.HOURS), base.plus(9, ChronoUnit.HOURS)});
        String[][] slices = {{null, null, null}, {"tag", null, null}, {"model", null, null}, {"model", null, "sim-1"},
            {"promptVersion", null, null}, {"promptVersion", "support", null}, {null, "support", null},
            {null, null, "sim-2"}, {"model", "support", null}, {null, "support", "sim-1"}, {"model", "support", "sim-1"},
            {"promptVersion", null, "sim-1"}, {"promptVersion", "support", "sim-1"}};
        for (Instant[] range : ranges) {
            for (Duration bucket : List.of(Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1))) {
                for (String[] s : slices) {
                    if (Duration.between(range[0], range[1]).dividedBy(bucket) <= MetricQuery.MAX_BUCKETS) {
                        queries.add(new Query(range[0], range[1], bucket, s[0], s[1], s[2]));
                    }
                }
            }
        }
        queries.add(new Query(base, base.plus(6, ChronoUnit.HOURS), Duration.ofMinutes(5), "model", null, null));
        queries.add(new Query(base.minusSeconds(600), base.plus(5, ChronoUnit.HOURS), Duration.ofMinutes(90), null,
                null, null));
        return queries;
    }

    private static Map<Query, List<MetricSeries>> results(MetricsService metrics, String projectId,
                                                          List<Query> queries) {
        Map<Query, List<MetricSeries>> results = new LinkedHashMap<>();
        for (Query q : queries) {
            results.put(q, metrics.seriesOf(projectId, q.metricQuery(), METRICS));
        }
        return results;
    }

    /** Without a rollup state every query reads raw rows; the state is rebuilt by the next refresh. */
    private static Map<Query, List<MetricSeries>> rawResults(MetricsService metrics, TestServer server, Jdbi jdbi,
                                                             String projectId, List<Query> queries) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM metric_rollup_state WHERE project_id = :p")
                .bind("p", projectId).execute());
        Map<Query, List<MetricSeries>> results = results(metrics, projectId, queries);
        refresh(server);
        return results;
    }

    /** Rollups that are not registered as a job: queries through them wake no job. */
    private static MetricRollups rollups(TestServer server, Instant now) {
        return new MetricRollups(server.services().database(), server.services().jobs(), new MutableClock(now),
                Duration.ofHours(1));
    }

    /** Rolls up with a clock a minute ahead: everything written so far is behind the watermark. */
    private static void refresh(TestServer server) {
        rollups(server, Instant.now().plusSeconds(60).plusMillis(1)).refresh();
    }

    /** Tampering with the rollup rows shows in the results of each rollup kind: the rows are read. */
    private static void assertRollupsAreRead(MetricsService metrics, Jdbi jdbi, String project, Instant base) {
        TimeRange range = new TimeRange(base, base.plus(6, ChronoUnit.HOURS));
        String[][] slices = {{null, null, null, "all", ""}, {"tag", null, null, "tag", ""},
            {"model", null, null, "model", ""}, {"promptVersion", null, null, "prompt_version", ""},
            {null, "support", null, "prompt", " AND dim = 'support'"},
            {"model", "support", null, "prompt_model", " AND prompt_name = 'support'"},
            {"promptVersion", null, "sim-1", "model_prompt_version", " AND model = 'sim-1'"}};
        for (String[] slice : slices) {
            MetricQuery q = new MetricQuery(Metric.TRACES, range, Duration.ofHours(1), slice[0], slice[1], slice[2],
                    null, null);
            double before = sum(metrics.series(project, q));
            String rows = "project_id = :p AND kind = '" + slice[3] + "' AND hour >= " + range.from().toEpochMilli()
                    + " AND hour < " + range.to().toEpochMilli() + slice[4];
            long tampered = jdbi.withHandle(h -> h.createUpdate("UPDATE metric_rollups SET traces = traces + 1000 "
                    + "WHERE " + rows).bind("p", project).execute());
            double after = sum(metrics.series(project, q));
            jdbi.useHandle(h -> h.createUpdate("UPDATE metric_rollups SET traces = traces - 1000 WHERE " + rows)
                    .bind("p", project).execute());
            assertThat(tampered).as(slice[3]).isPositive();
            assertThat(after - before).as(slice[3]).isEqualTo(1000.0 * tampered);
        }
        // Per model, a trace counts once (at its first span), even with spans in two hours.
        MetricQuery byModel = new MetricQuery(Metric.TRACES, range, Duration.ofHours(1), "model", null, null, null,
                null);
        assertThat(sum(metrics.series(project, byModel))).isEqualTo(61);
        assertThat(sum(metrics.series(project, byModel.with(Metric.SPANS)))).isEqualTo(62);
    }

    private static double sum(MetricSeries series) {
        return series.series().stream().flatMap(s -> s.points().stream())
                .mapToDouble(p -> p.value() == null ? 0 : p.value()).sum();
    }

    private static void assertSame(Map<Query, List<MetricSeries>> expected, Map<Query, List<MetricSeries>> actual) {
        expected.forEach((q, expectedSeries) -> {
            List<MetricSeries> actualSeries = actual.get(q);
            for (int m = 0; m < METRICS.size(); m++) {
                Map<String, List<MetricSeries.Point>> e = byGroup(expectedSeries.get(m));
                Map<String, List<MetricSeries.Point>> a = byGroup(actualSeries.get(m));
                String what = q + " " + METRICS.get(m);
                assertThat(a.keySet()).as(what).isEqualTo(e.keySet());
                e.forEach((group, points) -> {
                    for (int i = 0; i < points.size(); i++) {
                        MetricSeries.Point ep = points.get(i);
                        MetricSeries.Point ap = a.get(group).get(i);
                        assertThat(ap.time()).as(what).isEqualTo(ep.time());
                        assertThat(ap.count()).as(what + " " + group + " " + ep.time()).isEqualTo(ep.count());
                        if (ep.value() == null) {
                            assertThat(ap.value()).as(what).isNull();
                        } else {
                            assertThat(ap.value()).as(what + " " + group + " " + ep.time())
                                    .isCloseTo(ep.value(), within(1e-9 * Math.max(1, Math.abs(ep.value()))));
                        }
                    }
                });
            }
        });
    }

    private static Map<String, List<MetricSeries.Point>> byGroup(MetricSeries series) {
        Map<String, List<MetricSeries.Point>> groups = new LinkedHashMap<>();
        series.series().forEach(s -> groups.put(s.group(), s.points()));
        return groups;
    }

    private static double total(Map<Query, List<MetricSeries>> results, Query q) {
        return sum(results.get(q).getFirst());
    }

    private static long count(Jdbi jdbi, String sql, String project) {
        return jdbi.withHandle(h -> h.createQuery(sql).bind("p", project).mapTo(Long.class).one());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code n} traces from {@code base}, one every 6 minutes: a chain root and an LLM span (3 models,
     * 2 prompt versions, every 5th without prompt, every 7th an error, every 9th without end time).
     */
    private static void ingest(Http api, Instant base, int first, int n) {
        List<Map<String, Object>> spans = new ArrayList<>();
        List<Map<String, Object>> traces = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            Instant start = base.plusSeconds(360L * (i - first) + 17);
            String traceId = OnlineEvalTest.hex(i + 1, 32);
            spans.add(span(traceId, OnlineEvalTest.hex(i + 1, 16), null, null, 0, start, start.plusMillis(900 + 53L * i),
                    "ok"));
            Map<String, Object> llm = span(traceId, OnlineEvalTest.hex(10_000 + i, 16), MODELS[i % 3],
                    i % 5 == 0 ? null : "support", i % 2 + 1, start.plusMillis(5), i % 9 == 0 ? null
                            : start.plusMillis(100 + 37L * i), i % 7 == 0 ? "error" : "ok");
            spans.add(llm);
            traces.add(Map.of("id", traceId, "tags", i % 4 == 0 ? List.of("beta", "prod") : List.of("prod")));
        }
        post(api, spans, traces);
    }

    /** Two sim-1 spans of one trace on both sides of an hour boundary: one trace per model, not two. */
    private static void straddlingTrace(Http api, Instant base) {
        Instant boundary = base.plus(2, ChronoUnit.HOURS);
        String traceId = OnlineEvalTest.hex(5_000, 32);
        post(api, List.of(
                span(traceId, OnlineEvalTest.hex(5_001, 16), "sim-1", "support", 2, boundary.minusSeconds(10),
                        boundary.minusSeconds(5), "ok"),
                span(traceId, OnlineEvalTest.hex(5_002, 16), "sim-1", "support", 2, boundary.plusSeconds(10),
                        boundary.plusSeconds(12), "ok")), List.of());
    }

    /**
     * An earlier span for an existing trace and a new trace in a rolled-up hour. The existing trace's
     * LLM span is sim-1 on support v1; the late one is sim-2 on the same version: the trace's first span
     * moves for the version, but not for the version within sim-1.
     */
    private static void lateSpans(Http api, Instant base) {
        post(api, List.of(
                span(OnlineEvalTest.hex(7, 32), OnlineEvalTest.hex(7_001, 16), "sim-2", "support", 1,
                        base.plusSeconds(3), base.plusSeconds(4), "error"),
                span(OnlineEvalTest.hex(7_000, 32), OnlineEvalTest.hex(7_002, 16), "sim-1", "support", 1,
                        base.plus(3, ChronoUnit.HOURS).plusSeconds(1_800), base.plus(3, ChronoUnit.HOURS)
                                .plusSeconds(1_802), "ok")), List.of());
    }

    private static Map<String, Object> span(String traceId, String id, String model, String prompt, int version,
                                            Instant start, Instant end, String status) {
        Map<String, Object> span = new LinkedHashMap<>();
        span.put("id", id);
        span.put("traceId", traceId);
        span.put("kind", model == null ? "chain" : "llm");
        span.put("name", model == null ? "turn" : "answer");
        if (model != null) {
            span.put("model", model);
            span.put("usage", Map.of("input", 10 + version, "output", 5));
        }
        if (prompt != null) {
            span.put("promptName", prompt);
            span.put("promptVersion", version);
        }
        span.put("status", status);
        span.put("startTime", start.toString());
        if (end != null) {
            span.put("endTime", end.toString());
        }
        return span;
    }

    private static void post(Http api, List<Map<String, Object>> spans, List<Map<String, Object>> traces) {
        Http.Response r = api.post("/api/ingest", Map.of("spans", spans, "traces", traces));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
}
