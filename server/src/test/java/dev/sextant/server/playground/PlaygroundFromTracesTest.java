package dev.sextant.server.playground;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.Json;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.traces.TraceDetail;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class PlaygroundFromTracesTest {
    static final String TRACE = "a9e47000a9e47000a9e47000a9e47000";
    static final Map<String, Object> LOOKUP = Map.of("name", "lookup_order", "description", "Finds an order",
            "parameters", Map.of("type", "object", "properties", Map.of("orderId", Map.of("type", "string"))));

    private static Map<String, Object> text(String role, String content) {
        return Map.of("role", role, "parts", List.of(Map.of("type", "text", "content", content)));
    }

    private static Map<String, Object> span(Object... keyValues) {
        Map<String, Object> span = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            span.put((String) keyValues[i], keyValues[i + 1]);
        }
        return span;
    }

    /** An agent turn: llm asks for lookup_order, the tool answers, llm answers with the result. */
    static void ingestAgentRun(Http api) {
        Instant t = Instant.now();
        Map<String, Object> call = Map.of("role", "assistant", "parts", List.of(Map.of("type", "tool_call",
                "id", "call_1", "name", "lookup_order", "arguments", "{\"orderId\":\"A1\"}")));
        List<Map<String, Object>> spans = List.of(
                Map.of("id", "a9e4700000000001", "traceId", TRACE, "kind", "agent", "name", "support agent",
                        "input", "where is my order A1", "startTime", t.toString(), "endTime", t.plusMillis(900).toString()),
                span("id", "a9e4700000000002", "traceId", TRACE, "parentId", "a9e4700000000001", "kind", "llm",
                        "name", "chat sim-1", "model", "sim-1", "provider", "sim",
                        "params", Map.of("temperature", 0.1, "tools", List.of(LOOKUP)),
                        "input", List.of(text("system", "You are a support agent."), text("user", "where is my order A1")),
                        "output", List.of(call), "startTime", t.plusMillis(10).toString(),
                        "endTime", t.plusMillis(300).toString()),
                Map.of("id", "a9e4700000000003", "traceId", TRACE, "parentId", "a9e4700000000001", "kind", "tool",
                        "name", "execute_tool lookup_order", "input", Map.of("orderId", "A1"),
                        "output", Map.of("status", "delivered"), "startTime", t.plusMillis(310).toString(),
                        "endTime", t.plusMillis(400).toString()),
                span("id", "a9e4700000000004", "traceId", TRACE, "parentId", "a9e4700000000001", "kind", "llm",
                        "name", "chat sim-1", "model", "sim-1", "provider", "sim",
                        "params", Map.of("temperature", 0.1, "tools", List.of(LOOKUP)),
                        "input", List.of(text("system", "You are a support agent."), text("user", "where is my order A1"),
                                call, Map.of("role", "tool", "parts", List.of(Map.of("type", "tool_call_response",
                                        "id", "call_1", "response", "{\"status\":\"delivered\"}")))),
                        "output", List.of(text("assistant", "Your order A1 was delivered.")),
                        "startTime", t.plusMillis(410).toString(), "endTime", t.plusMillis(800).toString()));
        assertThat(api.post("/api/ingest", Map.of("spans", spans)).status()).isEqualTo(200);
    }

    @Test
    void aTracesLlmAndToolSpansBecomeARecordedRunThatReplaysWithTheRecordedToolResults() {
        try (TestServer server = TestServer.start()) {
            ingestAgentRun(server.api());
            TraceDetail detail = server.services().traces().trace(server.project().id(), TRACE).orElseThrow();
            assertThat(PlaygroundStates.isAgentRun(detail)).isTrue();
            RecordedRun run = PlaygroundStates.run(detail);
            assertThat(run.steps()).hasSize(2);
            assertThat(run.steps().getFirst().toolCalls().getFirst().name()).isEqualTo("lookup_order");
            assertThat(run.steps().getFirst().tools().getFirst().name()).isEqualTo("lookup_order");
            assertThat(run.steps().getFirst().model().temperature()).isEqualTo(0.1);
            assertThat(run.steps().get(1).messages().get(3).role()).isEqualTo("tool");
            assertThat(run.steps().get(1).messages().get(3).toolCallId()).isEqualTo("call_1");
            assertThat(run.toolResults()).containsExactly(new RecordedRun.ToolResult("lookup_order",
                    "{\"orderId\":\"A1\"}", "{\"status\":\"delivered\"}"));

            Http.Response replay = server.api().post("/api/playground/agent-replay", Map.of(
                    "run", Json.mapper().valueToTree(run), "step", 0, "continueLoop", true));
            assertThat(replay.status()).as(replay.body()).isEqualTo(200);
            JsonNode result = replay.json();
            assertThat(result.path("stopReason").asText()).isEqualTo("final_answer");
            assertThat(result.path("steps").get(0).path("toolCalls").get(0).path("resolved").asBoolean()).isTrue();
            assertThat(result.path("steps").get(1).path("result").path("text").asText()).contains("delivered");

            // The replay's own trace: an agent root with its model calls and the answered tool call under
            // it, itself a recorded run that can be replayed again.
            String replayTrace = result.path("traceId").asText();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.api()
                    .get("/api/traces/" + replayTrace).json().path("trace").path("spanCount").asInt() == 4);
            JsonNode spans = server.api().get("/api/traces/" + replayTrace).json().path("spans");
            assertThat(spans).singleElement().satisfies(root -> {
                assertThat(root.path("kind").asText()).isEqualTo("agent");
                assertThat(root.path("name").asText()).isEqualTo("agent replay");
                assertThat(root.path("children")).extracting(c -> c.path("kind").asText())
                        .containsExactlyInAnyOrder("llm", "tool", "llm");
            });
            TraceDetail replayed = server.services().traces().trace(server.project().id(), replayTrace).orElseThrow();
            assertThat(PlaygroundStates.run(replayed).toolResults()).containsExactly(new RecordedRun.ToolResult(
                    "lookup_order", "{\"orderId\":\"A1\"}", "{\"status\":\"delivered\"}"));
        }
    }

    @Test
    void aSpanStateCarriesItsMessagesParametersToolsAndRecordedOutput() {
        try (TestServer server = TestServer.start()) {
            ingestAgentRun(server.api());
            TraceDetail detail = server.services().traces().trace(server.project().id(), TRACE).orElseThrow();
            JsonNode state = Json.mapper().valueToTree(Json.read(
                    PlaygroundStates.ofSpan(detail.spans().getFirst().children().get(2)), PlaygroundState.class));
            assertThat(state.path("messages")).hasSize(4);
            assertThat(state.path("model").path("name").asText()).isEqualTo("sim-1");
            assertThat(state.path("tools").get(0).path("name").asText()).isEqualTo("lookup_order");
            assertThat(state.path("recordedOutput").asText()).isEqualTo("Your order A1 was delivered.");
        }
    }
}
