package dev.sextant.server.evaluators;

import dev.sextant.server.models.ChatMessage;
import dev.sextant.server.models.ChatRequest;
import dev.sextant.server.models.ChatResult;
import dev.sextant.server.models.GatewayException;
import dev.sextant.server.models.ModelGateway;
import java.util.List;

/**
 * LLM judges over the model gateway, so judge calls get the gateway's retries, limits, cost
 * accounting and tracing like every other model call. A judge without a configured model uses
 * the sim (offline-safe default); real judges name their provider and model.
 */
public final class GatewayJudgeModel implements JudgeModel {
    static final String DEFAULT_PROVIDER = "sim";
    static final String DEFAULT_MODEL = "sim-1";

    private final ModelGateway gateway;

    public GatewayJudgeModel(ModelGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public JudgeReply complete(String projectId, String callName, List<Message> messages, ModelConfig config) {
        ModelConfig effective = config == null ? new ModelConfig(null, null, null, null) : config;
        dev.sextant.server.models.ModelConfig model = new dev.sextant.server.models.ModelConfig(
                effective.provider() == null ? DEFAULT_PROVIDER : effective.provider(),
                effective.model() == null ? DEFAULT_MODEL : effective.model(),
                effective.temperature() == null ? 0.0 : effective.temperature(), effective.maxTokens(),
                null, null, null, null);
        List<ChatMessage> chat = messages.stream().map(m -> ChatMessage.of(m.role(), m.content())).toList();
        try {
            ChatResult result = gateway.chat(projectId, new ChatRequest(chat, model, List.of(), null).named(callName));
            return new JudgeReply(result.text(), (long) result.usage().inputTokens(),
                    (long) result.usage().outputTokens(), result.costUsd());
        } catch (GatewayException e) {
            throw new EvaluationException("judge model call failed: " + e.getMessage());
        }
    }
}
