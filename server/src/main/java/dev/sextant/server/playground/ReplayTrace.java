package dev.sextant.server.playground;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.db.Ids;
import dev.sextant.server.http.Json;
import dev.sextant.server.models.ChatMessage;
import dev.sextant.server.playground.AgentReplayService.ReplayedStep;
import dev.sextant.server.playground.AgentReplayService.ToolResolution;
import dev.sextant.server.traces.GatewayCallSpans;
import dev.sextant.server.traces.SpanKind;
import dev.sextant.server.traces.SpanRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The spans an agent replay writes itself, in the shape of a recorded agent run (so a replay can be
 * opened in the playground again): an {@code agent} root with the recorded history as input and the
 * last answer as output, and an {@code execute_tool} span per tool call, with the recorded result
 * it was answered with or, unresolved, as an error. The gateway writes the model calls under the root.
 */
final class ReplayTrace {
    static final String NAME = "agent replay";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String traceId;
    private final String rootId;
    private final int step;
    private final List<ChatMessage> history;
    private final Instant start = Instant.now();
    private final List<SpanRecord> toolSpans = new ArrayList<>();

    ReplayTrace(int step, List<ChatMessage> history) {
        this.traceId = newHexId();
        this.rootId = newHexId().substring(16);
        this.step = step;
        this.history = history;
    }

    String traceId() {
        return traceId;
    }

    String rootId() {
        return rootId;
    }

    /** Records the tool calls of the model call that just returned, answered or not. */
    void toolCalls(List<ToolResolution> resolutions) {
        Instant now = Instant.now();
        for (ToolResolution r : resolutions) {
            ObjectNode attributes = NODES.objectNode().put("gen_ai.tool.name", r.call().name())
                    .put("gen_ai.tool.call.id", r.call().id());
            toolSpans.add(new SpanRecord(newHexId().substring(16), traceId, rootId, SpanKind.TOOL.id(),
                    "execute_tool " + r.call().name(), json(r.call().arguments()), r.resolved() ? json(r.result()) : null,
                    null, null, null, null, null, null, null, null, now, now, r.resolved() ? "ok" : "error",
                    r.resolved() ? null : "no recorded result matches this call", attributes.toString(), null, null));
        }
    }

    /** The root span (ended now) and the tool spans, once the replay stopped or failed. */
    List<SpanRecord> spans(List<ReplayedStep> steps, String stopReason, RuntimeException failure) {
        ObjectNode attributes = NODES.objectNode().put("sextant.replay.step", step);
        if (stopReason != null) {
            attributes.put("sextant.replay.stop_reason", stopReason);
        }
        String output = steps.isEmpty() ? null : GatewayCallSpans.output(steps.getLast().result()).toString();
        List<SpanRecord> spans = new ArrayList<>(toolSpans);
        spans.add(new SpanRecord(rootId, traceId, null, SpanKind.AGENT.id(), NAME,
                GatewayCallSpans.input(history).toString(), output, null, null, null, null, null, null, null, null,
                start, Instant.now(), failure == null ? "ok" : "error", failure == null ? null : failure.getMessage(),
                attributes.toString(), null, null));
        return spans;
    }

    /** A value as stored JSON: the value when it is JSON (tool arguments usually are), else a JSON string. */
    private static String json(String text) {
        return text == null ? null : Json.valueOrText(text).toString();
    }

    private static String newHexId() {
        return Ids.newId().replace("-", "");
    }
}
