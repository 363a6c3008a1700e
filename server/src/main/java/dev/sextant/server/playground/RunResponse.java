package dev.sextant.server.playground;

import dev.sextant.server.models.ChatMessage;
import dev.sextant.server.models.ChatResult;
import java.util.List;

/** The result of a run, the messages actually sent (variables filled), and the diff when replaying. */
public record RunResponse(ChatResult result, List<ChatMessage> messages, List<TextDiff.Segment> diff) {
}
