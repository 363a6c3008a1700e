package dev.sextant.server.prompts;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.sextant.server.auth.Role;
import dev.sextant.server.projects.Project;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptEditorBrowserTest {

    @Test
    void anExpertEditsAPromptAnEngineerDeploysItAndTheApiServesIt() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            Project project = server.project();
            server.member(project, Role.EXPERT, "expert@ui.test");
            server.member(project, Role.ENGINEER, "engineer@ui.test");
            server.api().post("/api/prompts", PromptApiTest.prompt("support/answer", "You help with {{product}}.", 0.2,
                    "first draft", "production"));
            server.api().post("/api/prompts", Map.of("name", "support/classify", "text", "Classify: {{ticket}}"));
            String base = "/p/" + project.slug() + "/prompts";

            Page expert = browser.login(server.url(), "expert@ui.test", "password-expert", base);
            assertThat(expert.locator(".prompt-folder h2")).hasText("support/");
            Browser.screenshot(expert, "prompts-list");
            expert.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("answer")).click();
            assertThat(expert.locator("h1")).containsText("support/answer");
            expert.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit as new version")).click();

            Locator messages = expert.getByLabel("Message", new Page.GetByLabelOptions().setExact(true));
            messages.first().fill("You help customers with {{product}}. Always ask for the order number.");
            expert.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("+ Add message")).click();
            Locator added = expert.locator("#messages .message-row").last();
            added.getByLabel("Role").selectOption("assistant");
            added.getByLabel("Message", new Locator.GetByLabelOptions().setExact(true)).fill("Order {{order_id}} noted.");
            assertThat(expert.locator("#variables")).hasText("product history question order_id");
            expert.getByLabel("Temperature").fill("0.5");
            expert.getByLabel("What changed?").fill("Ask for the order number");
            Browser.screenshot(expert, "prompt-editor");
            expert.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save new version")).click();

            assertThat(expert.locator("#notice")).hasText("Saved as version 2.");
            assertThat(expert.locator("#history")).containsText("Ask for the order number");
            assertThat(expert.locator("#history")).containsText("expert@ui.test");
            assertThat(expert.locator("#deploy")).containsText("engineers deploy");
            Browser.screenshot(expert, "prompt-saved-by-expert");

            Page engineer = browser.login(server.url(), "engineer@ui.test", "password-engineer", base + "/support/answer");
            Locator production = engineer.locator("#deploy tr", new Page.LocatorOptions().setHasText("production"));
            engineer.onDialog(dialog -> dialog.accept());
            production.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Deploy v2")).click();
            assertThat(engineer.locator("#notice")).hasText("Moved production to version 2.");
            assertThat(engineer.locator("#history tr", new Page.LocatorOptions().setHasText("v2")))
                    .containsText("production");
            Browser.screenshot(engineer, "prompt-deployed");

            engineer.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Compare versions")).click();
            assertThat(engineer.locator("#template-diff tr.insert").first()).containsText("Always ask for the order number");
            assertThat(engineer.locator("#config-diff")).containsText("model.temperature");
            Browser.screenshot(engineer, "prompt-diff");

            JsonNode served = server.api().get("/api/prompts/support/answer?label=production").json();
            assertThat(served.path("version").asInt()).isEqualTo(2);
            assertThat(served.path("author").asText()).isEqualTo("expert@ui.test");
            assertThat(served.path("model").path("temperature").asDouble()).isEqualTo(0.5);
            assertThat(served.path("messages")).extracting(m -> m.path("role").asText())
                    .isEqualTo(List.of("system", "placeholder", "user", "assistant"));
            assertThat(served.path("messages").get(0).path("content").asText())
                    .isEqualTo("You help customers with {{product}}. Always ask for the order number.");
        }
    }

    @Test
    void anExpertCreatesATextPromptFromTheEmptyList() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            Project project = server.project();
            server.member(project, Role.EXPERT, "writer@ui.test");
            Page page = browser.login(server.url(), "writer@ui.test", "password-expert",
                    "/p/" + project.slug() + "/prompts");
            assertThat(page.locator(".empty")).containsText("No prompts yet");
            Browser.screenshot(page, "prompts-empty");
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("create a prompt")).click();

            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("docs/summarize");
            page.getByLabel("Kind").selectOption("text");
            assertThat(page.locator("#chat-section")).isHidden();
            page.getByLabel("Text template").fill("Summarize for {{audience}}:\n{{#bullets}}- {{.}}\n{{/bullets}}{{document}}");
            assertThat(page.locator("#variables")).hasText("audience bullets document");
            page.getByLabel("What changed?").fill("First summary prompt");
            Browser.screenshot(page, "prompt-new-text");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save new version")).click();

            assertThat(page.locator("#notice")).hasText("Saved as version 1.");
            JsonNode served = server.api().get("/api/prompts/docs/summarize").json();
            assertThat(served.path("type").asText()).isEqualTo("text");
            assertThat(served.path("text").asText()).startsWith("Summarize for {{audience}}:\n");
            assertThat(served.path("model").path("provider").asText()).isEqualTo("sim");
        }
    }
}
