package dev.sextant.server.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.http.Json;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class AlertTest {

    /** A local webhook receiver that keeps every delivery (body and signature header). */
    static final class Receiver implements AutoCloseable {
        record Delivery(String body, String signature) {
        }

        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        final HttpServer server;

        Receiver() throws java.io.IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                deliveries.add(new Delivery(body, exchange.getRequestHeaders().getFirst("X-Sextant-Signature")));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static void traces(Http api, int first, int count, boolean error) {
        List<Map<String, Object>> spans = new ArrayList<>();
        Instant start = Instant.now().minusSeconds(60);
        for (int i = first; i < first + count; i++) {
            Map<String, Object> span = new LinkedHashMap<>();
            span.put("id", OnlineEvalTest.hex(i + 1, 16));
            span.put("traceId", OnlineEvalTest.hex(i + 1, 32));
            span.put("name", "turn");
            span.put("status", error ? "error" : "ok");
            span.put("startTime", start.toString());
            span.put("endTime", start.plusMillis(200).toString());
            spans.add(span);
        }
        assertThat(api.post("/api/ingest", Map.of("spans", spans)).status()).isEqualTo(200);
    }

    @Test
    void anAlertFiresOnceAndResolvesWithSignedWebhooks() throws Exception {
        try (TestServer server = TestServer.start(Dialect.SQLITE, Map.of(ConfigKey.MONITOR_INTERVAL_SECONDS, "3600"));
             Receiver receiver = new Receiver()) {
            Http api = server.api();
            traces(api, 0, 8, false);
            traces(api, 100, 2, true);
            Http.Response created = api.post("/api/alerts", Map.of("name", "errors", "metric", "error_rate",
                    "comparison", "gt", "threshold", 0.1, "windowMinutes", 60, "webhookUrl", receiver.url(),
                    "secret", "s3cret"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().path("secret").asText()).isEqualTo("s3cret");
            assertThat(api.get("/api/alerts").body()).doesNotContain("s3cret");

            AlertService alerts = server.services().alerts();
            alerts.checkAll();
            alerts.checkAll();
            assertThat(receiver.deliveries).hasSize(1);
            AlertTest.Receiver.Delivery firing = receiver.deliveries.getFirst();
            assertThat(firing.signature()).isEqualTo("sha256=" + AlertService.sign("s3cret", firing.body()));
            JsonNode body = Json.mapper().readTree(firing.body());
            assertThat(body.path("state").asText()).isEqualTo("firing");
            assertThat(body.path("value").asDouble()).isEqualTo(0.2);
            assertThat(api.get("/api/alerts/errors").json().path("rule").path("firing").asBoolean()).isTrue();

            traces(api, 200, 40, false);
            alerts.checkAll();
            alerts.checkAll();
            assertThat(receiver.deliveries).hasSize(2);
            AlertTest.Receiver.Delivery resolved = receiver.deliveries.get(1);
            assertThat(Json.mapper().readTree(resolved.body()).path("state").asText()).isEqualTo("resolved");
            assertThat(resolved.signature()).isEqualTo("sha256=" + AlertService.sign("s3cret", resolved.body()));

            JsonNode events = api.get("/api/alerts/errors").json().path("events");
            assertThat(events).hasSize(2);
            assertThat(events.get(0).path("state").asText()).isEqualTo("resolved");
            assertThat(events.get(0).path("delivery").asText()).isEqualTo("delivered 204");

            assertThat(api.post("/api/alerts", Map.of("name", "bad", "metric", "error_rate", "threshold", 1,
                    "webhookUrl", "ftp://x")).status()).isEqualTo(422);
            assertThat(api.post("/api/alerts", Map.of("name", "bad", "metric", "mood", "threshold", 1,
                    "webhookUrl", receiver.url())).status()).isEqualTo(422);
        }
    }
}
