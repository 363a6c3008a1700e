package dev.sextant.server.review;

import static dev.sextant.server.review.ReviewFixtures.answers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.ApiKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CalibrationApiTest {

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theJudgeIsComparedWithReviewersOnTheSameTraces(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            ReviewFixtures.rubric(api);
            ReviewFixtures.judge(api);
            List<String> ids = ReviewFixtures.traces(api, 6);
            ReviewFixtures.queue(api, "calib", 1);
            api.post("/api/review/queues/calib/items", Map.of("ids", ids));
            // People: pass, pass, pass, fail, fail, fail. Judge: pass, pass, fail, pass, fail, fail.
            boolean[] human = {true, true, true, false, false, false};
            boolean[] judge = {true, true, false, true, false, false};
            for (int i = 0; i < 6; i++) {
                JsonNode next = api.post("/api/review/queues/calib/next", Map.of()).json();
                int n = ids.indexOf(next.path("item").path("targetId").asText());
                api.post("/api/review/queues/calib/items/" + next.path("item").path("id").asText() + "/review",
                        answers(human[n], 3));
            }
            for (int i = 0; i < 6; i++) {
                Http.Response r = api.post("/api/scores", Map.of("targetType", "trace", "targetId", ids.get(i),
                        "name", ReviewFixtures.JUDGE, "value", judge[i], "source", "llm", "reason", "judge " + i));
                assertThat(r.status()).as(r.body()).isEqualTo(201);
            }
            // A trace only the judge saw does not count.
            api.post("/api/scores", Map.of("targetType", "trace", "targetId", "f".repeat(32), "name",
                    ReviewFixtures.JUDGE, "value", true, "source", "llm"));

            JsonNode c = api.get("/api/evaluators/" + ReviewFixtures.JUDGE + "/calibration").json();
            assertThat(c.path("pairs").asInt()).isEqualTo(6);
            assertThat(c.path("humanEvaluators").get(0).asText()).isEqualTo(ReviewFixtures.RUBRIC);
            assertThat(c.path("confusionMatrix").path("truePositives").asInt()).isEqualTo(2);
            assertThat(c.path("confusionMatrix").path("falseNegatives").asInt()).isEqualTo(1);
            assertThat(c.path("confusionMatrix").path("falsePositives").asInt()).isEqualTo(1);
            assertThat(c.path("confusionMatrix").path("trueNegatives").asInt()).isEqualTo(2);
            assertThat(c.path("agreementRate").asDouble()).isCloseTo(4.0 / 6, within(1e-9));
            // p_o = 2/3, p_e = 1/2: kappa = 1/3.
            assertThat(c.path("kappa").asDouble()).isCloseTo(1.0 / 3, within(1e-9));
            assertThat(c.path("truePositiveRate").asDouble()).isCloseTo(2.0 / 3, within(1e-9));
            assertThat(c.path("trueNegativeRate").asDouble()).isCloseTo(2.0 / 3, within(1e-9));
            assertThat(c.path("disagreements")).hasSize(2);
            assertThat(c.path("disagreements").get(0).path("traceId").asText()).isEqualTo(ids.get(2));
            assertThat(c.path("disagreements").get(0).path("humanPassed").asBoolean()).isTrue();
            assertThat(c.path("disagreements").get(0).path("judgeReason").asText()).isEqualTo("judge 2");

            // A later judge verdict replaces the earlier one; a split human vote is left out.
            api.post("/api/scores", Map.of("targetType", "trace", "targetId", ids.get(2), "name",
                    ReviewFixtures.JUDGE, "value", true, "source", "llm"));
            Http other = server.api().withKey(server.newKey(server.project(), ApiKey.Kind.SECRET));
            other.post("/api/scores", Map.of("targetType", "trace", "targetId", ids.get(3), "name",
                    ReviewFixtures.JUDGE, "value", true, "source", "human"));
            JsonNode after = api.get("/api/evaluators/" + ReviewFixtures.JUDGE + "/calibration").json();
            assertThat(after.path("pairs").asInt()).isEqualTo(5);
            assertThat(after.path("ties").asInt()).isEqualTo(1);
            assertThat(after.path("agreementRate").asDouble()).isEqualTo(1.0);
            assertThat(after.path("disagreements")).isEmpty();
        }
    }
}
