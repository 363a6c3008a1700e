package dev.sextant.server.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.sextant.server.models.ChatMessage;
import dev.sextant.server.models.ModelConfig;
import dev.sextant.server.models.ModelGateway;
import dev.sextant.server.models.ModelPricing;
import dev.sextant.server.models.ProviderEndpoint;
import dev.sextant.server.models.ProviderKind;
import dev.sextant.server.models.RecordedCall;
import dev.sextant.server.models.RetryPolicy;
import dev.sextant.server.models.ToolCall;
import dev.sextant.server.models.ToolDefinition;
import dev.sextant.server.models.sim.SimScript;
import dev.sextant.server.models.sim.SimServer;
import dev.sextant.server.traces.SpanRecord;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Agent replay over a recorded run, against the sim through the gateway. */
class AgentReplayServiceTest {
    private static final ModelConfig SIM = ModelConfig.of("sim", "sim-1");
    private static final List<ToolDefinition> TOOLS = List.of(new ToolDefinition("lookup_order", "Find an order", null),
            new ToolDefinition("refund", "Refund an order", null));

    private SimServer sim;
    private AgentReplayService replay;
    private final List<RecordedCall> calls = new CopyOnWriteArrayList<>();
    private final List<SpanRecord> replaySpans = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        sim = SimServer.startLocal(SimScript.parse("""
                rules:
                  - match: {lastRole: tool, any: "refunded"}
                    reply: "Done: your order was refunded."
                  - match: {lastRole: tool, any: "delivered"}
                    toolCalls: [{name: refund, arguments: {orderId: "A1"}}]
                  - match: {lastRole: tool}
                    reply: "I could not find anything."
                  - match: {lastUser: "order (\\\\w+)"}
                    toolCalls: [{name: lookup_order, arguments: {orderId: "{{1}}"}}]
                """));
        ModelGateway gateway = new ModelGateway((p, n) -> Optional.of(new ProviderEndpoint("sim", ProviderKind.SIM,
                sim.baseUrl(), null)), ModelPricing.NONE, (p, c) -> calls.add(c), ModelGateway.Settings.DEFAULT,
                RetryPolicy.Sleeper.REAL, Clock.systemUTC());
        replay = new AgentReplayService(gateway::chat, (p, spans) -> replaySpans.addAll(spans));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private static RecordedRun run(String orderId, List<RecordedRun.ToolResult> results) {
        List<ChatMessage> history = List.of(ChatMessage.of("system", "You are a support agent."),
                ChatMessage.of("user", "Please refund order " + orderId));
        return new RecordedRun(List.of(new RecordedRun.Step(history, TOOLS, SIM, null,
                List.of(new ToolCall("c1", "lookup_order", "{\"orderId\":\"" + orderId + "\"}")))), results);
    }

    @Test
    void replayingOneStepShowsTheNewOutputAndItsDiff() {
        AgentReplayService.Result result = replay.replay("p", new AgentReplayService.Request(
                run("A1", List.of()), 0, null, false, null));
        assertThat(result.stopReason()).isEqualTo("single_step");
        assertThat(result.steps()).singleElement().satisfies(step -> {
            assertThat(step.result().toolCalls()).singleElement()
                    .satisfies(call -> assertThat(call.name()).isEqualTo("lookup_order"));
            assertThat(step.recordedOutput()).isEqualTo("lookup_order({\"orderId\":\"A1\"})");
            assertThat(step.diff()).extracting(TextDiff.Segment::op).containsOnly("equal");
            assertThat(step.toolCalls()).isEmpty();
        });
    }

    @Test
    void continuingTheLoopAnswersToolCallsFromRecordedResultsMatchedByNameAndArguments() {
        List<RecordedRun.ToolResult> results = List.of(
                new RecordedRun.ToolResult("lookup_order", "{ \"orderId\" : \"B2\" }", "{\"status\":\"lost\"}"),
                new RecordedRun.ToolResult("lookup_order", "{\"orderId\": \"A1\"}", "{\"status\":\"delivered\"}"),
                new RecordedRun.ToolResult("refund", "{\"orderId\":\"A1\"}", "{\"status\":\"refunded\"}"));
        AgentReplayService.Result result = replay.replay("p", new AgentReplayService.Request(
                run("A1", results), 0, null, true, 5));
        assertThat(result.stopReason()).isEqualTo("final_answer");
        assertThat(result.steps()).hasSize(3);
        assertThat(result.steps().get(0).toolCalls()).singleElement().satisfies(r -> {
            assertThat(r.resolved()).isTrue();
            assertThat(r.result()).isEqualTo("{\"status\":\"delivered\"}");
        });
        assertThat(result.steps().get(1).toolCalls()).singleElement()
                .satisfies(r -> assertThat(r.call().name()).isEqualTo("refund"));
        assertThat(result.steps().get(2).result().text()).isEqualTo("Done: your order was refunded.");
        assertThat(result.steps().get(2).messages()).extracting(ChatMessage::role)
                .containsExactly("system", "user", "assistant", "tool", "assistant", "tool");

        // Traced as it ran: an agent root, the model calls under it, and the answered tool calls.
        SpanRecord root = replaySpans.stream().filter(s -> s.parentId() == null).findFirst().orElseThrow();
        assertThat(root.traceId()).isEqualTo(result.traceId());
        assertThat(root.kind()).isEqualTo("agent");
        assertThat(root.input()).contains("Please refund order A1");
        assertThat(root.output()).contains("Done: your order was refunded.");
        assertThat(root.attributes()).contains("\"sextant.replay.stop_reason\":\"final_answer\"");
        assertThat(calls).hasSize(3).allSatisfy(c -> {
            assertThat(c.request().traceId()).isEqualTo(result.traceId());
            assertThat(c.request().parentSpanId()).isEqualTo(root.id());
        });
        assertThat(replaySpans).filteredOn(s -> "tool".equals(s.kind())).extracting(SpanRecord::name,
                SpanRecord::parentId, SpanRecord::output).containsExactly(
                tuple("execute_tool lookup_order", root.id(), "{\"status\":\"delivered\"}"),
                tuple("execute_tool refund", root.id(), "{\"status\":\"refunded\"}"));
    }

    @Test
    void aToolCallWithNoRecordedResultIsUnresolvedAndNeverInvented() {
        List<RecordedRun.ToolResult> results = List.of(
                new RecordedRun.ToolResult("lookup_order", "{\"orderId\":\"OTHER\"}", "{\"status\":\"delivered\"}"));
        AgentReplayService.Result result = replay.replay("p", new AgentReplayService.Request(
                run("A1", results), 0, null, true, 5));
        assertThat(result.stopReason()).isEqualTo("unresolved_tool_call");
        assertThat(result.steps()).singleElement().satisfies(step -> assertThat(step.toolCalls()).singleElement()
                .satisfies(r -> {
                    assertThat(r.resolved()).isFalse();
                    assertThat(r.result()).isNull();
                }));
        assertThat(sim.stats().requests()).isEqualTo(1);
        assertThat(replaySpans).filteredOn(s -> "tool".equals(s.kind())).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo("error");
            assertThat(s.error()).isEqualTo("no recorded result matches this call");
            assertThat(s.output()).isNull();
        });
    }

    @Test
    void aReplayWhoseModelCallFailsIsStillTracedWithTheError() {
        AgentReplayService failing = new AgentReplayService((p, request) -> {
            throw new IllegalStateException("provider down");
        }, (p, spans) -> replaySpans.addAll(spans));
        assertThatThrownBy(() -> failing.replay("p", new AgentReplayService.Request(run("A1", List.of()), 0, null,
                true, 5))).hasMessage("provider down");
        assertThat(replaySpans).singleElement().satisfies(root -> {
            assertThat(root.kind()).isEqualTo("agent");
            assertThat(root.status()).isEqualTo("error");
            assertThat(root.error()).isEqualTo("provider down");
            assertThat(root.output()).isNull();
        });
    }

    @Test
    void theLoopStopsAtMaxSteps() {
        List<RecordedRun.ToolResult> results = List.of(
                new RecordedRun.ToolResult("lookup_order", "{\"orderId\":\"A1\"}", "{\"status\":\"delivered\"}"),
                new RecordedRun.ToolResult("refund", "{\"orderId\":\"A1\"}", "{\"status\":\"refunded\"}"));
        AgentReplayService.Result result = replay.replay("p", new AgentReplayService.Request(
                run("A1", results), 0, null, true, 1));
        assertThat(result.stopReason()).isEqualTo("max_steps");
        assertThat(result.steps()).hasSize(1);
    }
}
