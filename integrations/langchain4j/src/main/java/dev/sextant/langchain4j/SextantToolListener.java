package dev.sextant.langchain4j;

import dev.langchain4j.observability.api.event.ToolExecutedEvent;
import dev.langchain4j.observability.api.listener.ToolExecutedEventListener;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.ToolSpan;

/**
 * Records the tool executions of a langchain4j AI service as {@code tool} spans. langchain4j
 * reports a tool only after it ran, so the span carries the call and its result but not the
 * tool's own duration. Register with {@code AiServices.builder(...).registerListener(...)}.
 */
public final class SextantToolListener implements ToolExecutedEventListener {
    private final Sextant sextant;

    public SextantToolListener(Sextant sextant) {
        this.sextant = sextant;
    }

    @Override
    public void onEvent(ToolExecutedEvent event) {
        try (ToolSpan span = sextant.tool(event.request().name())) {
            span.callId(event.request().id()).arguments(event.request().arguments()).result(event.resultText());
        } catch (RuntimeException ignored) {
            // telemetry must never break the application
        }
    }
}
