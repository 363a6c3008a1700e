package dev.sextant.server.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.demo.DemoData;
import dev.sextant.server.demo.DemoSeeders;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import org.junit.jupiter.api.Test;

class ExperimentsDemoSeederTest {

    @Test
    void theDemoExperimentShowsTheGroundedPromptAnsweringBetterThanProduction() throws Exception {
        try (TestServer server = TestServer.start()) {
            DemoContext demo = new DemoData(DemoSeeders.all()).seed(server.services(), server.url());
            Http api = server.anonymous().withKey(demo.apiKey());
            String id = api.get("/api/experiments").json().path("data").get(0).path("id").asText();
            JsonNode detail = ExperimentFixtures.awaitStatus(api, id, "completed");
            JsonNode runs = detail.path("experiment").path("runs");
            assertThat(runs.get(0).path("label").asText()).startsWith("support/answer@v2");
            assertThat(runs.get(1).path("label").asText()).startsWith("support/answer@v3");
            JsonNode deltas = api.get("/api/experiments/compare?runs=" + runs.get(0).path("id").asText() + ","
                    + runs.get(1).path("id").asText()).json().path("comparison").path("deltas");
            JsonNode answers = deltas.get(0);
            assertThat(answers.path("criterion").asText()).isEqualTo("answers-the-question");
            assertThat(answers.path("verdict").asText()).isEqualTo("better");
            assertThat(answers.path("pairedItems").asInt()).isGreaterThanOrEqualTo(20);
        }
    }
}
