package dev.sextant.server.evaluators;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LLM judges end to end: the real gateway and langchain4j client against the built-in sim script. */
class JudgeThroughSimTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode judge(String output) {
        return server.api().post("/api/evaluators/try", Map.of(
                "evaluator", Map.of("name", "answers", "kind", "llm", "config", Map.of("preset", "answers-question")),
                "example", Map.of("input", Map.of("question", "How do I reset my password?"), "output", output)))
                .json();
    }

    @Test
    void aSpecificAnswerPassesWithTheJudgesReasoning() {
        JsonNode judgment = judge("Click \"Forgot password\" on the sign-in page and follow the e-mailed link.");
        assertThat(judgment.path("error").asBoolean()).as(judgment.toString()).isFalse();
        assertThat(judgment.path("passed").asBoolean()).isTrue();
        assertThat(judgment.path("reason").asText()).contains("addresses the question");
    }

    @Test
    void anEvasiveAnswerFails() {
        JsonNode judgment = judge("Thanks for reaching out! Could you tell me a bit more?");
        assertThat(judgment.path("error").asBoolean()).as(judgment.toString()).isFalse();
        assertThat(judgment.path("passed").asBoolean()).isFalse();
        assertThat(judgment.path("reason").asText()).contains("does not address");
    }
}
