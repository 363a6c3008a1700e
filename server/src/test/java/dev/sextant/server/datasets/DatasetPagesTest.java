package dev.sextant.server.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.auth.Role;
import dev.sextant.server.projects.Project;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetPagesTest {

    @Test
    void viewersSeeItemsWithoutEditControlsAndCannotChangeThemThroughForms() {
        try (TestServer server = TestServer.start()) {
            Project project = server.project();
            server.api().post("/api/datasets", Map.of("name", "faq", "items", List.of(
                    Map.of("input", Map.of("question", "<script>alert(1)</script>"), "expectedOutput", "<b>bold</b>"))));
            String itemId = server.api().get("/api/datasets/faq/items").json().path("data").get(0).path("id").asText();
            server.member(project, Role.VIEWER, "viewer@test.local");
            WebSession viewer = WebSession.login(server.url(), "viewer@test.local", "password-viewer");
            String base = "/p/" + project.slug() + "/datasets/faq";

            Http.Response page = viewer.http().get(base);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)")
                    .contains("&lt;b&gt;bold&lt;/b&gt;");
            assertThat(page.body()).doesNotContain("Add an item").doesNotContain("Delete selected")
                    .doesNotContain("/edit\"");
            assertThat(viewer.http().get(base + "/history").status()).isEqualTo(200);

            Http.Response add = viewer.http().send("POST", base + "/items", "application/x-www-form-urlencoded",
                    WebSession.form(Map.of("inputJson", "{\"q\": \"x\"}", "_csrf", viewer.csrf())));
            assertThat(add.status()).isEqualTo(403);
            Http.Response edit = viewer.http().send("POST", base + "/items/" + itemId,
                    "application/x-www-form-urlencoded", WebSession.form(Map.of("expected", "changed")));
            assertThat(edit.status()).isEqualTo(403);
            assertThat(viewer.http().get(base + "/import").status()).isEqualTo(403);
            assertThat(server.api().get("/api/datasets/faq").json().path("latestVersion").asInt()).isEqualTo(1);
        }
    }

    @Test
    void anInlineEditKeepsTheItemIdAndReturnsTheRowWithTheNewVersion() {
        try (TestServer server = TestServer.start()) {
            Project project = server.project();
            server.api().post("/api/datasets", Map.of("name", "faq", "items", List.of(
                    Map.of("input", Map.of("question", "q", "limit", 3), "expectedOutput", "old"))));
            String itemId = server.api().get("/api/datasets/faq/items").json().path("data").get(0).path("id").asText();
            WebSession admin = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);

            Http.Response saved = admin.http().send("POST", "/p/" + project.slug() + "/datasets/faq/items/" + itemId,
                    "application/x-www-form-urlencoded",
                    WebSession.form(Map.of("var.question", "q2", "var.limit", "5", "expected", "new")));

            assertThat(saved.status()).isEqualTo(200);
            assertThat(saved.body()).contains("id=\"item-" + itemId + "\"").contains("new")
                    .contains("hx-swap-oob=\"true\"").contains("latest: v2");
            var item = server.api().get("/api/datasets/faq/items/" + itemId).json();
            assertThat(item.path("input").path("question").asText()).isEqualTo("q2");
            assertThat(item.path("input").path("limit").isInt()).as("numbers stay numbers").isTrue();
            assertThat(item.path("input").path("limit").asInt()).isEqualTo(5);
            assertThat(server.api().get("/api/datasets/faq/items/" + itemId + "?version=1").json()
                    .path("expectedOutput").asText()).isEqualTo("old");
        }
    }
}
