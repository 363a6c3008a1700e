package dev.sextant.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/** Realistic GenAI chat spans of about a given size, with unique ids. */
final class Spans {
    private static final String[] MODELS = {"gpt-4o-mini", "gpt-4o", "claude-sonnet-4", "gemini-2.5-flash", "sim-1"};
    private static final String[] NAMES = {"support-turn", "summarize", "classify-ticket", "draft-reply"};

    private Spans() {
    }

    static ByteString id(int bytes) {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (buffer.hasRemaining()) {
            buffer.put((byte) (random.nextInt(255) + 1));
        }
        return ByteString.copyFrom(buffer.array());
    }

    /** An LLM span: the root of its trace when {@code parent} is null, else that span's child. */
    static Span chat(ByteString traceId, ByteString parent, int approxBytes, long startNanos, int n) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int textBytes = Math.max(10, approxBytes - 600);
        String question = "Customer " + n + " asks: " + "where is my order and when will it arrive? ".repeat(
                Math.max(1, textBytes / 2 / 44));
        String answer = "It shipped yesterday and arrives Friday. ".repeat(Math.max(1, textBytes / 2 / 41));
        long durationNanos = (200 + random.nextInt(3000)) * 1_000_000L;
        boolean failed = random.nextInt(50) == 0;
        Span.Builder span = Span.newBuilder().setTraceId(traceId).setSpanId(id(8))
                .setName(NAMES[n % NAMES.length]).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(startNanos).setEndTimeUnixNano(startNanos + durationNanos)
                .addAttributes(kv("gen_ai.operation.name", "chat"))
                .addAttributes(kv("gen_ai.provider.name", "openai"))
                .addAttributes(kv("gen_ai.request.model", MODELS[n % MODELS.length]))
                .addAttributes(kv("gen_ai.usage.input_tokens", 200 + random.nextInt(2000)))
                .addAttributes(kv("gen_ai.usage.output_tokens", 20 + random.nextInt(400)))
                .addAttributes(kv("session.id", "session-" + (n / 4)))
                .addAttributes(kv("user.id", "user-" + (n % 5000)))
                .addAttributes(kv("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\""
                        + question + "\"}]}]"))
                .addAttributes(kv("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\","
                        + "\"content\":\"" + answer + "\"}]}]"));
        if (parent != null) {
            span.setParentSpanId(parent);
        }
        if (failed) {
            span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("rate limited"));
        }
        return span.build();
    }

    static ExportTraceServiceRequest request(Iterable<Span> spans) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "bench")))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))).build();
    }

    static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue kv(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }
}
