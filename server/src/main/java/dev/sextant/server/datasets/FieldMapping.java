package dev.sextant.server.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which source field (a CSV column, a JSONL field or dotted path, or a field of a logged trace)
 * feeds which item field. Targets: {@code input.<name>}, {@code input} (an object of variables),
 * {@code expected}, {@code metadata.<key>}, {@code metadata} (an object), {@code messages},
 * {@code sourceTraceId}, {@code sourceSpanId}. Example:
 * {@code {"input.question": "question", "expected": "answer", "metadata.topic": "topic"}}.
 */
public final class FieldMapping {
    private final Map<String, String> targets;
    private final boolean strict;

    private FieldMapping(Map<String, String> targets, boolean strict) {
        this.targets = targets;
        this.strict = strict;
    }

    /** An explicit mapping (target → source); every mapped input variable must be present in each record. */
    public static FieldMapping of(Map<String, String> mapping) {
        if (mapping == null || mapping.isEmpty()) {
            throw ApiException.invalid("mapping: map at least one field, e.g. {\"input.question\": \"question\"}");
        }
        Map<String, String> clean = new LinkedHashMap<>();
        mapping.forEach((target, source) -> {
            String t = target == null ? "" : target.trim();
            if (!isTarget(t)) {
                throw ApiException.invalid("mapping: unknown target '" + t + "'; use input.<name>, input, expected, "
                        + "metadata.<key>, metadata, messages, sourceTraceId or sourceSpanId");
            }
            if (source == null || source.isBlank()) {
                throw ApiException.invalid("mapping: target '" + t + "' needs a source column or field");
            }
            clean.put(t.equals("expectedOutput") ? "expected" : t, source.trim());
        });
        return new FieldMapping(clean, true);
    }

    /**
     * The mapping implied by column names: {@code input.x}, {@code expected}, {@code metadata.x},
     * {@code messages}, {@code source_trace_id}, ... as exported; {@code id} is ignored; any other
     * column becomes an input variable of the same name.
     */
    public static FieldMapping defaultFor(Collection<String> columns) {
        Map<String, String> mapping = new LinkedHashMap<>();
        for (String column : columns) {
            String target = defaultTarget(column);
            if (target != null) {
                mapping.putIfAbsent(target, column);
            }
        }
        return new FieldMapping(mapping, false);
    }

    static String defaultTarget(String column) {
        String lower = column.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "id", "item_id", "itemid" -> null;
            case "input", "messages", "metadata" -> lower;
            case "expected", "expected_output", "expectedoutput" -> "expected";
            case "source_trace_id", "sourcetraceid" -> "sourceTraceId";
            case "source_span_id", "sourcespanid" -> "sourceSpanId";
            default -> column.startsWith("input.") || column.startsWith("metadata.") ? column : "input." + column;
        };
    }

    private static boolean isTarget(String t) {
        return switch (t) {
            case "input", "expected", "expectedOutput", "metadata", "messages", "sourceTraceId", "sourceSpanId" -> true;
            default -> (t.startsWith("input.") && t.length() > 6) || (t.startsWith("metadata.") && t.length() > 9);
        };
    }

    public Map<String, String> asMap() {
        return Map.copyOf(targets);
    }

    public Collection<String> sources() {
        return targets.values();
    }

    /** Human-readable, for the version history: {@code "input.question ← question, expected ← answer"}. */
    public String describe() {
        return targets.entrySet().stream().map(e -> e.getKey() + " ← " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /**
     * Builds an item from one record. In {@code textCells} mode (CSV) empty cells count as absent
     * for everything but input variables, and object-valued targets parse their cell as JSON.
     */
    public ItemDraft apply(JsonNode record, String where, boolean textCells) {
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        ArrayNode messages = null;
        JsonNode expected = null;
        String traceId = null;
        String spanId = null;
        for (Map.Entry<String, String> e : targets.entrySet()) {
            String target = e.getKey();
            JsonNode value = lookup(record, e.getValue());
            boolean absent = value == null || value.isNull() || (textCells && value.isTextual() && value.asText().isEmpty()
                    && !target.startsWith("input."));
            if (absent) {
                if (strict && target.startsWith("input")) {
                    throw ApiException.invalid(where + ": field '" + e.getValue() + "' is missing");
                }
                continue;
            }
            switch (target) {
                case "input" -> input.setAll(objectValue(value, where, e.getValue(), textCells));
                case "metadata" -> metadata.setAll(objectValue(value, where, e.getValue(), textCells));
                case "expected" -> expected = value;
                case "messages" -> messages = arrayValue(value, where, e.getValue(), textCells);
                case "sourceTraceId" -> traceId = value.isTextual() ? value.asText() : value.toString();
                case "sourceSpanId" -> spanId = value.isTextual() ? value.asText() : value.toString();
                default -> {
                    if (target.startsWith("input.")) {
                        input.set(target.substring(6), value);
                    } else {
                        metadata.set(target.substring(9), value);
                    }
                }
            }
        }
        return new ItemDraft(input, messages, expected, metadata, traceId, spanId).validated(where);
    }

    /** The field itself if present, else a dotted path into nested objects. */
    private static JsonNode lookup(JsonNode record, String source) {
        if (record.has(source)) {
            return record.get(source);
        }
        JsonNode node = record;
        for (String part : source.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node;
    }

    private static ObjectNode objectValue(JsonNode value, String where, String source, boolean textCells) {
        JsonNode parsed = textCells && value.isTextual() ? parse(value.asText(), where, source) : value;
        if (!parsed.isObject()) {
            throw ApiException.invalid(where + ": '" + source + "' must be a JSON object");
        }
        return (ObjectNode) parsed;
    }

    private static ArrayNode arrayValue(JsonNode value, String where, String source, boolean textCells) {
        JsonNode parsed = textCells && value.isTextual() ? parse(value.asText(), where, source) : value;
        if (!parsed.isArray()) {
            throw ApiException.invalid(where + ": '" + source + "' must be a JSON list of messages");
        }
        return (ArrayNode) parsed;
    }

    private static JsonNode parse(String text, String where, String source) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid(where + ": '" + source + "' is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
