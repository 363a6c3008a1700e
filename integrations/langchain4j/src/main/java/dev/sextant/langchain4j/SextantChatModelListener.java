package dev.sextant.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.sextant.sdk.LlmSpan;
import dev.sextant.sdk.Message;
import dev.sextant.sdk.Sextant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Records every langchain4j chat call as an {@code llm} span under the current span: request
 * messages and parameters, response, token usage and errors. Register it on the model builder:
 * {@code OpenAiChatModel.builder().listeners(List.of(new SextantChatModelListener(sextant)))}.
 * It never throws into the application.
 */
public final class SextantChatModelListener implements ChatModelListener {
    private static final String SPAN = SextantChatModelListener.class.getName() + ".span";

    private final Sextant sextant;
    private final String providerOverride;

    public SextantChatModelListener(Sextant sextant) {
        this(sextant, null);
    }

    /** @param providerName recorded instead of the client's provider (e.g. {@code sim} for an OpenAI-compatible server) */
    public SextantChatModelListener(Sextant sextant, String providerName) {
        this.sextant = sextant;
        this.providerOverride = providerName;
    }

    @Override
    public void onRequest(ChatModelRequestContext context) {
        try {
            ChatRequest request = context.chatRequest();
            String model = request.modelName();
            LlmSpan span = sextant.startLlm(model == null ? "chat" : "chat " + model)
                    .model(provider(context.modelProvider()), model)
                    .inputMessages(convert(request.messages()));
            if (request.temperature() != null) {
                span.temperature(request.temperature());
            }
            if (request.maxOutputTokens() != null) {
                span.maxTokens(request.maxOutputTokens());
            }
            context.attributes().put(SPAN, span);
        } catch (RuntimeException ignored) {
            // telemetry must never break the application
        }
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        Object stored = context.attributes().remove(SPAN);
        if (!(stored instanceof LlmSpan span)) {
            return;
        }
        try {
            ChatResponse response = context.chatResponse();
            span.responseModel(response.modelName()).outputMessages(convert(List.of(response.aiMessage())));
            TokenUsage usage = response.tokenUsage();
            if (usage != null) {
                span.usage(orZero(usage.inputTokenCount()), orZero(usage.outputTokenCount()));
            }
            if (response.finishReason() != null) {
                span.finishReason(response.finishReason().name().toLowerCase(Locale.ROOT));
            }
        } catch (RuntimeException ignored) {
            // keep whatever was recorded
        } finally {
            span.close();
        }
    }

    @Override
    public void onError(ChatModelErrorContext context) {
        Object stored = context.attributes().remove(SPAN);
        if (stored instanceof LlmSpan span) {
            span.error(context.error());
            span.close();
        }
    }

    private String provider(ModelProvider provider) {
        if (providerOverride != null) {
            return providerOverride;
        }
        if (provider == null) {
            return null;
        }
        return switch (provider) {
            case OPEN_AI -> "openai";
            case ANTHROPIC -> "anthropic";
            case GOOGLE_AI_GEMINI -> "gcp.gemini";
            case AZURE_OPEN_AI -> "azure.ai.openai";
            case AMAZON_BEDROCK -> "aws.bedrock";
            default -> provider.name().toLowerCase(Locale.ROOT);
        };
    }

    static List<Message> convert(List<ChatMessage> messages) {
        List<Message> out = new ArrayList<>();
        for (ChatMessage message : messages) {
            if (message instanceof SystemMessage system) {
                out.add(Message.system(system.text()));
            } else if (message instanceof UserMessage user) {
                out.add(Message.user(user.hasSingleText() ? user.singleText() : String.valueOf(user.contents())));
            } else if (message instanceof AiMessage ai) {
                if (ai.text() != null && !ai.text().isEmpty()) {
                    out.add(Message.assistant(ai.text()));
                }
                if (ai.hasToolExecutionRequests()) {
                    for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                        out.add(Message.toolCall(call.id(), call.name(), call.arguments()));
                    }
                }
            } else if (message instanceof ToolExecutionResultMessage result) {
                out.add(Message.toolResult(result.id(), result.toolName(), result.text()));
            }
        }
        return out;
    }

    private static long orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
