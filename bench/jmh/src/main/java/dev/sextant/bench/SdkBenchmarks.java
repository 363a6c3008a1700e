package dev.sextant.bench;

import com.sun.net.httpserver.HttpServer;
import dev.sextant.sdk.LlmSpan;
import dev.sextant.sdk.Prompt;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.SextantSpan;
import dev.sextant.sdk.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Caller-thread cost of the SDK (DESIGN.md budgets: ≤ 1 µs per span, ≤ 1 µs per cached prompt
 * fetch). Spans go to an exporter that discards them, so only the application's side is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SdkBenchmarks {
    private Sextant sextant;
    private HttpServer promptServer;

    /** Discards spans: the export thread's work is not what is measured here. */
    static final class DiscardingExporter implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        // A local endpoint serving one prompt, so the first fetch fills the cache.
        promptServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = ("{\"name\":\"support/answer\",\"version\":3,\"labels\":[\"production\"],"
                + "\"messages\":[{\"role\":\"system\",\"content\":\"You support {{product}}.\"}],"
                + "\"model\":{\"provider\":\"sim\",\"name\":\"sim-1\"}}").getBytes(StandardCharsets.UTF_8);
        promptServer.createContext("/api/prompts/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        promptServer.start();
        sextant = Sextant.builder().url("http://127.0.0.1:" + promptServer.getAddress().getPort())
                .apiKey("sk-sx-bench").exporter(new DiscardingExporter()).maxQueueSize(65_536)
                .promptCacheTtl(Duration.ofHours(1)).build();
        sextant.prompts().get("support/answer");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sextant.close();
        promptServer.stop(0);
    }

    @Benchmark
    public String spanWithAttributes() {
        try (SextantSpan span = sextant.span("retrieve", SpanKind.RETRIEVAL)) {
            span.attribute("docs", 3L);
            return span.spanId();
        }
    }

    @Benchmark
    public String llmSpanWithUsage() {
        try (LlmSpan llm = sextant.llm("chat sim-1")) {
            llm.model("sim", "sim-1").usage(120, 40).cost(0.0001);
            return llm.spanId();
        }
    }

    @Benchmark
    public Prompt cachedPromptFetch() {
        return sextant.prompts().get("support/answer");
    }
}
