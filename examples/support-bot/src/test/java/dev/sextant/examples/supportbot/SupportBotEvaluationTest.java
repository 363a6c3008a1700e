package dev.sextant.examples.supportbot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.junit.Evaluation;
import dev.sextant.junit.SextantEvaluation;
import dev.sextant.junit.Threshold;
import dev.sextant.sdk.Sextant;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.config.SextantConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;

/**
 * The support bot's evaluation, run by {@code ./mvnw verify}: a real Sextant server in-process
 * (temporary SQLite, the built-in sim as the model, so it is deterministic and offline), seeded
 * with the bot's prompt, a dataset and evaluators; then one JUnit test per question.
 */
class SupportBotEvaluationTest {
    private static final String API_KEY = "sk-sx-supportbot000000000000000000000000000000";
    private static dev.sextant.server.Sextant server;
    private static Sextant sextant;
    private static SupportBot bot;

    @BeforeAll
    static void startSextantAndSeed() throws IOException, InterruptedException {
        Map<ConfigKey, String> config = new EnumMap<>(ConfigKey.class);
        config.put(ConfigKey.PORT, "0");
        config.put(ConfigKey.HOST, "127.0.0.1");
        config.put(ConfigKey.DATA_DIR, Files.createTempDirectory("support-bot-eval-").toString());
        config.put(ConfigKey.INIT_ADMIN_EMAIL, "admin@support-bot.local");
        config.put(ConfigKey.INIT_ADMIN_PASSWORD, "support-bot-admin-1");
        config.put(ConfigKey.INIT_PROJECT, "support bot");
        config.put(ConfigKey.INIT_API_KEY, API_KEY);
        server = dev.sextant.server.Sextant.start(SextantConfig.of(config));
        String url = "http://127.0.0.1:" + server.port();

        post(url, "/api/prompts", Map.of("name", SupportBot.PROMPT, "labels", List.of("production"),
                "commitMessage", "first version", "messages", List.of(Map.of("role", "system", "content",
                        "You are the support assistant of Nimbus Shop. Be brief and concrete; use these help-center "
                                + "passages when relevant, and call lookup_order for a specific order.\n\n{{context}}"))));
        post(url, "/api/datasets", Map.of("name", "support questions", "items", List.of(
                item("Can I return a jacket I bought last week?", "30 days"),
                item("I forgot my password, what do I do?", "Forgot password"),
                item("How long does delivery take?", "3-5 business days"),
                item("Where is my order #1042?", "DHL-7781"),
                item("How do I cancel my subscription?", "Subscription"))));
        // The expected output holds the key fact the answer must state.
        post(url, "/api/evaluators", Map.of("name", "states-the-key-fact", "kind", "code",
                "config", Map.of("cel", "output.contains(expected)")));
        post(url, "/api/evaluators", Map.of("name", "concise", "kind", "code",
                "config", Map.of("builtin", "length", "params", Map.of("max", 60, "unit", "words"))));
        // An LLM judge; the built-in sim plays the judge, so verdicts are deterministic.
        post(url, "/api/evaluators", Map.of("name", "answers-the-question", "kind", "llm",
                "config", Map.of("preset", "answers-question")));

        System.setProperty("sextant.url", url);
        System.setProperty("sextant.apiKey", API_KEY);
        sextant = Sextant.builder().url(url).apiKey(API_KEY).serviceName("support-bot").build();
        bot = new SupportBot(sextant, SupportBot.ModelConfig.sim(server.simBaseUrl()));
    }

    @AfterAll
    static void stop() {
        System.clearProperty("sextant.url");
        System.clearProperty("sextant.apiKey");
        if (sextant != null) {
            sextant.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @SextantEvaluation(dataset = "support questions",
            evaluators = {"states-the-key-fact", "concise", "answers-the-question"},
            threshold = @Threshold(evaluator = "answers-the-question", minPassRate = 0.8), concurrency = 2)
    Stream<DynamicNode> supportQuestions(Evaluation evaluation) {
        return evaluation.run(item -> bot.answer(item.input("question"), "eval").text());
    }

    @Test
    void anOrderQuestionIsAnsweredWithTheToolFullyTracedAndTakesFeedback() throws IOException, InterruptedException {
        SupportBot.Answer answer = bot.answer("Where is my order #1043?", "u-42");
        assertThat(answer.text()).contains("Order 1043 is being packed");
        sextant.flush();
        assertThat(sextant.feedback().vote(answer.traceId(), true).join()).isTrue();

        String trace = get("http://127.0.0.1:" + server.port(), "/api/traces/" + answer.traceId());
        assertThat(trace).contains("\"name\":\"support question\"", "\"kind\":\"retrieval\"", "\"kind\":\"llm\"",
                "\"kind\":\"tool\"", "lookup_order", "\"userId\":\"u-42\"",
                "\"promptName\":\"support-bot/answer\"", "\"promptVersion\":1");
        assertThat(get("http://127.0.0.1:" + server.port(), "/api/feedback?traceId=" + answer.traceId()))
                .contains("\"kind\":\"vote\"");
    }

    private static Map<String, Object> item(String question, String keyFact) {
        return Map.of("input", Map.of("question", question), "expectedOutput", keyFact);
    }

    private static void post(String url, String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(dev.sextant.server.http.Json.write(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isIn(200, 201);
    }

    private static String get(String url, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path))
                .header("Authorization", "Bearer " + API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }
}
