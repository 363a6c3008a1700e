package dev.sextant.server.monitoring;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.demo.DemoData;
import dev.sextant.server.evaluators.EvaluatorDemoSeeder;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitoringDemoSeederTest {

    @Test
    void theDemoWeekTellsARolloutStoryOnTheDashboard() throws Exception {
        try (TestServer server = TestServer.start(); Browser browser = Browser.launch()) {
            DemoContext demo = new DemoData(List.of(new EvaluatorDemoSeeder(), new MonitoringDemoSeeder()))
                    .seed(server.services(), server.url());
            Http api = server.api().withKey(demo.apiKey());
            JsonNode summary = api.get("/api/feedback/summary?groupBy=promptVersion&promptName=support-answer").json();
            JsonNode v3 = summary.path("groups").get(0);
            JsonNode v4 = summary.path("groups").get(1);
            assertThat(v3.path("key").asText()).isEqualTo("support-answer v3");
            assertThat(v4.path("voteRatio").asDouble()).isGreaterThan(v3.path("voteRatio").asDouble());
            assertThat(v4.path("retention").get(2).path("meanFractionKept").asDouble())
                    .isGreaterThan(v3.path("retention").get(2).path("meanFractionKept").asDouble());
            assertThat(api.get("/api/online-rules").json().path("data")).hasSize(1);
            assertThat(api.get("/api/alerts").json().path("data")).hasSize(1);

            String slug = demo.project().slug();
            Page page = browser.login(server.url(), "demo@sextant.local", "sextant-demo", "/p/" + slug + "/monitoring");
            Browser.screenshot(page, "monitoring-dashboard");
            assertThat(page.locator("#dashboard-charts svg.chart path").first()).isVisible();
            page.navigate(server.url() + "/p/" + slug + "/monitoring?groupBy=promptVersion&a=support-answer+v3&b=support-answer+v4");
            assertThat(page.locator(".chart-legend").first()).containsText("support-answer v4");
            Browser.screenshot(page, "monitoring-compare-versions");
            page.navigate(server.url() + "/p/" + slug + "/monitoring/feedback?promptName=support-answer");
            assertThat(page.locator("table.table")).containsText("support-answer v4");
            Browser.screenshot(page, "monitoring-feedback");
        }
    }
}
