package dev.sextant.server.evaluators;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The seam between LLM judges and the model gateway: send chat messages with a model
 * configuration, get the reply text with its token counts and cost. The composition root
 * implements it over the gateway (so judge calls are traced and costed like any other model
 * call); tests use scripted implementations. Implementations throw {@link EvaluationException} (or
 * any runtime exception) when the call fails; the judge turns that into an error judgment.
 */
@FunctionalInterface
public interface JudgeModel {

    /** @param callName how the call is named in traces, e.g. {@code judge: concise} */
    JudgeReply complete(String projectId, String callName, List<Message> messages, ModelConfig config);

    /** A chat message; role is {@code system}, {@code user} or {@code assistant}. */
    record Message(String role, String content) {
        public static Message system(String content) {
            return new Message("system", content);
        }

        public static Message user(String content) {
            return new Message("user", content);
        }
    }

    /**
     * Which model judges, as stored in the evaluator's config; every field may be null to use the
     * gateway's default judge model. Judges should run at temperature 0.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ModelConfig(String provider, String model, Double temperature, Integer maxTokens) {
    }

    /** The raw reply; token counts and cost may be null when the provider does not report them. */
    record JudgeReply(String text, Long inputTokens, Long outputTokens, Double cost) {
    }

    /** Used until the gateway is wired: every judge call is an error judgment, never a silent pass. */
    static JudgeModel unavailable() {
        return (projectId, callName, messages, config) -> {
            throw new EvaluationException("no model gateway is configured for LLM judges");
        };
    }
}
