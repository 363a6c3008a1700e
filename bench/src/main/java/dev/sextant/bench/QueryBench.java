package dev.sextant.bench;

import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates {@code traces} single-span traces spread over 30 days through OTLP, then measures the
 * trace list API (first page) with common filters.
 */
final class QueryBench {
    private static final long DAY_NANOS = TimeUnit.DAYS.toNanos(1);

    private final Options options;
    private final HttpClient http = HttpClient.newHttpClient();

    QueryBench(Options options) {
        this.options = options;
    }

    void run() throws Exception {
        String url = options.required("url");
        String key = options.required("key");
        long traces = options.number("traces", 1_000_000);
        int iterations = (int) options.number("iterations", 50);
        if (!options.flag("skip-generate")) {
            generate(url, key, traces);
        }
        // Time for the server's background work after a bulk load (the SQLite search index
        // catches up only once ingestion leaves the writer spare time).
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.number("settle-seconds", 0)));
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("newest first page", "/api/traces");
        queries.put("status=error", "/api/traces?status=error");
        queries.put("userId", "/api/traces?userId=user-1234");
        queries.put("sessionId", "/api/traces?sessionId=session-4321");
        queries.put("name", "/api/traces?name=summarize");
        queries.put("last 24 h", "/api/traces?from=" + java.time.Instant.now().minusSeconds(86_400));
        queries.put("sort=latency", "/api/traces?sort=latency");
        queries.put("sort=cost", "/api/traces?sort=cost");
        queries.put("minLatencyMs=3000", "/api/traces?minLatencyMs=3000");
        queries.put("model=claude-sonnet-4", "/api/traces?model=claude-sonnet-4");
        queries.put("q=customer 777777 (1 match)", "/api/traces?q=customer%20777777");
        queries.put("q=order (every trace)", "/api/traces?q=order");
        for (Map.Entry<String, String> query : queries.entrySet()) {
            Latencies latencies = new Latencies();
            int status = 0;
            for (int i = 0; i < iterations + 3; i++) {
                long sent = System.nanoTime();
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url + query.getValue()))
                        .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                status = response.statusCode();
                if (i >= 3) {
                    latencies.add((System.nanoTime() - sent) / 1000);
                }
            }
            System.out.printf(Locale.ROOT, "%-28s %s  [HTTP %d]%n", query.getKey(), latencies.summary(), status);
        }
    }

    private void generate(String url, String key, long traces) throws Exception {
        int perRequest = 500;
        long requests = (traces + perRequest - 1) / perRequest;
        AtomicLong done = new AtomicLong();
        long now = System.currentTimeMillis() * 1_000_000L;
        long started = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (long r = 0; r < requests; r++) {
            long request = r;
            clients.submit(() -> {
                List<Span> batch = new ArrayList<>(perRequest);
                for (int i = 0; i < perRequest; i++) {
                    int n = (int) (request * perRequest + i);
                    long start = now - (long) ((double) n / traces * 30 * DAY_NANOS);
                    batch.add(Spans.chat(Spans.id(16), null, 600, start, n));
                }
                byte[] body = Spans.request(batch).toByteArray();
                for (int attempt = 0; attempt < 20; attempt++) {
                    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/traces"))
                            .header("Authorization", "Bearer " + key).header("Content-Type", "application/x-protobuf")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() == 200) {
                        break;
                    }
                    Thread.sleep(1000);
                }
                long total = done.addAndGet(perRequest);
                if (total % 100_000 == 0) {
                    System.out.printf(Locale.ROOT, "generated %d traces (%.0f/s)%n", total,
                            total / ((System.nanoTime() - started) / 1e9));
                }
                return null;
            });
        }
        clients.shutdown();
        clients.awaitTermination(12, TimeUnit.HOURS);
        System.out.printf(Locale.ROOT, "generated %d traces in %.0f s%n", done.get(), (System.nanoTime() - started) / 1e9);
    }
}
