package dev.sextant.server.evaluators;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/** A judgment's value: serialized as a plain JSON boolean, number or string. */
public sealed interface JudgmentValue {

    ValueType type();

    record Bool(boolean value) implements JudgmentValue {
        @JsonValue
        public boolean json() {
            return value;
        }

        @Override
        public ValueType type() {
            return ValueType.BOOLEAN;
        }
    }

    record Num(double value) implements JudgmentValue {
        @JsonValue
        public double json() {
            return value;
        }

        @Override
        public ValueType type() {
            return ValueType.NUMBER;
        }
    }

    record Category(String value) implements JudgmentValue {
        @JsonValue
        public String json() {
            return value;
        }

        @Override
        public ValueType type() {
            return ValueType.CATEGORY;
        }
    }

    static JudgmentValue of(boolean value) {
        return new Bool(value);
    }

    static JudgmentValue of(double value) {
        return new Num(value);
    }

    static JudgmentValue of(String category) {
        return new Category(category);
    }

    /** The value in a JSON node, or null when it is not a boolean, a finite number or a string. */
    static JudgmentValue fromJson(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isBoolean()) {
            return new Bool(node.booleanValue());
        }
        if (node.isNumber() && Double.isFinite(node.doubleValue())) {
            return new Num(node.doubleValue());
        }
        if (node.isTextual()) {
            return new Category(node.textValue());
        }
        return null;
    }
}
