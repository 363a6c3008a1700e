package dev.sextant.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.sdk.LlmSpan;
import dev.sextant.sdk.Message;
import dev.sextant.sdk.Prompt;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.SextantSpan;
import dev.sextant.sdk.SpanKind;
import dev.sextant.sdk.ToolSpan;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java SDK's tracing against a real server: what the application records is what the API returns. */
class SdkTracingTest {

    private static List<JsonNode> flat(JsonNode spans) {
        List<JsonNode> all = new ArrayList<>();
        spans.forEach(s -> {
            all.add(s);
            all.addAll(flat(s.path("children")));
        });
        return all;
    }

    @Test
    void aTraceWithRetrievalLlmAndToolSpansReadsBackWithItsTreeKindsModelMessagesUsageAndPrompt() {
        try (TestServer server = TestServer.start()) {
            assertThat(server.api().post("/api/prompts", Map.of("name", "support/answer",
                    "messages", List.of(Map.of("role", "system", "content", "You support {{product}}."),
                            Map.of("role", "user", "content", "{{question}}")),
                    "labels", List.of("production"))).status()).isEqualTo(201);
            String traceId;
            try (Sextant sextant = Sextant.builder().url(server.url()).apiKey(TestServer.API_KEY)
                    .serviceName("support-bot").build()) {
                Prompt prompt = sextant.prompts().get("support/answer");
                List<Message> messages = prompt.render(Map.of("product", "Acme", "question", "Where is order A1?"));
                try (SextantSpan turn = sextant.trace("answer question").sessionId("chat-9").userId("u-42")
                        .tags("beta", "eu").metadata(Map.of("plan", "pro"))) {
                    traceId = turn.traceId();
                    turn.input("Where is order A1?");
                    try (SextantSpan search = sextant.span("search docs", SpanKind.RETRIEVAL)) {
                        search.input("order A1").output(List.of("Orders ship in 2 days."));
                    }
                    try (LlmSpan llm = sextant.llm("chat sim-1")) {
                        llm.model("sim", "sim-1").temperature(0.2).maxTokens(200).prompt(prompt)
                                .inputMessages(messages).outputText("It shipped yesterday.").usage(120, 30)
                                .finishReason("stop");
                    }
                    try (ToolSpan tool = sextant.tool("lookup_order")) {
                        tool.callId("call_1").arguments("{\"orderId\":\"A1\"}").result(Map.of("status", "shipped"));
                    }
                    turn.output("It shipped yesterday.");
                }
                sextant.flush();
                assertThat(sextant.failedSpans()).isZero();
            }

            Http.Response response = server.api().get("/api/traces/" + traceId);
            assertThat(response.status()).isEqualTo(200);
            JsonNode trace = response.json().path("trace");
            assertThat(trace.path("name").asText()).isEqualTo("answer question");
            assertThat(trace.path("sessionId").asText()).isEqualTo("chat-9");
            assertThat(trace.path("userId").asText()).isEqualTo("u-42");
            assertThat(trace.path("tags").findValuesAsText("")).isEmpty();
            assertThat(List.of(trace.path("tags").get(0).asText(), trace.path("tags").get(1).asText()))
                    .containsExactly("beta", "eu");
            assertThat(trace.path("metadata").path("plan").asText()).isEqualTo("pro");
            assertThat(trace.path("input").asText()).isEqualTo("Where is order A1?");
            assertThat(trace.path("output").asText()).isEqualTo("It shipped yesterday.");

            JsonNode roots = response.json().path("spans");
            assertThat(roots).hasSize(1);
            JsonNode root = roots.get(0);
            // Siblings started within the same millisecond have no defined order: find them by kind.
            assertThat(root.path("children").findValuesAsText("kind")).containsExactlyInAnyOrder("retrieval", "llm", "tool");
            Map<String, JsonNode> byKind = new java.util.HashMap<>();
            flat(roots).forEach(s -> byKind.put(s.path("kind").asText(), s));
            JsonNode retrieval = byKind.get("retrieval");
            assertThat(retrieval.path("output").get(0).asText()).isEqualTo("Orders ship in 2 days.");
            JsonNode llm = byKind.get("llm");
            assertThat(llm.path("model").asText()).isEqualTo("sim-1");
            assertThat(llm.path("provider").asText()).isEqualTo("sim");
            assertThat(llm.path("params").path("temperature").asDouble()).isEqualTo(0.2);
            assertThat(llm.path("input").get(0).path("role").asText()).isEqualTo("system");
            assertThat(llm.path("input").get(0).path("parts").get(0).path("content").asText())
                    .isEqualTo("You support Acme.");
            assertThat(llm.path("output").get(0).path("parts").get(0).path("content").asText())
                    .isEqualTo("It shipped yesterday.");
            assertThat(llm.path("usage").path("input").asLong()).isEqualTo(120);
            assertThat(llm.path("usage").path("output").asLong()).isEqualTo(30);
            // Priced from the shipped table: sim-1 is $0.50 / $1.50 per 1M tokens.
            assertThat(llm.path("cost").asDouble()).isEqualTo((120 * 0.5 + 30 * 1.5) / 1e6);
            assertThat(llm.path("promptName").asText()).isEqualTo("support/answer");
            assertThat(llm.path("promptVersion").asInt()).isEqualTo(1);
            JsonNode tool = byKind.get("tool");
            assertThat(tool.path("name").asText()).contains("lookup_order");
            assertThat(tool.path("input").path("orderId").asText()).isEqualTo("A1");
            assertThat(tool.path("output").path("status").asText()).isEqualTo("shipped");
        }
    }

    @Test
    void withTheServerDownTheApplicationKeepsWorkingAndTheSpansAreCountedAsFailed() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (Sextant sextant = Sextant.builder().url("http://127.0.0.1:" + port).apiKey(TestServer.API_KEY)
                .exportTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(1)).build()) {
            for (int i = 0; i < 3; i++) {
                try (SextantSpan turn = sextant.trace("turn " + i)) {
                    try (LlmSpan llm = sextant.llm("chat")) {
                        llm.model("sim", "sim-1").outputText("answer " + i).usage(10, 5);
                    }
                    turn.output("answer " + i);
                }
            }
            sextant.flush();
            // The exporter may still be retrying after flush gives up waiting: wait for its verdict.
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
            while (sextant.failedSpans() + sextant.exportedSpans() < 6 && java.time.Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(sextant.failedSpans()).isEqualTo(6);
            assertThat(sextant.exportedSpans()).isZero();
            assertThat(sextant.droppedSpans()).isZero();
        }
    }
}
