package dev.sextant.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.sextant.langchain4j.SextantChatModelListener;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.SextantSpan;
import dev.sextant.server.support.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** sextant-langchain4j end to end: langchain4j's real OpenAI client against the in-process sim, traced into the server. */
class Langchain4jListenerTest {

    @Test
    void aChatCallThroughOpenAiChatModelIsRecordedAsAnLlmSpanUnderTheCurrentTrace() {
        try (TestServer server = TestServer.start()) {
            String traceId;
            String reply;
            try (Sextant sextant = Sextant.builder().url(server.url()).apiKey(TestServer.API_KEY).build()) {
                ChatModel model = OpenAiChatModel.builder().httpClientBuilder(JdkHttpClient.builder())
                        .baseUrl(server.sextant().simBaseUrl()).apiKey("sim-key").modelName("sim-1")
                        .temperature(0.3).listeners(List.of(new SextantChatModelListener(sextant, "sim"))).build();
                try (SextantSpan turn = sextant.trace("refund turn")) {
                    traceId = turn.traceId();
                    ChatResponse response = model.chat(SystemMessage.from("You are a support bot."),
                            UserMessage.from("I want a refund for order 42"));
                    reply = response.aiMessage().text();
                    turn.output(reply);
                }
                sextant.flush();
            }
            assertThat(reply).contains("order 42");

            JsonNode detail = server.api().get("/api/traces/" + traceId).json();
            assertThat(detail.path("trace").path("name").asText()).isEqualTo("refund turn");
            JsonNode llm = detail.path("spans").get(0).path("children").get(0);
            assertThat(llm.path("kind").asText()).isEqualTo("llm");
            assertThat(llm.path("provider").asText()).isEqualTo("sim");
            assertThat(llm.path("model").asText()).isEqualTo("sim-1");
            assertThat(llm.path("params").path("temperature").asDouble()).isEqualTo(0.3);
            assertThat(llm.path("input").get(1).path("role").asText()).isEqualTo("user");
            assertThat(llm.path("input").get(1).path("parts").get(0).path("content").asText())
                    .isEqualTo("I want a refund for order 42");
            assertThat(llm.path("output").get(0).path("parts").get(0).path("content").asText()).isEqualTo(reply);
            assertThat(llm.path("usage").path("input").asLong()).isPositive();
            assertThat(llm.path("usage").path("output").asLong()).isPositive();
            assertThat(llm.path("cost").asDouble()).isPositive();
        }
    }
}
