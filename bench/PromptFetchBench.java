import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Prompt fetch latency as a client sees it: GET /api/prompts/{name}?label=… over keep-alive HTTP/1.1,
 * from a few concurrent callers, after a warm-up; prints p50/p90/p99/max for a full fetch (200) and
 * a revalidation (If-None-Match → 304). Client-side latency includes the client, so it bounds the
 * server time from above.
 *
 * Usage: java bench/PromptFetchBench.java URL API_KEY [requests] [concurrency] [name] [label]
 */
public final class PromptFetchBench {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String key = args[1];
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        String name = args.length > 4 ? args[4] : "support/answer";
        String label = args.length > 5 ? args[5] : "production";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create(url + "/api/prompts/" + name + "?label=" + label);
        HttpResponse<String> first = http.send(request(uri, key, null), HttpResponse.BodyHandlers.ofString());
        if (first.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " → " + first.statusCode() + ": " + first.body());
        }
        String etag = first.headers().firstValue("ETag").orElseThrow();
        System.out.printf("prompt %s?label=%s: %d bytes, %d requests, %d callers%n", name, label,
                first.body().length(), requests, concurrency);
        run(http, uri, key, null, 200, Math.max(2_000, requests / 10), concurrency); // warm-up
        double[] before = serverTime(http, url, "200");
        report("fetch (200)", run(http, uri, key, null, 200, requests, concurrency));
        reportServer(before, serverTime(http, url, "200"));
        before = serverTime(http, url, "304");
        report("revalidate (304)", run(http, uri, key, etag, 304, requests, concurrency));
        reportServer(before, serverTime(http, url, "304"));
    }

    /** Count and total seconds of the server's own timer for the prompt route (from /metrics). */
    private static double[] serverTime(HttpClient http, String url, String status) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double[] countAndSum = new double[2];
        for (String line : metrics.split("\n")) {
            if (line.contains("route=\"/api/prompts/<name>\"") && line.contains("status=\"" + status + "\"")
                    && line.contains("method=\"GET\"")) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (line.startsWith("http_server_requests_seconds_count")) {
                    countAndSum[0] = value;
                } else if (line.startsWith("http_server_requests_seconds_sum")) {
                    countAndSum[1] = value;
                }
            }
        }
        return countAndSum;
    }

    private static void reportServer(double[] before, double[] after) {
        double count = after[0] - before[0];
        System.out.printf("%-17s server-side mean %.3f ms over %.0f requests (Javalin request timer)%n", "",
                count == 0 ? 0 : (after[1] - before[1]) / count * 1000, count);
    }

    private static HttpRequest request(URI uri, String key, String etag) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key).GET();
        return (etag == null ? b : b.header("If-None-Match", etag)).build();
    }

    private static Result run(HttpClient http, URI uri, String key, String etag, int expected, int requests,
                              int concurrency) throws Exception {
        HttpRequest request = request(uri, key, etag);
        long[] latencies = new long[requests];
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                int worker = w;
                workers.add(pool.submit(() -> {
                    for (int i = worker; i < requests; i += concurrency) {
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        latencies[i] = System.nanoTime() - t0;
                        if (r.statusCode() != expected) {
                            throw new IllegalStateException("status " + r.statusCode());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        }
        return new Result(latencies, System.nanoTime() - started);
    }

    private record Result(long[] latencies, long wallNanos) {
    }

    private static void report(String what, Result result) {
        long[] sorted = result.latencies().clone();
        Arrays.sort(sorted);
        System.out.printf("%-17s p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms  (%.0f req/s)%n", what,
                ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6,
                sorted.length / (result.wallNanos() / 1e9));
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
