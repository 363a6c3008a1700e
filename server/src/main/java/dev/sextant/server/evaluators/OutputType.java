package dev.sextant.server.evaluators;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The value an evaluator produces: a boolean, a number within an optional range, or one category of
 * a fixed list.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutputType(ValueType type, Double min, Double max, List<String> categories) {

    public static OutputType bool() {
        return new OutputType(ValueType.BOOLEAN, null, null, null);
    }

    public static OutputType number(Double min, Double max) {
        return new OutputType(ValueType.NUMBER, min, max, null);
    }

    public static OutputType category(List<String> categories) {
        return new OutputType(ValueType.CATEGORY, null, null, List.copyOf(categories));
    }

    /** Why {@code value} does not fit this type, or null when it does. */
    public String mismatch(JudgmentValue value) {
        return switch (value) {
            case JudgmentValue.Bool b when type == ValueType.BOOLEAN -> null;
            case JudgmentValue.Num n when type == ValueType.NUMBER -> {
                if (min != null && n.value() < min || max != null && n.value() > max) {
                    yield "value " + n.value() + " is outside the range " + range();
                }
                yield null;
            }
            case JudgmentValue.Category c when type == ValueType.CATEGORY ->
                    categories.contains(c.value()) ? null
                            : "category '" + c.value() + "' is not one of " + categories;
            default -> "expected a " + type.id() + " value but got " + value.type().id();
        };
    }

    private String range() {
        return "[" + (min == null ? "-inf" : min) + ", " + (max == null ? "inf" : max) + "]";
    }
}
