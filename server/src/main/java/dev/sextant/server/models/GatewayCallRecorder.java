package dev.sextant.server.models;

/**
 * Receives every gateway call once it finished (after retries), to record it as an {@code llm} span
 * in the project. The default does nothing; the composition root wires it to trace ingestion.
 * Implementations must not throw and should not block for long: they run on the caller's thread.
 */
@FunctionalInterface
public interface GatewayCallRecorder {
    GatewayCallRecorder NONE = (projectId, call) -> { };

    void record(String projectId, RecordedCall call);
}
