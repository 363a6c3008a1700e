package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.ApiKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Spans sent by the real OpenTelemetry Java SDK, read back through the API. */
class OtlpIngestTest {

    /** Records one support-bot turn: an agent span with an LLM call, a tool call and a failed step. */
    static String recordTurn(SdkTracerProvider provider) {
        Tracer tracer = provider.get("support-bot-test");
        io.opentelemetry.api.trace.Span root = tracer.spanBuilder("support-turn")
                .setAttribute("sextant.session.id", "sess-otel").setAttribute("sextant.user.id", "user-otel")
                .setAttribute("input.value", "Where is order 17?").startSpan();
        try (Scope ignored = root.makeCurrent()) {
            io.opentelemetry.api.trace.Span llm = tracer.spanBuilder("chat sim-1").setSpanKind(SpanKind.CLIENT)
                    .setAttribute("gen_ai.operation.name", "chat").setAttribute("gen_ai.provider.name", "sim")
                    .setAttribute("gen_ai.request.model", "sim-1").setAttribute("gen_ai.request.temperature", 0.0)
                    .setAttribute("gen_ai.usage.input_tokens", 2000L).setAttribute("gen_ai.usage.output_tokens", 100L)
                    .setAttribute("gen_ai.input.messages",
                            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Where is order 17?\"}]}]")
                    .setAttribute("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\","
                            + "\"id\":\"call_1\",\"name\":\"lookup_order\",\"arguments\":{\"id\":17}}]}]")
                    .startSpan();
            llm.end();
            io.opentelemetry.api.trace.Span tool = tracer.spanBuilder("execute_tool lookup_order")
                    .setAttribute("gen_ai.operation.name", "execute_tool").setAttribute("gen_ai.tool.name", "lookup_order")
                    .setAttribute("gen_ai.tool.call.arguments", "{\"id\":17}")
                    .setAttribute("gen_ai.tool.call.result", "{\"status\":\"shipped\"}").startSpan();
            tool.end();
            io.opentelemetry.api.trace.Span failing = tracer.spanBuilder("notify").startSpan();
            failing.recordException(new IllegalStateException("mail server down"));
            failing.setStatus(StatusCode.ERROR);
            failing.end();
        } finally {
            root.setAttribute(AttributeKey.stringKey("output.value"), "It shipped.");
            root.end();
        }
        return root.getSpanContext().getTraceId();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theSdksOtlpProtobufExporterDeliversSpansThatTheApiReturns(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            String publicKey = server.newKey(server.project(), ApiKey.Kind.PUBLIC);
            OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(server.url() + "/v1/traces")
                    .addHeader("Authorization", "Bearer " + publicKey).setCompression("gzip").build();
            String traceId;
            try (SdkTracerProvider provider = SdkTracerProvider.builder()
                    .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "support-bot")))
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
                traceId = recordTurn(provider);
                assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            }
            assertTurn(server.api(), traceId);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void otlpJsonWithHexIdsFromTheSdksMarshalerIsAcceptedAndAnsweredInJson(Dialect dialect) throws Exception {
        try (TestServer server = TestServer.start(dialect)) {
            List<SpanData> captured = new CopyOnWriteArrayList<>();
            String traceId;
            try (SdkTracerProvider provider = SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(new Capture(captured))).build()) {
                traceId = recordTurn(provider);
            }
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            TraceRequestMarshaler.create(captured).writeJsonTo(json);
            assertThat(json.toString()).contains(traceId);
            Http.Response response = server.api().send("POST", "/v1/traces", "application/json", json.toByteArray());
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.header("Content-Type")).startsWith("application/json");
            assertThat(response.json().path("partialSuccess").isMissingNode()).isTrue();
            assertTurn(server.api(), traceId);
        }
    }

    private static void assertTurn(Http api, String traceId) {
        JsonNode detail = api.get("/api/traces/" + traceId).json();
        JsonNode trace = detail.path("trace");
        assertThat(trace.path("name").asText()).isEqualTo("support-turn");
        assertThat(trace.path("spanCount").asInt()).isEqualTo(4);
        assertThat(trace.path("errorCount").asInt()).isEqualTo(1);
        assertThat(trace.path("status").asText()).isEqualTo("error");
        assertThat(trace.path("sessionId").asText()).isEqualTo("sess-otel");
        assertThat(trace.path("userId").asText()).isEqualTo("user-otel");
        assertThat(trace.path("input").asText()).isEqualTo("Where is order 17?");
        assertThat(trace.path("output").asText()).isEqualTo("It shipped.");
        assertThat(trace.path("totalTokens").asLong()).isEqualTo(2100);
        assertThat(trace.path("cost").asDouble()).isGreaterThan(0);
        JsonNode root = detail.path("spans").get(0);
        assertThat(root.path("children")).hasSize(3);
        JsonNode llm = api.get("/api/spans?traceId=" + traceId + "&kind=llm").json().path("data").get(0);
        assertThat(llm.path("model").asText()).isEqualTo("sim-1");
        assertThat(llm.path("input").get(0).path("parts").get(0).path("content").asText()).isEqualTo("Where is order 17?");
        assertThat(llm.path("output").get(0).path("parts").get(0).path("name").asText()).isEqualTo("lookup_order");
        JsonNode tool = api.get("/api/spans?traceId=" + traceId + "&kind=tool").json().path("data").get(0);
        assertThat(tool.path("output").path("status").asText()).isEqualTo("shipped");
        JsonNode failed = api.get("/api/spans?traceId=" + traceId + "&status=error").json().path("data").get(0);
        assertThat(failed.path("error").asText()).contains("mail server down");
    }

    /** Keeps exported spans in memory. */
    private record Capture(List<SpanData> spans) implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
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
}
