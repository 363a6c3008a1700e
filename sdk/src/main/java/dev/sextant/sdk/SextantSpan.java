package dev.sextant.sdk;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A span that is current while open: use it with try-with-resources. Setters never throw; with
 * content capture off, inputs and outputs are not recorded.
 */
public class SextantSpan implements AutoCloseable {
    protected final Span span;
    protected final boolean captureContent;
    private final Scope scope;

    SextantSpan(Span span, boolean captureContent) {
        this(span, captureContent, true);
    }

    /** @param makeCurrent false for spans started and ended by callbacks, possibly on other threads */
    SextantSpan(Span span, boolean captureContent, boolean makeCurrent) {
        this.span = span;
        this.captureContent = captureContent;
        this.scope = makeCurrent ? span.makeCurrent() : null;
    }

    /** What went in: a string is kept as is, anything else is written as JSON. */
    public SextantSpan input(Object value) {
        if (captureContent && value != null) {
            span.setAttribute(Attributes.INPUT, JsonText.write(value));
        }
        return this;
    }

    /** What came out: a string is kept as is, anything else is written as JSON. */
    public SextantSpan output(Object value) {
        if (captureContent && value != null) {
            span.setAttribute(Attributes.OUTPUT, JsonText.write(value));
        }
        return this;
    }

    public SextantSpan sessionId(String sessionId) {
        setString(Attributes.SESSION_ID, sessionId);
        return this;
    }

    public SextantSpan userId(String userId) {
        setString(Attributes.USER_ID, userId);
        return this;
    }

    public SextantSpan tags(String... tags) {
        if (tags != null && tags.length > 0) {
            span.setAttribute(AttributeKey.stringArrayKey(Attributes.TAGS), Arrays.asList(tags));
        }
        return this;
    }

    public SextantSpan metadata(Map<String, ?> metadata) {
        if (metadata != null && !metadata.isEmpty()) {
            span.setAttribute(Attributes.METADATA, JsonText.write(metadata));
        }
        return this;
    }

    public SextantSpan attribute(String key, String value) {
        setString(key, value);
        return this;
    }

    public SextantSpan attribute(String key, long value) {
        span.setAttribute(key, value);
        return this;
    }

    public SextantSpan attribute(String key, double value) {
        span.setAttribute(key, value);
        return this;
    }

    /** Marks the span failed with the exception's type and message. */
    public SextantSpan error(Throwable error) {
        if (error != null) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
            span.setAttribute(Attributes.ERROR_TYPE, error.getClass().getName());
        }
        return this;
    }

    public String traceId() {
        return span.getSpanContext().getTraceId();
    }

    public String spanId() {
        return span.getSpanContext().getSpanId();
    }

    /** The underlying OpenTelemetry span, for anything this API does not cover. */
    public Span otelSpan() {
        return span;
    }

    protected final void setString(String key, String value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }

    protected static List<Object> genAi(List<Message> messages) {
        return messages.stream().map(m -> (Object) m.toGenAi()).toList();
    }

    @Override
    public void close() {
        if (scope != null) {
            scope.close();
        }
        span.end();
    }
}
