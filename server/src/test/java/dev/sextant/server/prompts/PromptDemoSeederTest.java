package dev.sextant.server.prompts;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.demo.DemoData;
import com.microsoft.playwright.Page;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptDemoSeederTest {

    @Test
    void theDemoHasAnswerVersionsOfRisingQualityOnProductionAndStagingAndAClassifier() throws Exception {
        try (TestServer server = TestServer.start()) {
            DemoContext demo = new DemoData(List.of(new PromptDemoSeeder())).seed(server.services(), server.url());
            Http api = server.anonymous().withKey(demo.apiKey());
            assertThat(api.get("/api/prompts/support/answer?label=production").json().path("version").asInt()).isEqualTo(2);
            JsonNode staging = api.get("/api/prompts/support/answer?label=staging").json();
            assertThat(staging.path("version").asInt()).isEqualTo(3);
            assertThat(staging.path("model").path("provider").asText()).isEqualTo("sim");
            assertThat(staging.path("model").path("name").asText()).isEqualTo("sim-1");
            assertThat(staging.path("variables")).extracting(JsonNode::asText)
                    .containsExactly("product", "articles", "history", "question");
            Http.Response rendered = api.post("/api/prompts/support/answer/render?label=staging", Map.of("variables",
                    Map.of("product", "Acme", "question", "Where is my parcel?", "history", List.of(),
                            "articles", List.of(Map.of("title", "Shipping", "body", "Parcels take 3 days.")))));
            assertThat(rendered.json().path("messages").get(0).path("content").asText())
                    .contains("## Shipping\nParcels take 3 days.");
            assertThat(api.get("/api/prompts/support/classify?label=production").json().path("model")
                    .path("responseFormat").path("type").asText()).isEqualTo("json_schema");

            try (Browser browser = Browser.launch()) {
                Page page = browser.login(server.url(), DemoData.EMAIL, DemoData.PASSWORD,
                        "/p/" + demo.project().slug() + "/prompts/support/answer");
                assertThat(page.locator("#history tbody tr")).hasCount(3);
                assertThat(page.locator("#deploy")).containsText("v2");
                Browser.screenshot(page, "demo-prompt");
                page.navigate(server.url() + "/p/" + demo.project().slug() + "/prompts/support/answer/diff?from=2&to=3");
                Browser.screenshot(page, "demo-prompt-diff");
            }
        }
    }
}
