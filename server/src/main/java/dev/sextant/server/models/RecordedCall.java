package dev.sextant.server.models;

import java.time.Instant;

/**
 * One finished gateway call, as handed to {@link GatewayCallRecorder}: the exact request (messages,
 * tools, parameters, prompt), the result (null on error), usage, cost, latency and the error if any.
 *
 * @param id          time-ordered id of the call (usable as the span id seed)
 * @param error       null on success, else {@code code: message} of the {@link GatewayException}
 * @param attempts    provider requests made, including retries
 * @param streamed    whether the call streamed its output
 */
public record RecordedCall(String id, Instant startedAt, long latencyMs, String provider, String model,
                           ChatRequest request, ChatResult result, Usage usage, Double costUsd, String error,
                           int attempts, boolean streamed) {

    public PromptRef prompt() {
        return request.prompt();
    }

    /** The trace the caller asked this call to be recorded under, or null for a new trace. */
    public String traceId() {
        return request.traceId();
    }
}
