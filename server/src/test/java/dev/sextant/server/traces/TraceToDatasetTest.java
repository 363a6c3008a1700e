package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TraceToDatasetTest {
    static final String TRACE = "d00d0000d00d0000d00d0000d00d0000";
    static final String ROOT = "d00d0000d00d0001";
    static final String LLM = "d00d0000d00d0002";

    /** A support turn: a chain root and an llm span with chat messages and a wrong answer. */
    static void ingestSupportTurn(Http api, String traceId, String name) {
        Instant now = Instant.now();
        Map<String, Object> root = Map.of("id", ROOT, "traceId", traceId, "kind", "chain", "name", name,
                "input", "Can I return shoes after 40 days?", "output", "Yes, within 90 days.",
                "startTime", now.toString(), "endTime", now.plusMillis(900).toString());
        Map<String, Object> llm = Map.of("id", LLM, "traceId", traceId, "parentId", ROOT, "kind", "llm",
                "name", "chat sim-1", "model", "sim-1",
                "input", List.of(Map.of("role", "system", "parts", List.of(Map.of("type", "text", "content", "Be exact."))),
                        Map.of("role", "user", "parts", List.of(Map.of("type", "text",
                                "content", "Can I return shoes after 40 days?")))),
                "output", List.of(Map.of("role", "assistant", "parts", List.of(Map.of("type", "text",
                        "content", "Yes, within 90 days.")))),
                "startTime", now.plusMillis(100).toString(), "endTime", now.plusMillis(800).toString());
        assertThat(api.post("/api/ingest", Map.of("spans", List.of(root, llm))).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aSpanIsAddedWithItsMessagesAndACorrectedExpectedOutput(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            ingestSupportTurn(api, TRACE, "returns");
            Http.Response added = api.post("/api/traces/" + TRACE + "/to-dataset", Map.of("dataset", "returns-policy",
                    "spanId", LLM, "expectedOutput", "No: returns are accepted within 30 days.", "create", true));
            assertThat(added.status()).as(added.body()).isEqualTo(200);
            assertThat(added.json().path("version").asInt()).isEqualTo(2);

            JsonNode item = api.get("/api/datasets/returns-policy/items").json().path("data").get(0);
            assertThat(item.path("input").path("input").asText()).isEqualTo("Can I return shoes after 40 days?");
            assertThat(item.path("messages").get(1).path("content").asText()).isEqualTo("Can I return shoes after 40 days?");
            assertThat(item.path("expectedOutput").asText()).isEqualTo("No: returns are accepted within 30 days.");
            assertThat(item.path("metadata").path("corrected").asBoolean()).isTrue();
            assertThat(item.path("sourceTraceId").asText()).isEqualTo(TRACE);
            assertThat(item.path("sourceSpanId").asText()).isEqualTo(LLM);

            // Without a correction the logged answer is the expected output; unknown spans are 404.
            api.post("/api/traces/" + TRACE + "/to-dataset", Map.of("dataset", "returns-policy"));
            JsonNode items = api.get("/api/datasets/returns-policy/items").json().path("data");
            assertThat(items.findValuesAsText("expectedOutput")).contains("Yes, within 90 days.");
            assertThat(api.post("/api/traces/" + TRACE + "/to-dataset", Map.of("dataset", "returns-policy",
                    "spanId", "ffffffffffffffff")).status()).isEqualTo(404);
            assertThat(api.post("/api/traces/" + TRACE + "/to-dataset", Map.of("dataset", "missing")).status())
                    .isEqualTo(404);
        }
    }

    @Test
    void theTracesMatchingTheListFiltersAreAddedThroughAFieldMapping() {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            ingestSupportTurn(api, "d00d0000d00d0000d00d0000d00d0001", "checkout");
            ingestSupportTurn(api, "d00d0000d00d0000d00d0000d00d0002", "checkout");
            ingestSupportTurn(api, "d00d0000d00d0000d00d0000d00d0003", "search");
            Http.Response added = api.post("/api/traces/to-dataset?name=checkout", Map.of("dataset", "checkout-set",
                    "create", true, "mapping", Map.of("input.question", "input", "expected", "output",
                            "sourceTraceId", "traceId", "metadata.flow", "name")));
            assertThat(added.status()).as(added.body()).isEqualTo(200);
            JsonNode items = api.get("/api/datasets/checkout-set/items").json().path("data");
            assertThat(items).hasSize(2);
            assertThat(items.get(0).path("input").path("question").asText()).isEqualTo("Can I return shoes after 40 days?");
            assertThat(items.get(0).path("metadata").path("flow").asText()).isEqualTo("checkout");
            assertThat(api.post("/api/traces/to-dataset?name=nothing", Map.of("dataset", "checkout-set")).status())
                    .isEqualTo(422);
            assertThat(api.post("/api/traces/to-dataset", Map.of("dataset", "checkout-set",
                    "mapping", Map.of("bogus", "x"))).status()).isEqualTo(422);
        }
    }

    @Test
    void theSpanPanelFormAddsAnEditedItemInPlace() {
        try (TestServer server = TestServer.start()) {
            ingestSupportTurn(server.api(), TRACE, "returns");
            WebSession web = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            String base = "/p/" + server.project().slug() + "/traces/" + TRACE + "/to-dataset";
            String form = web.http().get(base + "?span=" + LLM).body();
            assertThat(form).contains("Yes, within 90 days.").contains("Can I return shoes after 40 days?");
            Http.Response posted = web.http().send("POST", base, "application/x-www-form-urlencoded",
                    WebSession.form(Map.of("spanId", LLM, "dataset", "from-ui", "input", "{\"input\": \"40 days?\"}",
                            "expected", "Within 30 days only.", "expectedJson", "false")));
            assertThat(posted.status()).isEqualTo(200);
            assertThat(posted.body()).contains("Added to").contains("from-ui");
            assertThat(server.api().get("/api/datasets/from-ui/items").json().path("data").get(0)
                    .path("expectedOutput").asText()).isEqualTo("Within 30 days only.");
            Http.Response bad = web.http().send("POST", base, "application/x-www-form-urlencoded",
                    WebSession.form(Map.of("spanId", LLM, "dataset", "from-ui", "input", "{not json", "expected", "")));
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.body()).contains("valid JSON");
        }
    }
}
