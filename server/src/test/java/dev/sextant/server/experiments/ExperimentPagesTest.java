package dev.sextant.server.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.auth.Role;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentPagesTest {
    private static final String FORM = "application/x-www-form-urlencoded";

    @Test
    void aRejectedFormIsShownAgainWithTheReasonAndAGoodOneRedirectsToTheExperiment() {
        try (TestServer server = TestServer.start(Dialect.SQLITE, ExperimentFixtures.simWithLatency(5))) {
            ExperimentFixtures.seed(server.api());
            WebSession admin = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            String base = "/p/" + server.project().slug() + "/experiments";
            Http.Response rejected = admin.http().send("POST", base + "/new", FORM, WebSession.form(Map.of(
                    "name", "typo", "dataset", "faq", "prompt0", "answer", "selector0", "no-such-label",
                    "evaluator", "short", "repetitions", "1", "concurrency", "4")));
            assertThat(rejected.status()).isEqualTo(422);
            assertThat(rejected.body()).contains("no-such-label", "value=\"typo\"");

            Http.Response saved = admin.http().send("POST", base + "/new", FORM, WebSession.form(Map.of(
                    "name", "<b>bold</b>", "dataset", "faq", "prompt0", "answer", "selector0", "production",
                    "evaluator", "short", "repetitions", "1", "concurrency", "4")));
            assertThat(saved.status()).isEqualTo(302);
            String location = saved.header("Location");
            assertThat(location).startsWith(base + "/");
            Http.Response page = admin.http().get(location);
            assertThat(page.body()).contains("&lt;b&gt;bold&lt;/b&gt;").doesNotContain("<b>bold</b>");
            assertThat(admin.http().get(base).body()).contains("&lt;b&gt;bold&lt;/b&gt;");
            assertThat(admin.http().get(location + "/progress").body()).contains("xp-live");
        }
    }

    @Test
    void viewersSeeExperimentsButNotTheFormAndOtherProjectsGetNotFound() {
        try (TestServer server = TestServer.start(Dialect.SQLITE, ExperimentFixtures.simWithLatency(5))) {
            ExperimentFixtures.seed(server.api());
            String id = ExperimentFixtures.start(server.api(), Map.of("dataset", "faq",
                    "targets", List.of(ExperimentFixtures.promptTarget("production", null))))
                    .path("experiment").path("id").asText();
            server.member(server.project(), Role.VIEWER, "viewer@test.local");
            WebSession viewer = WebSession.login(server.url(), "viewer@test.local", "password-viewer");
            String base = "/p/" + server.project().slug() + "/experiments";
            assertThat(viewer.http().get(base).status()).isEqualTo(200);
            assertThat(viewer.http().get(base).body()).doesNotContain("New experiment</a>");
            assertThat(viewer.http().get(base + "/" + id).status()).isEqualTo(200);
            assertThat(viewer.http().get(base + "/new").status()).isEqualTo(403);

            var other = server.newProject("Other");
            assertThat(WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD).http()
                    .get("/p/" + other.slug() + "/experiments/" + id).status()).isEqualTo(404);
        }
    }
}
