package dev.sextant.server.evaluators;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A human evaluator's form: general instructions and questions, each answered with a boolean, a
 * number in a range, or one category. The first question is the evaluator's value (the one the
 * pass rule applies to); the others are recorded alongside it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rubric(String instructions, List<Question> questions) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Question(String id, String text, ValueType type, Double min, Double max, List<String> categories,
                           String instructions) {

        public OutputType outputType() {
            return switch (type) {
                case BOOLEAN -> OutputType.bool();
                case NUMBER -> OutputType.number(min, max);
                case CATEGORY -> OutputType.category(categories);
            };
        }

        /** Slider/number step for the form: whole numbers for integral ranges. */
        public String step() {
            return (min == null || min == Math.rint(min)) && (max == null || max == Math.rint(max)) ? "1" : "any";
        }
    }

    /**
     * Reads a filled-in rubric form ({@code answer_<questionId>} fields) into typed answers, in
     * question order. Throws {@link IllegalArgumentException} for a missing or invalid answer.
     */
    public Map<String, JudgmentValue> answers(Map<String, List<String>> form) {
        Map<String, JudgmentValue> answers = new LinkedHashMap<>();
        for (Question q : questions) {
            List<String> raw = form.get("answer_" + q.id());
            String text = raw == null || raw.isEmpty() || raw.getFirst() == null ? "" : raw.getFirst().strip();
            if (text.isEmpty()) {
                throw new IllegalArgumentException("answer \"" + q.text() + "\"");
            }
            JudgmentValue value = switch (q.type()) {
                case BOOLEAN -> switch (text) {
                    case "true", "yes" -> JudgmentValue.of(true);
                    case "false", "no" -> JudgmentValue.of(false);
                    default -> throw new IllegalArgumentException("\"" + q.text() + "\" needs yes or no");
                };
                case NUMBER -> {
                    try {
                        yield JudgmentValue.of(Double.parseDouble(text));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("\"" + q.text() + "\" needs a number");
                    }
                }
                case CATEGORY -> JudgmentValue.of(text);
            };
            String mismatch = q.outputType().mismatch(value);
            if (mismatch != null) {
                throw new IllegalArgumentException("\"" + q.text() + "\": " + mismatch);
            }
            answers.put(q.id(), value);
        }
        return answers;
    }

    /** Throws {@link IllegalArgumentException} naming the first problem. */
    void validate() {
        if (instructions != null && instructions.length() > 10_000) {
            throw new IllegalArgumentException("config.rubric.instructions must have at most 10000 characters");
        }
        if (questions == null || questions.isEmpty()) {
            throw new IllegalArgumentException("config.rubric.questions must hold at least one question");
        }
        if (questions.size() > 50) {
            throw new IllegalArgumentException("config.rubric may have at most 50 questions");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < questions.size(); i++) {
            Question q = questions.get(i);
            String where = "config.rubric.questions[" + i + "]";
            if (q == null || q.id() == null || !q.id().matches("[A-Za-z0-9_-]{1,60}")) {
                throw new IllegalArgumentException(where + ".id must be 1-60 letters, digits, '-' or '_'");
            }
            if (!ids.add(q.id())) {
                throw new IllegalArgumentException(where + ".id '" + q.id() + "' is used twice");
            }
            if (q.text() == null || q.text().isBlank() || q.text().length() > 2_000) {
                throw new IllegalArgumentException(where + ".text must be 1-2000 characters");
            }
            if (q.type() == null) {
                throw new IllegalArgumentException(where + ".type must be boolean, number or category");
            }
            EvaluatorService.validateOutputType(q.outputType(), where);
        }
    }
}
