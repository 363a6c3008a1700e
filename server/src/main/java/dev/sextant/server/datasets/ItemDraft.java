package dev.sextant.server.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.http.ApiException;
import java.util.Set;

/**
 * The content of a dataset item, validated: input variables (a JSON object), an optional chat
 * history (messages with a {@code role}), an optional expected output (any JSON, usually text),
 * metadata (a JSON object) and the trace/span it was promoted from.
 */
public record ItemDraft(ObjectNode input, ArrayNode messages, JsonNode expectedOutput, ObjectNode metadata,
                        String sourceTraceId, String sourceSpanId) {
    static final Set<String> FIELDS = Set.of("input", "messages", "expectedOutput", "metadata", "sourceTraceId",
            "sourceSpanId");
    private static final int MAX_ID_LENGTH = 128;

    public ItemDraft {
        input = input == null ? JsonNodeFactory.instance.objectNode() : input;
        metadata = metadata == null ? JsonNodeFactory.instance.objectNode() : metadata;
        messages = messages == null || messages.isEmpty() ? null : messages;
        expectedOutput = expectedOutput == null || expectedOutput.isNull() || expectedOutput.isMissingNode()
                ? null : expectedOutput;
        sourceTraceId = blankToNull(sourceTraceId);
        sourceSpanId = blankToNull(sourceSpanId);
    }

    /**
     * Reads an item from its API JSON shape; {@code where} (e.g. "items[3]" or "line 7") prefixes
     * every error so the caller can find the bad input.
     */
    public static ItemDraft fromJson(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw ApiException.invalid(where + ": an item must be a JSON object");
        }
        return new ItemDraft(object(node.get("input"), where, "input"), messages(node.get("messages"), where),
                node.get("expectedOutput"), object(node.get("metadata"), where, "metadata"),
                text(node.get("sourceTraceId"), where, "sourceTraceId"),
                text(node.get("sourceSpanId"), where, "sourceSpanId")).validated(where);
    }

    /** This content with the fields present in {@code patch} replaced (an explicit null clears a field). */
    public ItemDraft patchedBy(JsonNode patch, String where) {
        if (patch == null || !patch.isObject()) {
            throw ApiException.invalid(where + ": the patch must be a JSON object");
        }
        patch.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw ApiException.invalid(where + ": unknown field '" + field + "'");
            }
        });
        return new ItemDraft(
                patch.has("input") ? object(patch.get("input"), where, "input") : input,
                patch.has("messages") ? messages(patch.get("messages"), where) : messages,
                patch.has("expectedOutput") ? patch.get("expectedOutput") : expectedOutput,
                patch.has("metadata") ? object(patch.get("metadata"), where, "metadata") : metadata,
                patch.has("sourceTraceId") ? text(patch.get("sourceTraceId"), where, "sourceTraceId") : sourceTraceId,
                patch.has("sourceSpanId") ? text(patch.get("sourceSpanId"), where, "sourceSpanId") : sourceSpanId)
                .validated(where);
    }

    /** Checks the rules every stored item obeys; returns this draft. */
    public ItemDraft validated(String where) {
        if (input.isEmpty() && messages == null) {
            throw ApiException.invalid(where + ": an item needs input variables or a chat history");
        }
        if (messages != null) {
            for (int i = 0; i < messages.size(); i++) {
                JsonNode message = messages.get(i);
                if (!message.isObject() || !message.path("role").isTextual() || message.path("role").asText().isBlank()) {
                    throw ApiException.invalid(where + ": messages[" + i + "] must be an object with a 'role'");
                }
            }
        }
        for (String id : new String[] {sourceTraceId, sourceSpanId}) {
            if (id != null && id.length() > MAX_ID_LENGTH) {
                throw ApiException.invalid(where + ": source ids have at most " + MAX_ID_LENGTH + " characters");
            }
        }
        if (sourceSpanId != null && sourceTraceId == null) {
            throw ApiException.invalid(where + ": a source span needs its source trace id");
        }
        return this;
    }

    private static ObjectNode object(JsonNode node, String where, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ApiException.invalid(where + ": '" + field + "' must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static ArrayNode messages(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw ApiException.invalid(where + ": 'messages' must be a list of messages");
        }
        return (ArrayNode) node;
    }

    private static String text(JsonNode node, String where, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid(where + ": '" + field + "' must be a string");
        }
        return node.asText();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
