package dev.sextant.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.SextantSpan;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Drives the listener through langchain4j's own ChatModel.chat pipeline (which calls the listeners). */
class SextantChatModelListenerTest {

    /** A model whose "provider" answers locally; langchain4j still runs its listener machinery. */
    record LocalModel(List<ChatModelListener> listeners, boolean fail) implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            if (fail) {
                throw new IllegalStateException("provider returned 503");
            }
            UserMessage last = (UserMessage) request.messages().getLast();
            return ChatResponse.builder().aiMessage(AiMessage.from("echo: " + last.singleText()))
                    .modelName("local-1").tokenUsage(new TokenUsage(11, 3)).finishReason(FinishReason.STOP).build();
        }

        @Override
        public ModelProvider provider() {
            return ModelProvider.OPEN_AI;
        }
    }

    @Test
    void everyChatCallBecomesAnLlmSpanUnderTheCurrentSpan() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        List<SpanData> spans = new ArrayList<>();
        try (Sextant sextant = Sextant.builder().exporter(exporter).build()) {
            ChatModel model = new LocalModel(List.of(new SextantChatModelListener(sextant)), false);
            String rootSpanId;
            try (SextantSpan turn = sextant.trace("support turn")) {
                rootSpanId = turn.spanId();
                model.chat(ChatRequest.builder().modelName("local-1").temperature(0.1)
                        .messages(SystemMessage.from("Be brief."), UserMessage.from("refund?")).build());
            }
            sextant.flush();
            spans.addAll(exporter.getFinishedSpanItems());
            SpanData llm = spans.stream().filter(s -> s.getName().equals("chat local-1")).findFirst().orElseThrow();
            assertThat(llm.getParentSpanId()).isEqualTo(rootSpanId);
        }
        SpanData llm = spans.stream().filter(s -> s.getName().equals("chat local-1")).findFirst().orElseThrow();
        assertThat(llm.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("openai");
        assertThat(llm.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")))
                .contains("Be brief.").contains("refund?");
        assertThat(llm.getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages"))).contains("echo: refund?");
        assertThat(llm.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(11L);
        assertThat(llm.getAttributes().get(AttributeKey.doubleKey("gen_ai.request.temperature"))).isEqualTo(0.1);
        assertThat(llm.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
                .containsExactly("stop");
    }

    @Test
    void aFailedCallIsAnErrorSpanAndTheErrorStillReachesTheApplication() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        SpanData llm;
        try (Sextant sextant = Sextant.builder().exporter(exporter).build()) {
            ChatModel model = new LocalModel(List.of(new SextantChatModelListener(sextant, "sim")), true);
            assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("hi")).build()))
                    .hasMessageContaining("503");
            sextant.flush();
            llm = exporter.getFinishedSpanItems().getFirst();
        }
        assertThat(llm.getStatus().getStatusCode()).isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
        assertThat(llm.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("sim");
    }
}
