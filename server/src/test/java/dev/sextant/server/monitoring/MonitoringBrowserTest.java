package dev.sextant.server.monitoring;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.http.Json;
import dev.sextant.server.support.Browser;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class MonitoringBrowserTest {

    @Test
    void anEngineerAddsAnOnlineRuleSeesScoresOnTheDashboardAndAnAlertFires() throws Exception {
        try (TestServer server = TestServer.start(Dialect.SQLITE, Map.of(ConfigKey.ONLINE_EVAL_SETTLE_SECONDS, "0",
                ConfigKey.MONITOR_INTERVAL_SECONDS, "3600", ConfigKey.WEBHOOK_ALLOW_PRIVATE, "true"));
             Browser browser = Browser.launch();
             AlertTest.Receiver receiver = new AlertTest.Receiver()) {
            Http api = server.api();
            OnlineEvalTest.codeEvaluator(api);
            String slug = server.project().slug();
            Page page = browser.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD,
                    "/p/" + slug + "/monitoring/online");
            assertThat(page.locator(".empty")).containsText("No online rules yet");
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("ships-check");
            page.getByLabel("Evaluator", new Page.GetByLabelOptions().setExact(true)).fill("mentions-ships");
            page.getByLabel("Span kind").fill("llm");
            page.getByLabel("Sampling rate (0-1)").fill("1");
            page.locator("#new-online-rule button[type=submit]").click();
            assertThat(page.locator("#online-rules")).containsText("ships-check");

            OnlineEvalTest.ingest(api, 0, 20, 1, "sim-1", List.of());
            AlertTest.traces(api, 500, 5, true);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                server.services().online().scan();
                return api.get("/api/online-rules/ships-check").json().path("evaluations").path("scored").asLong() == 20;
            });
            page.reload();
            assertThat(page.locator("#online-rules .evaluations")).containsText("scored: 20");
            Browser.screenshot(page, "monitoring-online-rules");

            page.navigate(server.url() + "/p/" + slug + "/monitoring?range=24h");
            assertThat(page.locator("#dashboard-charts figcaption", new Page.LocatorOptions()
                    .setHasText("mentions-ships"))).isVisible();
            assertThat(page.locator("#dashboard-charts svg.chart").first()).isVisible();
            Browser.screenshot(page, "monitoring-dashboard-test");

            page.navigate(server.url() + "/p/" + slug + "/monitoring/alerts");
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("errors");
            page.locator("select[name=metric]").selectOption("error_rate");
            page.getByLabel("Threshold").fill("0.1");
            page.getByLabel("Webhook URL").fill(receiver.url());
            page.locator("#new-alert button[type=submit]").click();
            assertThat(page.locator("#alert-secret")).containsText("whsec_");
            server.services().alerts().checkAll();
            assertThat(receiver.deliveries).hasSize(1);
            assertThat(Json.mapper().readTree(receiver.deliveries.getFirst().body()).path("state").asText())
                    .isEqualTo("firing");
            page.reload();
            assertThat(page.locator("#alert-rules .state-firing")).hasText("firing");
            assertThat(page.locator("#alert-history")).containsText("delivered 204");
            Browser.screenshot(page, "monitoring-alerts");
        }
    }
}
