package dev.sextant.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * OTLP/HTTP protobuf load: {@code concurrency} clients send requests of {@code spans-per-request}
 * spans of about {@code span-bytes} each for {@code duration} seconds, optionally paced to
 * {@code rate} spans/s in total. Reports acknowledged spans/s and request latency percentiles;
 * with {@code report-every} seconds, also the rate of each such interval, to show whether a long
 * run holds its pace as the database grows.
 */
final class OtlpLoad {
    private final Options options;

    OtlpLoad(Options options) {
        this.options = options;
    }

    void run() throws Exception {
        String url = options.required("url") + "/v1/traces";
        String key = options.required("key");
        int concurrency = (int) options.number("concurrency", 8);
        long seconds = options.number("duration", 30);
        int spanBytes = (int) options.number("span-bytes", 1000);
        int perRequest = (int) options.number("spans-per-request", 100);
        long rate = options.number("rate", 0);
        long reportEvery = options.number("report-every", 0);
        // 1: every span is the root of its own trace (the writer's worst case: a trace row per span).
        int perTrace = (int) Math.max(1, options.number("spans-per-trace", 1));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Latencies latencies = new Latencies();
        AtomicLong spans = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        // With a rate, each client sends one request every interval.
        long intervalNanos = rate > 0 ? (long) (1e9 * perRequest * concurrency / rate) : 0;
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
        if (reportEvery > 0) {
            AtomicLong reported = new AtomicLong();
            progress.scheduleAtFixedRate(() -> {
                long total = spans.get();
                System.out.printf(Locale.ROOT, "%4.0f s: %d spans/s%n", (System.nanoTime() - start) / 1e9,
                        (total - reported.getAndSet(total)) / reportEvery);
            }, reportEvery, reportEvery, TimeUnit.SECONDS);
        }
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        for (int c = 0; c < concurrency; c++) {
            // Paced clients start evenly spread over one interval: synchronized clients would send
            // bursts of concurrency x spans-per-request at once, which real traffic does not.
            long offsetNanos = intervalNanos * c / concurrency;
            clients.submit(() -> {
                long next = System.nanoTime() + offsetNanos;
                while (System.nanoTime() < end) {
                    List<Span> batch = new ArrayList<>(perRequest);
                    long now = System.currentTimeMillis() * 1_000_000L;
                    ByteString traceId = null;
                    ByteString root = null;
                    for (int i = 0; i < perRequest; i++) {
                        int n = (int) sequence.incrementAndGet();
                        if (i % perTrace == 0) {
                            traceId = Spans.id(16);
                            root = null;
                        }
                        Span span = Spans.chat(traceId, root, spanBytes, now, n);
                        root = root == null ? span.getSpanId() : root;
                        batch.add(span);
                    }
                    byte[] body = Spans.request(batch).toByteArray();
                    if (intervalNanos > 0) {
                        next += intervalNanos;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/x-protobuf")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        latencies.add((System.nanoTime() - sent) / 1000);
                        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
                        if (response.statusCode() == 200) {
                            spans.addAndGet(perRequest);
                        }
                    } catch (Exception e) {
                        statuses.computeIfAbsent(-1, s -> new AtomicLong()).incrementAndGet();
                    }
                }
                return null;
            });
        }
        clients.shutdown();
        clients.awaitTermination(seconds + 120, TimeUnit.SECONDS);
        progress.shutdownNow();
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "OTLP load: %d clients, %d spans/request, %d spans/trace, ~%d B/span, %s, %.0f s%n",
                concurrency, perRequest, perTrace, spanBytes, rate > 0 ? "target " + rate + " spans/s" : "unpaced", elapsed);
        System.out.printf(Locale.ROOT, "acknowledged: %d spans, %.0f spans/s%n", spans.get(), spans.get() / elapsed);
        System.out.println("request latency: " + latencies.summary());
        System.out.println("statuses: " + statuses);
    }
}
