package dev.sextant.sdk;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.List;

/** A model call, recorded with the OpenTelemetry GenAI semantic conventions. */
public final class LlmSpan extends SextantSpan {

    LlmSpan(Span span, boolean captureContent, boolean makeCurrent) {
        super(span, captureContent, makeCurrent);
        span.setAttribute(Attributes.OPERATION, "chat");
    }

    public LlmSpan model(String provider, String model) {
        setString(Attributes.PROVIDER, provider);
        setString(Attributes.REQUEST_MODEL, model);
        return this;
    }

    public LlmSpan responseModel(String model) {
        setString(Attributes.RESPONSE_MODEL, model);
        return this;
    }

    public LlmSpan temperature(double temperature) {
        span.setAttribute(Attributes.TEMPERATURE, temperature);
        return this;
    }

    public LlmSpan maxTokens(long maxTokens) {
        span.setAttribute(Attributes.MAX_TOKENS, maxTokens);
        return this;
    }

    public LlmSpan inputMessages(List<Message> messages) {
        if (captureContent && messages != null) {
            span.setAttribute(Attributes.INPUT_MESSAGES, JsonText.write(genAi(messages)));
        }
        return this;
    }

    public LlmSpan outputMessages(List<Message> messages) {
        if (captureContent && messages != null) {
            span.setAttribute(Attributes.OUTPUT_MESSAGES, JsonText.write(genAi(messages)));
        }
        return this;
    }

    /** Shorthand for a single assistant reply. */
    public LlmSpan outputText(String text) {
        return outputMessages(List.of(Message.assistant(text)));
    }

    public LlmSpan usage(long inputTokens, long outputTokens) {
        span.setAttribute(Attributes.INPUT_TOKENS, inputTokens);
        span.setAttribute(Attributes.OUTPUT_TOKENS, outputTokens);
        return this;
    }

    public LlmSpan cachedInputTokens(long tokens) {
        span.setAttribute(Attributes.CACHED_TOKENS, tokens);
        return this;
    }

    /** Cost in USD when the application knows it; otherwise the server computes it from usage. */
    public LlmSpan cost(double usd) {
        span.setAttribute(Attributes.COST, usd);
        return this;
    }

    public LlmSpan finishReason(String reason) {
        if (reason != null) {
            span.setAttribute(AttributeKey.stringArrayKey(Attributes.FINISH_REASONS), List.of(reason));
        }
        return this;
    }

    /** Links the call to the prompt version it used. */
    public LlmSpan prompt(Prompt prompt) {
        if (prompt != null) {
            setString(Attributes.PROMPT_NAME, prompt.name());
            span.setAttribute(Attributes.PROMPT_VERSION, (long) prompt.version());
        }
        return this;
    }
}
