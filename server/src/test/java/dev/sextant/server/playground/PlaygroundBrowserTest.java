package dev.sextant.server.playground;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.sextant.server.auth.Role;
import dev.sextant.server.http.Json;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class PlaygroundBrowserTest {

    @Test
    void anExpertRunsTwoVariantsSideBySideWithStreamedOutputTokensCostAndLatency() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            server.member(server.project(), Role.EXPERT, "expert@test.local");
            Page page = browser.login(server.url(), "expert@test.local", "password-expert",
                    "/p/" + server.project().slug() + "/playground");

            page.getByLabel("Message 1").fill("You are a friendly support assistant for {{product}}.");
            page.getByLabel("Message 2").fill("{{question}}");
            assertThat(page.locator(".pg-preview mark.pg-var")).hasCount(2);
            page.getByLabel("Value of product").fill("Acme Store");
            page.getByLabel("Value of question").fill("I want a refund for order 1234");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add variant")).click();
            page.getByLabel("Model of variant B").fill("sim-2");
            page.getByLabel("temperature of variant B").fill("0.7");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run")).click();

            for (String variant : List.of("A", "B")) {
                Locator column = page.locator("[data-variant=" + variant + "]");
                assertThat(column.locator(".pg-output")).containsText("order 1234");
                assertThat(column.locator(".pg-stats")).containsText("tokens");
                assertThat(column.locator(".pg-stats")).containsText("$");
                assertThat(column.locator(".pg-stats")).containsText(" ms");
            }
            Browser.screenshot(page, "playground-two-variants");
        }
    }

    @Test
    void openingALoggedCallWithItsRecordedOutputShowsADiffAfterRerunning() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            String state = Json.write(Map.of("title", "replay of a logged call",
                    "messages", List.of(Map.of("role", "system", "content", "You are a support assistant."),
                            Map.of("role", "user", "content", "How do I reset my password?")),
                    "model", Map.of("provider", "sim", "name", "sim-1", "temperature", 0.2),
                    "recordedOutput", "To reset your password, call our hotline between 9 and 5."));
            String path = "/p/" + server.project().slug() + "/playground";
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD, path);
            page.navigate(server.url() + path + "?state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
            assertThat(page.locator("#pg-recorded-text")).containsText("call our hotline");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run")).click();
            Locator diff = page.locator("[data-variant=A] .pg-diff");
            assertThat(diff.locator("del").first()).isVisible();
            assertThat(diff.locator("ins").first()).isVisible();
            Browser.screenshot(page, "playground-replay-diff");
        }
    }

    @Test
    void anAgentStepIsReplayedWithRecordedToolResultsAndAnUnmatchedCallIsShownUnresolved() {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            String path = "/p/" + server.project().slug() + "/playground";
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD, path);

            page.navigate(server.url() + path + "?state=" + URLEncoder.encode(agentState("1042"), StandardCharsets.UTF_8));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Replay step")).click();
            assertThat(page.locator("#pg-agent-stop")).containsText("final answer");
            assertThat(page.locator(".pg-tool.resolved")).containsText("lookup_order");
            assertThat(page.locator(".pg-agent-steps")).containsText("shipped");
            Browser.screenshot(page, "playground-agent-replay");

            page.navigate(server.url() + path + "?state=" + URLEncoder.encode(agentState("9999"), StandardCharsets.UTF_8));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Replay step")).click();
            assertThat(page.locator("#pg-agent-stop")).containsText("no recorded result");
            assertThat(page.locator(".pg-tool.unresolved")).containsText("not answered");
            Browser.screenshot(page, "playground-agent-replay-unresolved");

            // The replay's own trace: the agent root, its model call, and the unanswered tool call as an error.
            String href = page.locator("#pg-agent-trace").getAttribute("href");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.api()
                    .get("/api/traces/" + href.substring(href.lastIndexOf('/') + 1)).status() == 200);
            page.locator("#pg-agent-trace").click();
            assertThat(page.locator("main")).containsText("agent replay");
            assertThat(page.locator("main")).containsText("execute_tool lookup_order");
            Browser.screenshot(page, "playground-agent-replay-trace");
        }
    }

    /** A recorded run whose tool result is for {@code recordedOrder}; the replayed call asks for order 1042. */
    private static String agentState(String recordedOrder) {
        Map<String, Object> tool = Map.of("name", "lookup_order", "description", "Find an order by id",
                "parameters", Map.of("type", "object", "properties", Map.of("orderId", Map.of("type", "string"))));
        Map<String, Object> model = Map.of("provider", "sim", "name", "sim-1");
        List<Map<String, Object>> history = List.of(Map.of("role", "system", "content", "You are a support agent."),
                Map.of("role", "user", "content", "Where is my order 1042?"));
        Map<String, Object> step = Map.of("messages", history, "tools", List.of(tool), "model", model,
                "toolCalls", List.of(Map.of("id", "c1", "name", "lookup_order", "arguments", "{\"orderId\":\"1042\"}")));
        Map<String, Object> run = Map.of("steps", List.of(step), "toolResults", List.of(Map.of("name", "lookup_order",
                "arguments", "{\"orderId\": \"" + recordedOrder + "\"}", "result", "{\"status\":\"shipped\"}")));
        return Json.write(Map.of("title", "agent trace", "messages", history, "model", model, "agentRun", run));
    }
}
