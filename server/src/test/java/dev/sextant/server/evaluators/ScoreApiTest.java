package dev.sextant.server.evaluators;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScoreApiTest {

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void externalScoresAreStoredAndListedPerTarget(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            Http.Response created = api.post("/api/scores", Map.of("targetType", "trace", "targetId", "t-1",
                    "name", "helpfulness", "value", 0.8, "passed", true, "reason", "clear answer", "cost", 0.002));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().path("source").asText()).isEqualTo("api");
            assertThat(created.json().path("author").asText()).startsWith("key ");
            api.post("/api/scores", Map.of("targetType", "trace", "targetId", "t-1", "name", "tone",
                    "value", "friendly", "source", "human"));
            api.post("/api/scores", Map.of("targetType", "span", "targetId", "t-1", "name", "tone", "value", false));

            JsonNode scores = api.get("/api/scores?targetType=trace&targetId=t-1").json().path("data");
            assertThat(scores).hasSize(2);
            assertThat(scores.get(0).path("value").asDouble()).isEqualTo(0.8);
            assertThat(scores.get(0).path("passed").asBoolean()).isTrue();
            assertThat(scores.get(0).path("cost").asDouble()).isEqualTo(0.002);
            assertThat(scores.get(1).path("value").asText()).isEqualTo("friendly");
            assertThat(scores.get(1).path("source").asText()).isEqualTo("human");
            assertThat(scores.get(1).has("passed")).isFalse();
            assertThat(api.get("/api/scores?targetType=span&targetId=t-1&name=tone").json().path("data").get(0)
                    .path("value").asBoolean()).isFalse();
        }
    }

    @Test
    void aScoreForASavedEvaluatorIsCheckedAndPassedByItsRule() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            api.post("/api/evaluators", Map.of("name", "similar", "kind", "code",
                    "config", Map.of("builtin", "rouge-l", "params", Map.of("threshold", 0.6))));
            Http.Response low = api.post("/api/scores", Map.of("targetType", "experiment_item", "targetId", "i-1",
                    "name", "similar", "value", 0.4));
            assertThat(low.json().path("passed").asBoolean()).isFalse();
            assertThat(low.json().path("evaluatorVersion").asInt()).isEqualTo(1);
            assertThat(api.post("/api/scores", Map.of("targetType", "experiment_item", "targetId", "i-1",
                    "name", "similar", "value", 0.9)).json().path("passed").asBoolean()).isTrue();
            Http.Response wrongType = api.post("/api/scores", Map.of("targetType", "experiment_item",
                    "targetId", "i-1", "name", "similar", "value", "great"));
            assertThat(wrongType.status()).isEqualTo(422);
            assertThat(api.post("/api/scores", Map.of("targetType", "trace", "targetId", "t",
                    "name", "similar", "version", 9, "value", 0.5)).status()).isEqualTo(422);
        }
    }

    @Test
    void badScoresAreRejected() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            Map<String, Object> base = new HashMap<>(Map.of("targetType", "trace", "targetId", "t", "name", "n",
                    "value", true));
            assertThat(api.post("/api/scores", with(base, "targetType", "session")).status()).isEqualTo(400);
            assertThat(api.post("/api/scores", with(base, "value", List.of(1))).status()).isEqualTo(422);
            assertThat(api.post("/api/scores", with(base, "source", "oracle")).status()).isEqualTo(422);
            assertThat(api.post("/api/scores", with(base, "cost", -1)).status()).isEqualTo(422);
            assertThat(api.post("/api/scores", with(base, "targetId", "")).status()).isEqualTo(422);
            assertThat(api.post("/api/scores", with(base, "reason", "x".repeat(20_001))).status()).isEqualTo(422);
            Map<String, Object> noValue = new HashMap<>(base);
            noValue.remove("value");
            assertThat(api.post("/api/scores", noValue).status()).isEqualTo(422);
            assertThat(api.get("/api/scores").status()).isEqualTo(400);
            assertThat(api.get("/api/scores?targetType=x&targetId=y").status()).isEqualTo(400);
        }
    }

    @Test
    void theScoreServiceRecordsEvaluatorJudgments() {
        try (TestServer server = TestServer.start()) {
            var services = server.sextant().services();
            String project = server.project().id();
            var principal = dev.sextant.server.auth.Principal.ofUser(null);
            Evaluator evaluator = services.evaluators().save(project, new EvaluatorDefinition("short", null,
                    EvaluatorKind.CODE, null, null, null, dev.sextant.server.http.Json.read(
                            "{\"builtin\": \"length\", \"params\": {\"max\": 10}}", JsonNode.class)), principal).evaluator();
            Judgment judgment = services.evaluators().run(project, evaluator, EvalInput.ofOutput("far too long an answer"));
            Score score = services.scores().recordJudgment(project, TargetType.SPAN, "s-1", evaluator, judgment, "online");
            assertThat(score.passed()).isFalse();
            assertThat(score.source()).isEqualTo(ScoreSource.CODE);
            assertThat(services.scores().forTarget(project, TargetType.SPAN, "s-1", null)).singleElement()
                    .satisfies(s -> assertThat(s.reason()).contains("outside"));
        }
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
