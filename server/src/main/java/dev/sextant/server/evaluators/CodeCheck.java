package dev.sextant.server.evaluators;

/**
 * A code evaluator compiled from its configuration: pure, thread-safe, and throws
 * {@link EvaluationException} when the example lacks what it needs.
 */
@FunctionalInterface
interface CodeCheck {
    Result check(EvalInput input);

    /** The raw value and a human-readable reason. */
    record Result(JudgmentValue value, String reason) {
        static Result of(boolean value, String reason) {
            return new Result(JudgmentValue.of(value), reason);
        }

        static Result of(double value, String reason) {
            return new Result(JudgmentValue.of(value), reason);
        }
    }
}
