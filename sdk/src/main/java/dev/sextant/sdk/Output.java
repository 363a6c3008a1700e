package dev.sextant.sdk;

/**
 * What the application produced for one dataset item in an experiment. Only the text is needed;
 * latency is measured when not given, and the trace id is taken from the {@code sextant.trace(...)}
 * the function opened when not given.
 */
public record Output(String text, String traceId, Long latencyMs, Double costUsd, Integer inputTokens,
                     Integer outputTokens, String error) {

    public static Output of(String text) {
        return new Output(text, null, null, null, null, null, null);
    }

    /** A failed item: counted as an error, never as a pass or a fail. */
    public static Output error(String message) {
        return new Output(null, null, null, null, null, null, message);
    }

    /** Links the item to the trace the application logged (32 hex characters). */
    public Output traceId(String value) {
        return new Output(text, value, latencyMs, costUsd, inputTokens, outputTokens, error);
    }

    public Output latencyMs(long value) {
        return new Output(text, traceId, value, costUsd, inputTokens, outputTokens, error);
    }

    public Output costUsd(double value) {
        return new Output(text, traceId, latencyMs, value, inputTokens, outputTokens, error);
    }

    public Output tokens(int input, int output) {
        return new Output(text, traceId, latencyMs, costUsd, input, output, error);
    }
}
