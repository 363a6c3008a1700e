package dev.sextant.examples.supportbot;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.sextant.langchain4j.SextantChatModelListener;
import dev.sextant.langchain4j.SextantToolListener;
import dev.sextant.sdk.Message;
import dev.sextant.sdk.Prompt;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.SextantSpan;
import dev.sextant.sdk.SpanKind;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The support bot: retrieves help-center passages, renders the system prompt deployed in Sextant
 * ({@value #PROMPT}, with a bundled fallback) and lets a langchain4j AI service answer, calling
 * {@code lookup_order} when needed. Every question is one trace: a retrieval span, the llm spans
 * of each model call (linked to the prompt version) and the tool span.
 */
public final class SupportBot {
    public static final String PROMPT = "support-bot/answer";
    /** Used when Sextant cannot be reached and the prompt was never fetched. */
    public static final String FALLBACK_INSTRUCTIONS = """
            You are the support assistant of Nimbus Shop. Answer in two or three sentences, using the \
            help-center passages below when they are relevant. For the status of a specific order, call \
            lookup_order with its number.

            {{context}}""";

    private final Sextant sextant;
    private final HelpCenter helpCenter;
    private final SupportAgent agent;

    /** What the bot answered, and the trace to attach feedback to. */
    public record Answer(String text, String traceId) {
    }

    /** Where the model lives: the sim by default, OpenAI when a key is given. */
    public record ModelConfig(String baseUrl, String apiKey, String modelName, String providerName) {
        /** {@code OPENAI_API_KEY} set: OpenAI's gpt-4o-mini; else the sim at {@code SIM_BASE_URL}. */
        public static ModelConfig fromEnv() {
            String openAi = System.getenv("OPENAI_API_KEY");
            if (openAi != null && !openAi.isBlank()) {
                return new ModelConfig("https://api.openai.com/v1", openAi,
                        envOr("OPENAI_MODEL", "gpt-4o-mini"), "openai");
            }
            return sim(envOr("SIM_BASE_URL", "http://127.0.0.1:7071/v1"));
        }

        public static ModelConfig sim(String baseUrl) {
            return new ModelConfig(baseUrl, "sim", "sim-1", "sim");
        }

        private static String envOr(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }
    }

    public SupportBot(Sextant sextant, ModelConfig model) {
        this.sextant = sextant;
        this.helpCenter = new HelpCenter();
        sextant.prompts().fallback(Prompt.fallback(PROMPT, List.of(Message.system(FALLBACK_INSTRUCTIONS)),
                Map.of("provider", model.providerName(), "name", model.modelName())));
        ChatModel chatModel = OpenAiChatModel.builder().httpClientBuilder(JdkHttpClient.builder())
                .baseUrl(model.baseUrl()).apiKey(model.apiKey()).modelName(model.modelName()).temperature(0.2)
                .listeners(List.of(new SextantChatModelListener(sextant, model.providerName()))).build();
        this.agent = AiServices.builder(SupportAgent.class).chatModel(chatModel).tools(new OrderTools())
                .registerListener(new SextantToolListener(sextant)).build();
    }

    public Answer answer(String question, String userId) {
        try (SextantSpan turn = sextant.trace("support question")) {
            turn.input(question);
            if (userId != null) {
                turn.userId(userId);
            }
            List<HelpCenter.Passage> passages;
            try (SextantSpan retrieval = sextant.span("search help center", SpanKind.RETRIEVAL)) {
                retrieval.input(question);
                passages = helpCenter.search(question, 2);
                retrieval.output(passages.stream().map(HelpCenter.Passage::title).toList());
            }
            Prompt prompt = sextant.prompts().get(PROMPT);
            String context = passages.stream().map(p -> "## " + p.title() + "\n" + p.text())
                    .collect(Collectors.joining("\n\n"));
            String instructions = prompt.render(Map.of("context", context, "question", question)).stream()
                    .filter(m -> m.role().equals("system")).map(Message::content).collect(Collectors.joining("\n\n"));
            try (Scope ignored = sextant.usingPrompt(prompt)) {
                String text = agent.answer(instructions, question);
                turn.output(text);
                return new Answer(text, turn.traceId());
            } catch (RuntimeException e) {
                turn.error(e);
                throw e;
            }
        }
    }
}
