package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceEvaluationPagesTest {

    @Test
    void theTracePageShowsTheScoresOfTheTraceAndOfEachSpan() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            TraceToDatasetTest.ingestSupportTurn(api, TraceToDatasetTest.TRACE, "returns");
            Http.Response posted = api.post("/api/scores", Map.of("targetType", "trace", "targetId",
                    TraceToDatasetTest.TRACE, "name", "helpfulness", "value", 4, "reason", "clear answer", "source", "api"));
            assertThat(posted.status()).as(posted.body()).isEqualTo(201);
            api.post("/api/scores", Map.of("targetType", "span", "targetId", TraceToDatasetTest.LLM,
                    "name", "policy-accuracy", "value", false, "reason", "invents 90 days", "source", "api"));
            Http web = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD).http();
            String base = "/p/" + server.project().slug() + "/traces/" + TraceToDatasetTest.TRACE;
            assertThat(web.get(base).body()).contains(base + "/scores");
            assertThat(web.get(base + "/scores").body()).contains("helpfulness").contains("clear answer")
                    .doesNotContain("policy-accuracy");
            assertThat(web.get(base + "/scores?span=" + TraceToDatasetTest.LLM).body()).contains("policy-accuracy")
                    .contains("invents 90 days");
        }
    }

    @Test
    void anEvaluatorExampleLoadsFromASpanOrFromADatasetItemWithItsCorrection() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            TraceToDatasetTest.ingestSupportTurn(api, TraceToDatasetTest.TRACE, "returns");
            Http web = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD).http();
            String url = "/p/" + server.project().slug() + "/eval-example";
            String fromSpan = web.get(url + "?fromTrace=" + TraceToDatasetTest.TRACE + "&fromSpan="
                    + TraceToDatasetTest.LLM).body();
            assertThat(fromSpan).contains("Yes, within 90 days.</textarea>")
                    .contains("Can I return shoes after 40 days?").contains("value=\"700\"");

            String itemId = api.post("/api/traces/" + TraceToDatasetTest.TRACE + "/to-dataset", Map.of(
                    "dataset", "returns", "create", true, "spanId", TraceToDatasetTest.LLM,
                    "expectedOutput", "Only within 30 days.")).json().path("items").get(0).path("id").asText();
            String fromItem = web.get(url + "?fromDataset=returns&fromItem=" + itemId).body();
            assertThat(fromItem).contains("Yes, within 90 days.</textarea>").contains("Only within 30 days.</textarea>");
            assertThat(web.get(url + "?fromTrace=ffffffffffffffffffffffffffffffff").body()).contains("not found");
        }
    }
}
