package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.sextant.server.http.Json;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every attribute rule, exercised with payloads shaped like real instrumentations send them. */
class AttributeRulesTest {
    private final OtlpMapper mapper = new OtlpMapper(new FieldCap(64 * 1024));

    // --- fixtures: realistic spans per convention ---------------------------------------------

    static Span genAiChat() {
        return span("chat gpt-4o-mini",
                kv("gen_ai.operation.name", "chat"),
                kv("gen_ai.provider.name", "openai"),
                kv("gen_ai.request.model", "gpt-4o-mini"),
                kv("gen_ai.response.model", "gpt-4o-mini-2024-07-18"),
                kv("gen_ai.request.temperature", 0.2),
                kv("gen_ai.request.max_tokens", 512L),
                kv("gen_ai.response.id", "chatcmpl-123"),
                kv("gen_ai.usage.input_tokens", 1200L),
                kv("gen_ai.usage.output_tokens", 80L),
                kv("gen_ai.usage.cache_read.input_tokens", 1000L),
                kv("gen_ai.usage.reasoning.output_tokens", 16L),
                kv("gen_ai.conversation.id", "conv-42"),
                kv("gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":\"You are a support agent.\"}]"),
                kv("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Where is order 17?\"}]}]"),
                kv("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_1\","
                        + "\"name\":\"lookup_order\",\"arguments\":{\"id\":17}}],\"finish_reason\":\"tool_call\"}]"));
    }

    static Span genAiTool() {
        return span("execute_tool lookup_order",
                kv("gen_ai.operation.name", "execute_tool"),
                kv("gen_ai.tool.name", "lookup_order"),
                kv("gen_ai.tool.call.id", "call_1"),
                kv("gen_ai.tool.call.arguments", "{\"id\":17}"),
                kv("gen_ai.tool.call.result", "{\"status\":\"shipped\"}"));
    }

    static Span genAiToolWithoutOperation() {
        return span("lookup_order", kv("gen_ai.tool.name", "lookup_order"));
    }

    static Span genAiAgent() {
        return span("invoke_agent Support", kv("gen_ai.agent.name", "Support"), kv("gen_ai.agent.id", "agent-1"));
    }

    static Span genAiFailedChat() {
        return span("chat claude-sonnet-4", kv("gen_ai.operation.name", "chat"), kv("gen_ai.system", "anthropic"),
                kv("gen_ai.request.model", "claude-sonnet-4"), kv("error.type", "RateLimitError"));
    }

    static Span genAiOlder() {
        return span("openai.chat",
                kv("gen_ai.system", "OpenAI"),
                kv("gen_ai.request.model", "gpt-4o"),
                kv("gen_ai.usage.prompt_tokens", 50L),
                kv("gen_ai.usage.completion_tokens", 20L),
                kv("gen_ai.usage.cache_read_input_tokens", 10L),
                kv("gen_ai.usage.reasoning_tokens", 4L),
                kv("gen_ai.usage.cost", 0.5),
                kv("gen_ai.prompt.0.role", "system"),
                kv("gen_ai.prompt.0.content", "Be brief."),
                kv("gen_ai.prompt.1.role", "user"),
                kv("gen_ai.prompt.1.content", "Weather in Paris?"),
                kv("gen_ai.completion.0.role", "assistant"),
                kv("gen_ai.completion.0.finish_reason", "tool_calls"),
                kv("gen_ai.completion.0.tool_calls.0.id", "call_9"),
                kv("gen_ai.completion.0.tool_calls.0.name", "get_weather"),
                kv("gen_ai.completion.0.tool_calls.0.arguments", "{\"city\":\"Paris\"}"));
    }

    static Span openInferenceLlm() {
        return span("ChatCompletion",
                kv("openinference.span.kind", "LLM"),
                kv("llm.model_name", "gpt-4.1-mini"),
                kv("llm.provider", "openai"),
                kv("llm.system", "openai"),
                kv("llm.invocation_parameters", "{\"temperature\":0.7,\"max_tokens\":256}"),
                kv("llm.input_messages.0.message.role", "user"),
                kv("llm.input_messages.0.message.content", "Cancel my order"),
                kv("llm.input_messages.1.message.role", "assistant"),
                kv("llm.input_messages.1.message.tool_calls.0.tool_call.id", "tc_1"),
                kv("llm.input_messages.1.message.tool_calls.0.tool_call.function.name", "cancel_order"),
                kv("llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments", "{\"id\":3}"),
                kv("llm.input_messages.2.message.role", "tool"),
                kv("llm.input_messages.2.message.tool_call_id", "tc_1"),
                kv("llm.input_messages.2.message.content", "cancelled"),
                kv("llm.output_messages.0.message.role", "assistant"),
                kv("llm.output_messages.0.message.contents.0.message_content.text", "Your order is cancelled."),
                kv("llm.token_count.prompt", 300L),
                kv("llm.token_count.completion", 12L),
                kv("llm.token_count.prompt_details.cache_read", 100L),
                kv("llm.token_count.completion_details.reasoning", 0L),
                kv("llm.cost.total", 0.001),
                kv("session.id", "sess-9"),
                kv("user.id", "user-3"),
                kvArray("tag.tags", "prod", "checkout"),
                kv("metadata", "{\"tenant\":\"acme\"}"),
                kv("input.value", "ignored: messages win"));
    }

    static Span openInferenceRetriever() {
        return span("retrieve", kv("openinference.span.kind", "RETRIEVER"),
                kv("input.value", "refund policy"), kv("input.mime_type", "text/plain"),
                kv("output.value", "[{\"document\":\"Refunds within 30 days\"}]"));
    }

    static Span openInferenceEmbedding() {
        return span("embed", kv("openinference.span.kind", "EMBEDDING"),
                kv("embedding.model_name", "text-embedding-3-small"), kv("enduser.id", "user-4"));
    }

    static Span sextantOwn() {
        return span("answer",
                kv("sextant.span.kind", "guardrail"),
                kv("gen_ai.operation.name", "chat"),
                kv("sextant.trace.name", "support-bot"),
                kv("sextant.session.id", "s-own"),
                kv("sextant.user.id", "u-own"),
                kv("sextant.tags", "vip, beta"),
                kv("sextant.metadata", "{\"plan\":\"pro\"}"),
                kv("sextant.prompt.name", "support-answer"),
                kv("sextant.prompt.version", 3L),
                kv("sextant.cost", 0.25),
                kv("sextant.input", "question"),
                kv("sextant.output", "answer"));
    }

    // --- tests ---------------------------------------------------------------------------------

    @Test
    void genAiChatSpansKeepStructuredMessagesUsageAndParameters() {
        Mapped m = map(genAiChat());
        assertThat(m.span.kind()).isEqualTo("llm");
        assertThat(m.span.provider()).isEqualTo("openai");
        assertThat(m.span.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(m.span.inputTokens()).isEqualTo(1200);
        assertThat(m.span.outputTokens()).isEqualTo(80);
        assertThat(m.span.cachedTokens()).isEqualTo(1000);
        assertThat(m.span.reasoningTokens()).isEqualTo(16);
        assertThat(json(m.span.params()).path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(json(m.span.params()).path("max_tokens").asInt()).isEqualTo(512);
        JsonNode input = json(m.span.input());
        assertThat(input.get(0).path("role").asText()).isEqualTo("system");
        assertThat(input.get(0).path("parts").get(0).path("content").asText()).isEqualTo("You are a support agent.");
        assertThat(input.get(1).path("parts").get(0).path("content").asText()).isEqualTo("Where is order 17?");
        JsonNode call = json(m.span.output()).get(0).path("parts").get(0);
        assertThat(call.path("type").asText()).isEqualTo("tool_call");
        assertThat(call.path("name").asText()).isEqualTo("lookup_order");
        assertThat(m.trace.sessionId()).isEqualTo("conv-42");
        assertThat(json(m.span.attributes()).has("gen_ai.input.messages")).isFalse();
        assertThat(json(m.span.attributes()).path("gen_ai.response.id").asText()).isEqualTo("chatcmpl-123");
        assertThat(m.span.status()).isEqualTo("ok");
    }

    @Test
    void genAiToolAndAgentSpansGetTheirKindsAndToolArgumentsAndResults() {
        Mapped tool = map(genAiTool());
        assertThat(tool.span.kind()).isEqualTo("tool");
        assertThat(json(tool.span.input()).path("id").asInt()).isEqualTo(17);
        assertThat(json(tool.span.output()).path("status").asText()).isEqualTo("shipped");
        assertThat(json(tool.span.attributes()).path("gen_ai.tool.call.id").asText()).isEqualTo("call_1");
        assertThat(map(genAiToolWithoutOperation()).span.kind()).isEqualTo("tool");
        assertThat(map(genAiAgent()).span.kind()).isEqualTo("agent");
    }

    @Test
    void errorTypeMarksTheSpanFailedAndOlderSystemNamesTheProvider() {
        Mapped failed = map(genAiFailedChat());
        assertThat(failed.span.status()).isEqualTo("error");
        assertThat(failed.span.error()).isEqualTo("RateLimitError");
        assertThat(failed.span.provider()).isEqualTo("anthropic");

        Span withStatus = genAiChat().toBuilder().setStatus(Status.newBuilder()
                .setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("upstream 500")).build();
        assertThat(map(withStatus).span.error()).isEqualTo("upstream 500");
    }

    @Test
    void olderIndexedPromptAndCompletionAttributesBecomeMessages() {
        Mapped m = map(genAiOlder());
        assertThat(m.span.provider()).isEqualTo("openai");
        assertThat(m.span.kind()).isEqualTo("llm");
        assertThat(m.span.inputTokens()).isEqualTo(50);
        assertThat(m.span.outputTokens()).isEqualTo(20);
        assertThat(m.span.cachedTokens()).isEqualTo(10);
        assertThat(m.span.reasoningTokens()).isEqualTo(4);
        assertThat(m.span.cost()).isEqualTo(0.5);
        JsonNode input = json(m.span.input());
        assertThat(input).hasSize(2);
        assertThat(input.get(1).path("parts").get(0).path("content").asText()).isEqualTo("Weather in Paris?");
        JsonNode output = json(m.span.output()).get(0);
        assertThat(output.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(output.path("parts").get(0).path("name").asText()).isEqualTo("get_weather");
        assertThat(output.path("parts").get(0).path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(json(m.span.attributes()).has("gen_ai.prompt.1.content")).isFalse();
    }

    @Test
    void openInferenceLlmSpansMapMessagesToolCallsTokensAndTraceFacts() {
        Mapped m = map(openInferenceLlm());
        assertThat(m.span.kind()).isEqualTo("llm");
        assertThat(m.span.model()).isEqualTo("gpt-4.1-mini");
        assertThat(m.span.provider()).isEqualTo("openai");
        assertThat(json(m.span.params()).path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(m.span.inputTokens()).isEqualTo(300);
        assertThat(m.span.outputTokens()).isEqualTo(12);
        assertThat(m.span.cachedTokens()).isEqualTo(100);
        assertThat(m.span.reasoningTokens()).isEqualTo(0);
        assertThat(m.span.cost()).isEqualTo(0.001);
        JsonNode input = json(m.span.input());
        assertThat(input).hasSize(3);
        assertThat(input.get(1).path("parts").get(0).path("name").asText()).isEqualTo("cancel_order");
        assertThat(input.get(2).path("parts").get(0).path("type").asText()).isEqualTo("tool_call_response");
        assertThat(input.get(2).path("parts").get(0).path("response").asText()).isEqualTo("cancelled");
        assertThat(json(m.span.output()).get(0).path("parts").get(0).path("content").asText())
                .isEqualTo("Your order is cancelled.");
        assertThat(m.trace.sessionId()).isEqualTo("sess-9");
        assertThat(m.trace.userId()).isEqualTo("user-3");
        assertThat(json(m.trace.tags()).toString()).isEqualTo("[\"prod\",\"checkout\"]");
        assertThat(json(m.trace.metadata()).path("tenant").asText()).isEqualTo("acme");
    }

    @Test
    void openInferenceRetrieverAndEmbeddingSpansKeepTheirValues() {
        Mapped retriever = map(openInferenceRetriever());
        assertThat(retriever.span.kind()).isEqualTo("retrieval");
        assertThat(json(retriever.span.input()).asText()).isEqualTo("refund policy");
        assertThat(json(retriever.span.output()).get(0).path("document").asText()).isEqualTo("Refunds within 30 days");
        Mapped embedding = map(openInferenceEmbedding());
        assertThat(embedding.span.kind()).isEqualTo("embedding");
        assertThat(embedding.span.model()).isEqualTo("text-embedding-3-small");
        assertThat(embedding.trace.userId()).isEqualTo("user-4");
    }

    @Test
    void sextantAttributesWinOverTheConventions() {
        Mapped m = map(sextantOwn());
        assertThat(m.span.kind()).isEqualTo("guardrail");
        assertThat(m.span.promptName()).isEqualTo("support-answer");
        assertThat(m.span.promptVersion()).isEqualTo(3);
        assertThat(m.span.cost()).isEqualTo(0.25);
        assertThat(json(m.span.input()).asText()).isEqualTo("question");
        assertThat(json(m.span.output()).asText()).isEqualTo("answer");
        assertThat(m.trace.name()).isEqualTo("support-bot");
        assertThat(m.trace.explicitFields() & TracePatch.NAME).isEqualTo(TracePatch.NAME);
        assertThat(m.trace.sessionId()).isEqualTo("s-own");
        assertThat(m.trace.userId()).isEqualTo("u-own");
        assertThat(json(m.trace.tags()).toString()).isEqualTo("[\"vip\",\"beta\"]");
        assertThat(json(m.trace.metadata()).path("plan").asText()).isEqualTo("pro");
    }

    @Test
    void everyRuleOfTheTableIsExercisedByAFixture() {
        Set<String> keys = new LinkedHashSet<>();
        Stream.of(genAiChat(), genAiTool(), genAiToolWithoutOperation(), genAiAgent(), genAiFailedChat(), genAiOlder(),
                        openInferenceLlm(), openInferenceRetriever(), openInferenceEmbedding(), sextantOwn())
                .forEach(s -> s.getAttributesList().forEach(kv -> keys.add(kv.getKey())));
        for (AttributeRules.Rule rule : AttributeRules.RULES) {
            boolean covered = rule.pattern() == null ? keys.contains(rule.prefix())
                    : keys.stream().anyMatch(k -> rule.pattern().matcher(k).matches());
            assertThat(covered).as("rule for " + rule.prefix() + " has a fixture").isTrue();
        }
        for (AttributeRules.MessageRule rule : AttributeRules.MESSAGE_RULES) {
            assertThat(keys.stream().anyMatch(k -> k.matches(".*\\.(\\d+)\\.(message\\.)?" + rule.suffix().pattern())))
                    .as("message rule " + rule.suffix()).isTrue();
        }
    }

    @Test
    void hugeAndDeeplyNestedAttributeValuesAreCutNotRejected() {
        OtlpMapper small = new OtlpMapper(new FieldCap(100));
        AnyValue deep = AnyValue.newBuilder().setStringValue("leaf").build();
        for (int i = 0; i < 40; i++) {
            deep = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(deep)).build();
        }
        Span span = span("big", kv("input.value", "x".repeat(10_000)),
                KeyValue.newBuilder().setKey("deep").setValue(deep).build());
        OtlpMapper.Result result = small.map(request(span));
        SpanRecord record = result.spans().getFirst();
        assertThat(json(record.input()).asText()).startsWith("xxxx").endsWith("…[truncated 9940 bytes]");
        assertThat(record.attributes()).contains("nested too deeply");
    }

    @Test
    void spansWithInvalidIdsAreRejectedOneByOne() {
        Span good = genAiTool();
        Span zeroTrace = good.toBuilder().setTraceId(ByteString.copyFrom(new byte[16])).build();
        Span shortSpan = good.toBuilder().setSpanId(ByteString.copyFrom(new byte[] {1, 2})).build();
        OtlpMapper.Result result = mapper.map(request(good, zeroTrace, shortSpan));
        assertThat(result.spans()).hasSize(1);
        assertThat(result.rejected()).isEqualTo(2);
        assertThat(result.rejectReason()).contains("trace_id");
    }

    // --- helpers -------------------------------------------------------------------------------

    record Mapped(SpanRecord span, TracePatch trace) {
    }

    private Mapped map(Span span) {
        OtlpMapper.Result result = mapper.map(request(span));
        assertThat(result.rejected()).isZero();
        return new Mapped(result.spans().getFirst(), result.traces().isEmpty() ? TracePatch.empty("")
                : result.traces().getFirst());
    }

    static ExportTraceServiceRequest request(Span... spans) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                        .addAttributes(kv("service.name", "support-bot")))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))).build();
    }

    static Span span(String name, KeyValue... attributes) {
        return Span.newBuilder()
                .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex("5b8efff798038103d269b633813fc60c")))
                .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("eee19b7ec3c1b174")))
                .setName(name).setStartTimeUnixNano(1_764_000_000_000_000_000L)
                .setEndTimeUnixNano(1_764_000_000_250_000_000L)
                .addAllAttributes(List.of(attributes)).build();
    }

    static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue kv(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    static KeyValue kv(String key, double value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value)).build();
    }

    static KeyValue kvArray(String key, String... values) {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (String v : values) {
            array.addValues(AnyValue.newBuilder().setStringValue(v));
        }
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setArrayValue(array)).build();
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }
}
