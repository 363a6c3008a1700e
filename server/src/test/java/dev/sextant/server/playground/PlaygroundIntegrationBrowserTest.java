package dev.sextant.server.playground;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaygroundIntegrationBrowserTest {

    @Test
    void aLoggedSpanAndAnAgentRunOpenInThePlaygroundFromTheTracePage() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            PlaygroundFromTracesTest.ingestAgentRun(server.api());
            String trace = "/p/" + server.project().slug() + "/traces/" + PlaygroundFromTracesTest.TRACE;
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD,
                    trace + "?span=a9e4700000000004");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open in playground")).click();
            assertThat(page.locator("#pg-recorded-text")).containsText("Your order A1 was delivered.");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run")).click();
            assertThat(page.locator("[data-variant=A] .pg-output")).containsText("delivered");
            assertThat(page.locator("[data-variant=A] .pg-diff")).isVisible();
            Browser.screenshot(page, "playground-from-span");

            page.navigate(server.url() + trace);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Replay agent run in playground")).click();
            assertThat(page.locator("#pg-agent")).isVisible();
            assertThat(page.locator("#pg-agent-step option")).hasCount(2);
        }
    }

    @Test
    void aPromptVersionOpensInThePlaygroundAndAVariantIsSavedAsItsNextVersion() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            Http api = server.api();
            assertThat(api.post("/api/prompts", Map.of("name", "support/answer", "messages", List.of(
                    Map.of("role", "system", "content", "You help with {{product}}."),
                    Map.of("role", "user", "content", "{{question}}")),
                    "model", Map.of("provider", "sim", "name", "sim-1", "temperature", 0.2))).status()).isEqualTo(201);
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD,
                    "/p/" + server.project().slug() + "/prompts/support/answer");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open in playground")).click();
            assertThat(page.getByLabel("Message 1")).hasValue("You help with {{product}}.");
            page.getByLabel("Value of product").fill("Acme");
            page.getByLabel("Value of question").fill("I want a refund for order 77");
            page.getByLabel("Message 1").fill("You help with {{product}}. Be brief.");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run")).click();
            assertThat(page.locator("[data-variant=A] .pg-output")).containsText("order 77");

            page.getByLabel("Save variant A as a prompt version").click();
            assertThat(page.getByLabel("Prompt name for variant A")).hasValue("support/answer");
            page.getByLabel("Commit message for variant A").fill("be brief");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save version")).click();
            Locator saved = page.locator(".pg-save [role=status]");
            assertThat(saved).containsText("Saved as support/answer v2");
            Browser.screenshot(page, "playground-saved-prompt-version");
            assertThat(api.get("/api/prompts/support/answer?version=2").json().path("messages").get(0).path("content")
                    .asText()).isEqualTo("You help with {{product}}. Be brief.");
        }
    }
}
