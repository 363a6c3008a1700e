package dev.sextant.server.playground;

import dev.sextant.server.models.ChatMessage;
import dev.sextant.server.models.ChatRequest;
import dev.sextant.server.models.ChatResult;
import dev.sextant.server.models.ModelGateway;
import dev.sextant.server.models.ToolCall;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.prompts.Templates;
import java.util.List;
import java.util.function.Consumer;

/** Runs playground variants through the gateway: fills variables, calls the model, diffs replays. */
public final class PlaygroundService {
    static final int MAX_MESSAGES = 200;

    private final ModelGateway gateway;

    public PlaygroundService(ModelGateway gateway) {
        this.gateway = gateway;
    }

    /** The request the gateway will get; validates input so a stream can fail before it starts. */
    public ChatRequest prepare(RunRequest run) {
        if (run.messages().isEmpty()) {
            throw ApiException.badRequest("messages must hold at least one message");
        }
        if (run.messages().size() > MAX_MESSAGES) {
            throw ApiException.badRequest("at most " + MAX_MESSAGES + " messages");
        }
        if (run.model() == null || run.model().provider() == null || run.model().name() == null) {
            throw ApiException.badRequest("model.provider and model.name are required");
        }
        List<ChatMessage> messages = run.messages().stream().map(m -> {
            if (m == null || m.role() == null) {
                throw ApiException.badRequest("every message needs a role");
            }
            return new ChatMessage(m.role(), m.content() == null ? null : Templates.render(m.content(), run.variables()), m.toolCalls(),
                    m.toolCallId(), m.name());
        }).toList();
        return new ChatRequest(messages, run.model(), run.tools(), run.prompt()).named("playground");
    }

    public RunResponse run(String projectId, RunRequest run) {
        ChatRequest request = prepare(run);
        return respond(run, request, gateway.chat(projectId, request));
    }

    public RunResponse stream(String projectId, RunRequest run, ChatRequest prepared, Consumer<String> onToken) {
        return respond(run, prepared, gateway.chatStreaming(projectId, prepared, onToken));
    }

    private static RunResponse respond(RunRequest run, ChatRequest request, ChatResult result) {
        List<TextDiff.Segment> diff = run.recordedOutput() == null ? null
                : TextDiff.diff(run.recordedOutput(), comparable(result));
        return new RunResponse(result, request.messages(), diff);
    }

    /** The text to compare with a recorded output: the reply, or the tool calls when there is no text. */
    static String comparable(ChatResult result) {
        return comparable(result.text(), result.toolCalls());
    }

    static String comparable(String text, List<ToolCall> toolCalls) {
        if (text != null && !text.isEmpty()) {
            return text;
        }
        StringBuilder sb = new StringBuilder();
        for (ToolCall call : toolCalls) {
            sb.append(call.name()).append('(').append(call.arguments()).append(")\n");
        }
        return sb.toString().strip();
    }
}
