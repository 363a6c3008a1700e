package dev.sextant.server.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.auth.Role;
import dev.sextant.server.projects.Project;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PromptPagesTest {
    private static TestServer server;
    private static WebSession expert;
    private static String base;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        Project project = server.project();
        server.member(project, Role.EXPERT, "expert@pages.test");
        expert = WebSession.login(server.url(), "expert@pages.test", "password-expert");
        base = "/p/" + project.slug() + "/prompts";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Response save(Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("_csrf", expert.csrf(), "type", "chat",
                "provider", "sim", "modelName", "sim-1", "temperature", "0.2"));
        form.putAll(fields);
        return expert.withoutCsrf().send("POST", base + "/_save", "application/x-www-form-urlencoded",
                WebSession.form(form));
    }

    @Test
    void theEditorSavesAVersionFromPlainFormFields() {
        Http.Response saved = save(Map.of("isNew", "true", "name", "pages/new", "role", "user",
                "content", "Hello {{name}}\r\nsecond line", "commitMessage", "from the form"));
        assertThat(saved.status()).as(saved.body()).isEqualTo(302);
        assertThat(saved.header("Location")).isEqualTo(base + "/pages/new?saved=1&created=true");
        var version = server.api().get("/api/prompts/pages/new").json();
        assertThat(version.path("messages").get(0).path("content").asText()).isEqualTo("Hello {{name}}\nsecond line");
        assertThat(version.path("author").asText()).isEqualTo("expert@pages.test");
        assertThat(expert.http().get(base + "/pages/new?saved=1&created=true").body()).contains("Saved as version 1.");
    }

    @Test
    void mistakesComeBackInTheEditorWithTheTypedContentKept() {
        Http.Response invalid = save(Map.of("isNew", "true", "name", "pages/broken", "role", "user",
                "content", "{{#open}} typed text"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body()).contains("invalid template").contains("{{#open}} typed text");

        Http.Response badNumber = save(Map.of("isNew", "true", "name", "pages/number", "role", "user",
                "content", "x", "maxTokens", "lots"));
        assertThat(badNumber.status()).isEqualTo(422);
        assertThat(badNumber.body()).contains("Max tokens must be a whole number");

        Http.Response badJson = save(Map.of("isNew", "true", "name", "pages/json", "role", "user",
                "content", "x", "tools", "[{not json"));
        assertThat(badJson.status()).isEqualTo(422);
        assertThat(badJson.body()).contains("Tools is not valid JSON");

        server.api().post("/api/prompts", Map.of("name", "pages/taken", "text", "x"));
        Http.Response taken = save(Map.of("isNew", "true", "name", "pages/taken", "role", "user", "content", "y"));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.body()).contains("already exists");
    }

    @Test
    void anExpertCannotDeployProductionFromThePageEither() {
        server.api().post("/api/prompts", Map.of("name", "pages/deploy", "text", "x"));
        Http.Response denied = expert.withoutCsrf().send("POST", base + "/pages/deploy/deploy",
                "application/x-www-form-urlencoded", WebSession.form(Map.of("_csrf", expert.csrf(),
                        "label", "production", "version", "1")));
        assertThat(denied.status()).isEqualTo(403);
        Http.Response staging = expert.withoutCsrf().send("POST", base + "/pages/deploy/deploy",
                "application/x-www-form-urlencoded", WebSession.form(Map.of("_csrf", expert.csrf(),
                        "label", "staging", "version", "1")));
        assertThat(staging.status()).isEqualTo(302);
        assertThat(server.api().get("/api/prompts/pages/deploy?label=staging").status()).isEqualTo(200);
        assertThat(expert.http().get(base + "/pages/deploy").body()).contains("engineers deploy");
    }

    @Test
    void listAndPagesEscapePromptTextAndHandleUnknownNames() {
        server.api().post("/api/prompts", Map.of("name", "pages/xss", "text", "<script>alert(1)</script>",
                "commitMessage", "<img src=x onerror=alert(1)>"));
        String list = expert.http().get(base + "?q=xss").body();
        assertThat(list).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img src=x");
        String page = expert.http().get(base + "/pages/xss").body();
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
        assertThat(expert.http().get(base + "/pages/unknown").status()).isEqualTo(404);
        assertThat(expert.http().get(base + "/pages/xss?version=oops").status()).isEqualTo(400);
        assertThat(expert.http().get(base + "?q=nothing-matches").body()).contains("No prompt name contains");
    }
}
