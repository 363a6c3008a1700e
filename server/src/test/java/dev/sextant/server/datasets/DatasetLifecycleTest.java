package dev.sextant.server.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.auth.Role;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.experiments.ExperimentFixtures;
import dev.sextant.server.projects.Project;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Renaming and deleting datasets, through the API and the dataset's settings page. */
class DatasetLifecycleTest {

    private static Map<String, Object> item(String question) {
        return Map.of("input", Map.of("question", question), "expectedOutput", "an answer");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aRenamedDatasetKeepsItsItemsAndVersionsAndADeletedOneIsGoneWithThem(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            api.post("/api/datasets", Map.of("name", "refunds", "items", List.of(item("Refund?"))));
            api.post("/api/datasets", Map.of("name", "shipping"));
            api.post("/api/datasets/refunds/items", Map.of("items", List.of(item("Refund after 30 days?"))));

            Http.Response renamed = api.patch("/api/datasets/refunds",
                    Map.of("name", "refund questions", "description", "Asked in chat"));
            assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
            assertThat(renamed.json().path("name").asText()).isEqualTo("refund questions");
            assertThat(api.get("/api/datasets/refunds").status()).isEqualTo(404);
            Http.Response dataset = api.get("/api/datasets/refund%20questions");
            assertThat(dataset.json().path("description").asText()).isEqualTo("Asked in chat");
            assertThat(dataset.json().path("latestVersion").asInt()).isEqualTo(2);
            assertThat(api.get("/api/datasets/refund%20questions/items?version=1").json().path("data")).hasSize(1);

            Http.Response described = api.patch("/api/datasets/refund%20questions", Map.of("description", "  "));
            assertThat(described.json().path("name").asText()).as("a missing name is kept").isEqualTo("refund questions");
            assertThat(described.json().path("description").asText()).isEmpty();
            assertThat(api.patch("/api/datasets/refund%20questions", Map.of("name", "shipping")).status())
                    .isEqualTo(409);
            assertThat(api.patch("/api/datasets/refund%20questions", Map.of("name", "  ")).status()).isEqualTo(422);
            assertThat(api.patch("/api/datasets/nope", Map.of("name", "x")).status()).isEqualTo(404);

            assertThat(api.delete("/api/datasets/refund%20questions").status()).isEqualTo(204);
            assertThat(api.get("/api/datasets/refund%20questions").status()).isEqualTo(404);
            assertThat(api.delete("/api/datasets/refund%20questions").status()).isEqualTo(404);
            assertThat(api.get("/api/datasets").json().path("data").findValuesAsText("name")).containsExactly("shipping");
            // The name is free again, and the new dataset starts at version 1 with no items.
            Http.Response again = api.post("/api/datasets", Map.of("name", "refund questions"));
            assertThat(again.status()).isEqualTo(201);
            assertThat(api.get("/api/datasets/refund%20questions/items").json().path("data")).isEmpty();
            int audited = server.services().database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM audit_log WHERE action IN ('dataset.update', 'dataset.remove')")
                    .mapTo(Integer.class).one());
            assertThat(audited).isEqualTo(3);
        }
    }

    @Test
    void experimentsFollowARenameAndKeepTheirDatasetFromBeingDeleted() {
        try (TestServer server = ExperimentFixtures.seededServer(1)) {
            Http api = server.api();
            String id = ExperimentFixtures.completed(api);

            assertThat(api.patch("/api/datasets/faq", Map.of("name", "support faq")).status()).isEqualTo(200);
            assertThat(api.get("/api/experiments/" + id).json().path("experiment").path("datasetName").asText())
                    .isEqualTo("support faq");

            Http.Response refused = api.delete("/api/datasets/support%20faq");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body()).contains("used by 1 experiment");
            assertThat(api.get("/api/datasets/support%20faq").status()).isEqualTo(200);
        }
    }

    @Test
    void theSettingsPageRenamesAndDeletesAndViewersCannotOpenIt() {
        try (TestServer server = TestServer.start()) {
            Project project = server.project();
            server.api().post("/api/datasets", Map.of("name", "faq", "items", List.of(item("Hours?"))));
            WebSession admin = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            String base = "/p/" + project.slug() + "/datasets";

            Http.Response page = admin.http().get(base + "/faq/settings");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("id=\"dataset-settings\"").contains("Delete dataset");
            Http.Response saved = admin.http().send("POST", base + "/faq/settings", "application/x-www-form-urlencoded",
                    WebSession.form(Map.of("name", "hours <b>", "description", "d", "_csrf", admin.csrf())));
            assertThat(saved.status()).as("an invalid name stays on the page with the reason").isEqualTo(422);
            assertThat(saved.body()).contains("name must be").doesNotContain("hours <b>");
            saved = admin.http().send("POST", base + "/faq/settings", "application/x-www-form-urlencoded",
                    WebSession.form(Map.of("name", "opening hours", "description", "When we are open",
                            "_csrf", admin.csrf())));
            assertThat(saved.status()).isEqualTo(302);
            assertThat(saved.header("Location")).isEqualTo(base + "/opening%20hours?notice=Saved");

            server.member(project, Role.VIEWER, "viewer@test.local");
            WebSession viewer = WebSession.login(server.url(), "viewer@test.local", "password-viewer");
            assertThat(viewer.http().get(base + "/opening%20hours/settings").status()).isEqualTo(403);
            assertThat(viewer.http().get(base + "/opening%20hours").body()).doesNotContain("opening%20hours/settings");

            Http.Response deleted = admin.http().send("POST", base + "/opening%20hours/delete",
                    "application/x-www-form-urlencoded", WebSession.form(Map.of("_csrf", admin.csrf())));
            assertThat(deleted.status()).isEqualTo(302);
            assertThat(admin.http().get(deleted.header("Location")).body()).contains("Deleted dataset opening hours");
            assertThat(server.api().get("/api/datasets/opening%20hours").status()).isEqualTo(404);
        }
    }
}
