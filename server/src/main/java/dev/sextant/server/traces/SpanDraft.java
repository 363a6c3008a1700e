package dev.sextant.server.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the attribute rules learn about one span. Each setter keeps the first value it is given,
 * so the order of the rule table is the order of precedence.
 */
final class SpanDraft {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    SpanKind kind;
    String model;
    String provider;
    final ObjectNode params = NODES.objectNode();
    JsonNode inputMessages;
    JsonNode outputMessages;
    JsonNode systemInstructions;
    JsonNode inputValue;
    JsonNode outputValue;
    final IndexedMessages indexedInput = new IndexedMessages();
    final IndexedMessages indexedOutput = new IndexedMessages();
    Long inputTokens;
    Long outputTokens;
    Long cachedTokens;
    Long reasoningTokens;
    Double cost;
    String error;
    String sessionId;
    String userId;
    List<String> tags;
    JsonNode metadata;
    String traceName;
    String promptName;
    Integer promptVersion;
    /** Attribute keys whose content moved into input/output; not repeated in the attributes. */
    final Set<String> consumed = new HashSet<>();

    void kind(SpanKind value) {
        if (kind == null && value != null) {
            kind = value;
        }
    }

    static <T> T first(T current, T value) {
        return current != null ? current : value;
    }

    /** The input: structured messages first, then indexed messages, then plain values. */
    JsonNode input() {
        JsonNode messages = inputMessages != null ? inputMessages : indexedInput.build();
        if (systemInstructions != null) {
            ArrayNode withSystem = NODES.arrayNode();
            ObjectNode system = withSystem.addObject().put("role", "system");
            if (systemInstructions.isArray()) {
                system.set("parts", systemInstructions);
            } else {
                system.putArray("parts").addObject().put("type", "text").put("content", Messages.text(systemInstructions));
            }
            if (messages != null && messages.isArray()) {
                withSystem.addAll((ArrayNode) messages);
                return withSystem;
            }
            if (messages == null && inputValue == null) {
                return withSystem;
            }
        }
        return messages != null ? messages : inputValue;
    }

    JsonNode output() {
        JsonNode messages = outputMessages != null ? outputMessages : indexedOutput.build();
        return messages != null ? messages : outputValue;
    }

    /** Messages given as flattened, indexed attributes ({@code llm.input_messages.0.message.role}, ...). */
    static final class IndexedMessages {
        private final Map<Integer, Entry> messages = new TreeMap<>();

        private static final class Entry {
            String role;
            final StringBuilder text = new StringBuilder();
            String toolCallId;
            String finishReason;
            final Map<Integer, ObjectNode> toolCalls = new TreeMap<>();
        }

        private Entry at(int index) {
            return messages.computeIfAbsent(index, i -> new Entry());
        }

        void set(int index, MessageField field, Integer subIndex, String value) {
            Entry e = at(index);
            switch (field) {
                case ROLE -> e.role = value;
                case TEXT -> e.text.append(value);
                case TOOL_RESULT_ID -> e.toolCallId = value;
                case FINISH -> e.finishReason = value;
                case TOOL_ID, TOOL_NAME, TOOL_ARGUMENTS -> {
                    ObjectNode call = e.toolCalls.computeIfAbsent(subIndex == null ? 0 : subIndex,
                            i -> NODES.objectNode().put("type", "tool_call"));
                    call.put(field == MessageField.TOOL_ID ? "id" : field == MessageField.TOOL_NAME ? "name" : "arguments",
                            value);
                }
            }
        }

        ArrayNode build() {
            if (messages.isEmpty()) {
                return null;
            }
            ArrayNode list = NODES.arrayNode();
            for (Entry e : messages.values()) {
                ObjectNode m = list.addObject().put("role", e.role == null ? "user" : e.role);
                ArrayNode parts = m.putArray("parts");
                if (e.toolCallId != null) {
                    parts.addObject().put("type", "tool_call_response").put("id", e.toolCallId)
                            .put("response", e.text.toString());
                } else if (!e.text.isEmpty()) {
                    parts.addObject().put("type", "text").put("content", e.text.toString());
                }
                e.toolCalls.values().forEach(parts::add);
                if (e.finishReason != null) {
                    m.put("finish_reason", e.finishReason);
                }
            }
            return list;
        }
    }

    /** A field of one indexed message. */
    enum MessageField {
        ROLE, TEXT, TOOL_RESULT_ID, FINISH, TOOL_ID, TOOL_NAME, TOOL_ARGUMENTS
    }
}
