package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExportQueueTest {

    /** An exporter stuck until released, like a server that stopped answering. */
    static final class StuckExporter implements SpanExporter {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger received = new AtomicInteger();

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.addAndGet(spans.size());
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

    @Test
    void aStuckServerNeverBlocksTheApplicationAndDropsAreCounted() {
        StuckExporter exporter = new StuckExporter();
        try (Sextant sextant = Sextant.builder().exporter(exporter).maxQueueSize(50).maxExportBatchSize(10)
                .scheduleDelay(Duration.ofMillis(10)).exportTimeout(Duration.ofSeconds(30)).build()) {
            for (int i = 0; i < 2_000; i++) {
                try (SextantSpan span = sextant.span("work " + i, SpanKind.CHAIN)) {
                    span.input("x");
                }
            }
            // All 2,000 spans ended while the exporter was stuck: the loop was never blocked.
            assertThat(sextant.droppedSpans()).isGreaterThanOrEqualTo(2_000 - 50 - 10);
            exporter.release.countDown();
            sextant.flush();
            assertThat(exporter.received.get() + sextant.droppedSpans()).isEqualTo(2_000);
        }
    }

    @Test
    void anUnreachableServerCostsTheApplicationNothingButTheTelemetry() {
        try (Sextant sextant = Sextant.builder().url("http://127.0.0.1:9").apiKey("sk-sx-nothing")
                .exportTimeout(Duration.ofSeconds(2)).scheduleDelay(Duration.ofMillis(10)).build()) {
            try (LlmSpan llm = sextant.llm("chat")) {
                llm.model("sim", "sim-1").outputText("hello");
            }
            sextant.flush();
            assertThat(sextant.failedSpans()).isEqualTo(1);
            assertThat(sextant.exportedSpans()).isZero();
        }
    }
}
