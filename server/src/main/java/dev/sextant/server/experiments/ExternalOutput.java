package dev.sextant.server.experiments;

/**
 * What the caller's own application produced for one item of an external run.
 *
 * @param repetition 1 when absent
 * @param error      set instead of output when the application failed on this item
 */
public record ExternalOutput(String itemId, Integer repetition, String output, String traceId, Long latencyMs,
                             Double costUsd, Integer inputTokens, Integer outputTokens, String error) {
}
