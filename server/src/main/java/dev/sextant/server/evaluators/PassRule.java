package dev.sextant.server.evaluators;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/** When a judgment passes: the value is true, a number is at least a threshold, or a category is in a set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PassRule(Op op, Double threshold, List<String> values) {

    public enum Op {
        TRUE, GTE, IN;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static PassRule isTrue() {
        return new PassRule(Op.TRUE, null, null);
    }

    public static PassRule atLeast(double threshold) {
        return new PassRule(Op.GTE, threshold, null);
    }

    public static PassRule in(List<String> values) {
        return new PassRule(Op.IN, null, List.copyOf(values));
    }

    /** The value type this rule applies to. */
    public ValueType appliesTo() {
        return switch (op) {
            case TRUE -> ValueType.BOOLEAN;
            case GTE -> ValueType.NUMBER;
            case IN -> ValueType.CATEGORY;
        };
    }

    public boolean passes(JudgmentValue value) {
        return switch (value) {
            case JudgmentValue.Bool b -> op == Op.TRUE && b.value();
            case JudgmentValue.Num n -> op == Op.GTE && n.value() >= threshold;
            case JudgmentValue.Category c -> op == Op.IN && values.contains(c.value());
        };
    }

    public String describe() {
        return switch (op) {
            case TRUE -> "true";
            case GTE -> "≥ " + threshold;
            case IN -> "in " + values;
        };
    }
}
