package dev.sextant.server.evaluators;

/** An evaluator could not judge this example (missing field, bad reply, sandbox limit); becomes an error judgment. */
public final class EvaluationException extends RuntimeException {
    public EvaluationException(String message) {
        super(message);
    }
}
