package dev.sextant.server.comments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.experiments.ExperimentFixtures;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentItemCommentsTest {

    @Test
    void expertsDiscussAnExperimentItemAndTheDiscussionLinksBackToItsRow() {
        try (TestServer server = ExperimentFixtures.seededServer(5)) {
            Http api = server.api();
            String id = ExperimentFixtures.completed(api);
            JsonNode run = ExperimentFixtures.firstRun(api, id);
            String itemRow = ExperimentFixtures.firstItem(api, id);

            Http.Response posted = api.post("/api/comments", Map.of("targetType", "experiment_item",
                    "targetId", itemRow, "body", "This answer invents a **refund window**."));
            assertThat(posted.status()).as(posted.body()).isEqualTo(201);
            assertThat(api.post("/api/comments", Map.of("targetType", "experiment_item",
                    "targetId", "no-such-item", "body", "x")).status()).isEqualTo(404);

            Http.Response thread = api.get("/api/comments?targetType=experiment_item&targetId=" + itemRow);
            assertThat(thread.json().path("data").findValuesAsText("body"))
                    .containsExactly("This answer invents a **refund window**.");
            String slug = server.project().slug();
            Http.Response fragment = new Http(server.url()).withKey(TestServer.API_KEY)
                    .get("/p/" + slug + "/comments?targetType=experiment_item&targetId=" + itemRow);
            assertThat(fragment.body()).contains("<strong>refund window</strong>");
            assertThat(server.services().comments().targets().link("experiment_item", slug, itemRow))
                    .isEqualTo("/p/" + slug + "/experiments/" + id + "/runs/" + run.path("id").asText()
                            + "#item-" + itemRow);
        }
    }
}
