package dev.sextant.sdk;

import io.opentelemetry.api.trace.Span;

/** A tool execution ({@code execute_tool {name}} in the GenAI conventions). */
public final class ToolSpan extends SextantSpan {

    ToolSpan(Span span, boolean captureContent, String toolName) {
        super(span, captureContent);
        span.setAttribute(Attributes.OPERATION, "execute_tool");
        setString(Attributes.TOOL_NAME, toolName);
    }

    public ToolSpan callId(String id) {
        setString(Attributes.TOOL_CALL_ID, id);
        return this;
    }

    public ToolSpan arguments(String json) {
        if (captureContent) {
            setString(Attributes.TOOL_ARGUMENTS, json);
        }
        return this;
    }

    public ToolSpan result(Object result) {
        if (captureContent && result != null) {
            setString(Attributes.TOOL_RESULT, JsonText.write(result));
        }
        return this;
    }
}
