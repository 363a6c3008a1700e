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
        try (TestServer server = TestServer.start(Dialect.SQLITE, Map.of(ConfigKey.MONITOR_INTERVAL_SECONDS, "3600",
                ConfigKey.WEBHOOK_ALLOW_PRIVATE, "true"));
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

    @Test
    void byDefaultWebhooksMayNotReachTheServersOwnNetwork() throws Exception {
        try (TestServer server = TestServer.start(Dialect.SQLITE, Map.of(ConfigKey.MONITOR_INTERVAL_SECONDS, "3600"));
             Receiver receiver = new Receiver()) {
            Http api = server.api();
            for (String url : List.of(receiver.url(), "http://localhost:8080/x", "http://169.254.169.254/latest",
                    "http://10.1.2.3/x", "http://192.168.0.10/x", "http://[::1]:80/x", "http://[fd00::1]/x",
                    "http://100.64.0.1/x", "http://0.0.0.0/x")) {
                Http.Response refused = api.post("/api/alerts", Map.of("name", "internal", "metric", "error_rate",
                        "threshold", 0.1, "webhookUrl", url));
                assertThat(refused.status()).as(url).isEqualTo(422);
                assertThat(refused.body()).as(url).contains("webhook-allow-private");
            }
            // A name that does not resolve (offline, or not yet in DNS) can be saved; its deliveries fail.
            assertThat(api.post("/api/alerts", Map.of("name", "later", "metric", "error_rate", "threshold", 0.1,
                    "webhookUrl", "https://hooks.example.invalid/x")).status()).isEqualTo(201);

            // Checked again before each delivery: a rule pointing inside now is not called.
            server.services().database().jdbi().useHandle(h -> h.createUpdate(
                    "UPDATE alert_rules SET webhook_url = :u").bind("u", receiver.url()).execute());
            traces(api, 0, 2, true);
            server.services().alerts().checkAll();
            assertThat(receiver.deliveries).isEmpty();
            assertThat(api.get("/api/alerts/later").json().path("events").get(0).path("delivery").asText())
                    .startsWith("failed: webhook host 127.0.0.1");
        }
    }

    @Test
    void internalRangesAreRecognized() throws Exception {
        for (String internal : List.of("127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "100.127.255.255", "0.1.2.3", "224.0.0.1", "::1", "::", "fe80::1", "fc00::1",
                "fdff::1", "::ffff:127.0.0.1")) {
            assertThat(WebhookAddresses.isInternal(java.net.InetAddress.getByName(internal))).as(internal).isTrue();
        }
        for (String external : List.of("8.8.8.8", "100.63.255.255", "100.128.0.1", "172.32.0.1", "2001:4860::8888")) {
            assertThat(WebhookAddresses.isInternal(java.net.InetAddress.getByName(external))).as(external).isFalse();
        }
    }
}
