package dev.sextant.server.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.demo.DemoData;
import dev.sextant.server.demo.DemoSeeders;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetsDemoSeederTest {

    @Test
    void theDemoHasASupportQuestionsDatasetWithTopicsAndAHistory() throws Exception {
        try (TestServer server = TestServer.start()) {
            DemoContext demo = new DemoData(DemoSeeders.all()).seed(server.services(), server.url());
            Http api = server.anonymous().withKey(demo.apiKey());

            JsonNode dataset = api.get("/api/datasets/support%20questions").json();
            assertThat(dataset.path("itemCount").asInt()).isGreaterThanOrEqualTo(20);
            assertThat(dataset.path("latestVersion").asInt()).isEqualTo(3);
            JsonNode items = api.get("/api/datasets/support%20questions/items?limit=100").json().path("data");
            Set<String> topics = new HashSet<>();
            items.forEach(item -> {
                assertThat(item.path("input").path("question").asText()).isNotBlank();
                assertThat(item.path("expectedOutput").asText()).isNotBlank();
                topics.add(item.path("metadata").path("topic").asText());
            });
            assertThat(topics).contains("billing", "account", "sync").hasSizeGreaterThanOrEqualTo(5);
        }
    }
}
