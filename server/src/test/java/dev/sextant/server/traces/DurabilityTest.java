package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The server runs as a separate OS process and is hard-killed while clients are sending spans;
 * after a restart on the same data directory every acknowledged span is there.
 */
class DurabilityTest {
    private static final int SPANS_PER_REQUEST = 50;

    @Test
    void everyAcknowledgedSpanSurvivesAHardKillDuringIngestion() throws Exception {
        Path dataDir = Files.createTempDirectory("sextant-durability-");
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Process server = startServer(dataDir, port);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            awaitHealthy(url);
            Http api = new Http(url).withKey(TestServer.API_KEY);
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicLong sequence = new AtomicLong();
            for (int c = 0; c < 4; c++) {
                clients.submit(() -> {
                    while (sending.get()) {
                        long n = sequence.incrementAndGet();
                        String traceId = String.format("%032x", n);
                        try {
                            Http.Response response = api.send("POST", "/v1/traces", "application/x-protobuf",
                                    batch(traceId).toByteArray());
                            if (response.status() == 200) {
                                acknowledged.add(traceId);
                            }
                        } catch (RuntimeException connectionLost) {
                            // Expected once the process is killed.
                        }
                    }
                });
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 40);
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            sending.set(false);
        } finally {
            clients.shutdown();
            clients.awaitTermination(30, TimeUnit.SECONDS);
            server.destroyForcibly();
        }

        Process restarted = startServer(dataDir, port);
        try {
            awaitHealthy(url);
            Http api = new Http(url).withKey(TestServer.API_KEY);
            List<String> missing = new ArrayList<>();
            for (String traceId : acknowledged) {
                int spans = api.get("/api/traces/" + traceId).json().path("trace").path("spanCount").asInt();
                if (spans != SPANS_PER_REQUEST) {
                    missing.add(traceId + " has " + spans);
                }
            }
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(40);
            assertThat(missing).isEmpty();
        } finally {
            restarted.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest batch(String traceId) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < SPANS_PER_REQUEST; i++) {
            spans.add(AttributeRulesTest.genAiChat().toBuilder()
                    .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
                    .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(traceId.substring(16, 30)
                            + String.format("%02x", i + 1)))).build());
        }
        return AttributeRulesTest.request(spans.toArray(Span[]::new));
    }

    private static Process startServer(Path dataDir, int port) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), "dev.sextant.server.cli.Main", "serve",
                "--port", Integer.toString(port), "--data-dir", dataDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile());
        builder.environment().put("SEXTANT_HOST", "127.0.0.1");
        builder.environment().put("SEXTANT_INIT_ADMIN_EMAIL", TestServer.ADMIN_EMAIL);
        builder.environment().put("SEXTANT_INIT_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD);
        builder.environment().put("SEXTANT_INIT_PROJECT", TestServer.PROJECT);
        builder.environment().put("SEXTANT_INIT_API_KEY", TestServer.API_KEY);
        return builder.start();
    }

    private static void awaitHealthy(String url) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> new Http(url).get("/health").status() == 200);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
