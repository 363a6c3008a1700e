package dev.sextant.server.evaluators;

/**
 * The result of running an evaluator once. An error judgment has no value and never passes: a
 * broken evaluator (bad reply from a judge, failing expression, missing input) must not look like a
 * pass or a fail.
 *
 * @param cost money spent producing it (LLM judges), null when free
 */
public record Judgment(JudgmentValue value, Boolean passed, String reason, boolean error, String errorMessage,
                       Double cost) {

    public static Judgment of(JudgmentValue value, boolean passed, String reason) {
        return new Judgment(value, passed, reason, false, null, null);
    }

    public static Judgment error(String message) {
        return new Judgment(null, null, null, true, message, null);
    }

    public Judgment withCost(Double cost) {
        return new Judgment(value, passed, reason, error, errorMessage, cost);
    }
}
