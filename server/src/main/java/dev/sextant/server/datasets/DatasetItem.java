package dev.sextant.server.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One item as seen in some dataset version. {@code id} is stable across versions (an edit changes
 * the content, not the identity); {@code revision} is the version in which this content appeared.
 */
public record DatasetItem(String id, int revision, ObjectNode input, ArrayNode messages, JsonNode expectedOutput,
                          ObjectNode metadata, String sourceTraceId, String sourceSpanId, String updatedBy,
                          Instant updatedAt) {

    public ItemDraft content() {
        return new ItemDraft(input, messages, expectedOutput, metadata, sourceTraceId, sourceSpanId);
    }
}
