package dev.sextant.server.evaluators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to a built-in's {@code params} object; a missing or mistyped parameter throws
 * {@link IllegalArgumentException} naming it, which the service reports as 422.
 */
final class Params {
    private final JsonNode node;

    Params(JsonNode node) {
        if (node != null && !node.isNull() && !node.isObject()) {
            throw new IllegalArgumentException("params must be a JSON object");
        }
        this.node = node == null || node.isNull() ? JsonNodeFactory.instance.objectNode() : node;
    }

    boolean has(String name) {
        return node.hasNonNull(name);
    }

    String text(String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new IllegalArgumentException("params." + name + " must be a non-empty string");
        }
        return value.textValue();
    }

    String text(String name, String fallback) {
        return has(name) ? text(name) : fallback;
    }

    boolean bool(String name, boolean fallback) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("params." + name + " must be true or false");
        }
        return value.booleanValue();
    }

    double number(String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw new IllegalArgumentException("params." + name + " must be a number");
        }
        return value.doubleValue();
    }

    double number(String name, double fallback) {
        return has(name) ? number(name) : fallback;
    }

    Double optionalNumber(String name) {
        return has(name) ? number(name) : null;
    }

    List<String> texts(String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw new IllegalArgumentException("params." + name + " must be a non-empty list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().isEmpty()) {
                throw new IllegalArgumentException("params." + name + " must hold only non-empty strings");
            }
            out.add(item.textValue());
        }
        return List.copyOf(out);
    }

    JsonNode object(String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isObject()) {
            throw new IllegalArgumentException("params." + name + " must be a JSON object");
        }
        return value;
    }
}
