package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingTest {

    private static SpanData named(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void nestedSpansFormOneTreeWithGenAiAttributes() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        List<SpanData> finished = new java.util.ArrayList<>();
        try (Sextant sextant = Sextant.builder().exporter(exporter).build()) {
            try (SextantSpan turn = sextant.trace("answer question").sessionId("s-1").userId("u-42").tags("beta")) {
                try (SextantSpan retrieval = sextant.span("search docs", SpanKind.RETRIEVAL)) {
                    retrieval.input("refund policy").output(List.of("doc-1", "doc-7"));
                }
                try (LlmSpan llm = sextant.llm("chat sim-1")) {
                    llm.model("sim", "sim-1").temperature(0.2)
                            .inputMessages(List.of(Message.system("Be brief."), Message.user("Refund?")))
                            .outputText("Within 30 days.").usage(12, 5);
                }
                try (ToolSpan tool = sextant.tool("lookup_order")) {
                    tool.arguments("{\"id\":7}").result(Map.of("status", "shipped"));
                }
            }
            sextant.flush();
            finished.addAll(exporter.getFinishedSpanItems());
        }
        List<SpanData> spans = finished;
        assertThat(spans).hasSize(4);
        SpanData root = named(spans, "answer question");
        assertThat(root.getParentSpanContext().isValid()).isFalse();
        assertThat(spans).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(root.getTraceId()));
        assertThat(spans).filteredOn(s -> s != root)
                .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(root.getSpanId()));
        assertThat(root.getAttributes().get(AttributeKey.stringKey("sextant.session.id"))).isEqualTo("s-1");
        assertThat(root.getAttributes().get(AttributeKey.stringArrayKey("sextant.tags"))).containsExactly("beta");

        SpanData llm = named(spans, "chat sim-1");
        assertThat(llm.getKind()).isEqualTo(io.opentelemetry.api.trace.SpanKind.CLIENT);
        assertThat(llm.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("sim");
        assertThat(llm.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("sim-1");
        assertThat(llm.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(12L);
        assertThat(llm.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")))
                .contains("\"role\":\"system\"").contains("\"content\":\"Refund?\"");
        assertThat(llm.getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages")))
                .contains("Within 30 days.");

        SpanData tool = named(spans, "execute_tool lookup_order");
        assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name"))).isEqualTo("lookup_order");
        assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.result")))
                .isEqualTo("{\"status\":\"shipped\"}");
        assertThat(named(spans, "search docs").getAttributes().get(AttributeKey.stringKey("sextant.span.kind")))
                .isEqualTo("retrieval");
    }

    @Test
    void withContentCaptureOffNoTextIsRecorded() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        SpanData llm;
        try (Sextant sextant = Sextant.builder().exporter(exporter).captureContent(false).build()) {
            try (LlmSpan call = sextant.llm("chat")) {
                call.model("openai", "gpt-4o-mini").inputMessages(List.of(Message.user("my card is 4111")))
                        .outputText("noted").usage(3, 1).input("secret").output("secret");
            }
            sextant.flush();
            llm = exporter.getFinishedSpanItems().getFirst();
        }
        assertThat(llm.getAttributes().asMap().toString()).doesNotContain("4111").doesNotContain("secret")
                .doesNotContain("noted");
        assertThat(llm.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(1L);
    }

    @Test
    void errorsAreRecordedOnTheSpan() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        SpanData span;
        try (Sextant sextant = Sextant.builder().exporter(exporter).build()) {
            try (SextantSpan failing = sextant.span("call tool", SpanKind.TOOL)) {
                failing.error(new IllegalStateException("timeout after 30s"));
            }
            sextant.flush();
            span = exporter.getFinishedSpanItems().getFirst();
        }
        assertThat(span.getStatus().getStatusCode()).isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).isEqualTo("timeout after 30s");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
                .isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void theSdkLeavesTheGlobalOpenTelemetryAlone() {
        try (Sextant sextant = Sextant.builder().exporter(InMemorySpanExporter.create()).build();
             SextantSpan span = sextant.trace("t")) {
            assertThat(io.opentelemetry.api.GlobalOpenTelemetry.getTracer("x").spanBuilder("y").setNoParent().startSpan()
                    .getSpanContext().isValid()).as("global provider is still the no-op one").isFalse();
        }
    }
}
