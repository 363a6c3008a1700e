package dev.sextant.server.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.demo.DemoData;
import dev.sextant.server.demo.DemoSeeders;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import org.junit.jupiter.api.Test;

class ReviewDemoSeederTest {

    @Test
    void theDemoHasAHalfReviewedQueueAndAJudgeWithCalibrationNumbers() throws Exception {
        try (TestServer server = TestServer.start()) {
            DemoContext demo = new DemoData(DemoSeeders.all()).seed(server.services(), server.url());
            Http api = server.anonymous().withKey(demo.apiKey());

            JsonNode queue = api.get("/api/review/queues/" + ReviewDemoSeeder.QUEUE).json();
            assertThat(queue.path("progress").path("items").asInt()).isEqualTo(12);
            assertThat(queue.path("progress").path("done").asInt()).isEqualTo(8);

            JsonNode calibration = api.get("/api/evaluators/" + ReviewDemoSeeder.JUDGE + "/calibration").json();
            assertThat(calibration.path("pairs").asInt()).as(calibration.toString()).isEqualTo(8);
            assertThat(calibration.path("agreementRate").isNumber()).isTrue();
            assertThat(calibration.path("disagreements")).isNotEmpty();
        }
    }
}
