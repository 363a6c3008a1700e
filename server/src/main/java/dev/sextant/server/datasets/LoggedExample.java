package dev.sextant.server.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A logged trace or span, already resolved into dataset fields by the caller, to be promoted into
 * a dataset. {@code expectedOutput} is usually the logged output, possibly corrected by a person.
 */
public record LoggedExample(String traceId, String spanId, ObjectNode input, ArrayNode messages,
                            JsonNode expectedOutput, ObjectNode metadata) {

    ItemDraft toDraft(String where) {
        if (traceId == null || traceId.isBlank()) {
            throw dev.sextant.server.http.ApiException.invalid(where + ": traceId is required");
        }
        return new ItemDraft(input, messages, expectedOutput, metadata, traceId, spanId).validated(where);
    }
}
