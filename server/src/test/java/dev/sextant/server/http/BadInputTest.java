package dev.sextant.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BadInputTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Dialect.SQLITE, Map.of(ConfigKey.MAX_BODY_BYTES, "4096"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void serverKeepsServing() {
        assertThat(server.anonymous().get("/health").status()).isEqualTo(200);
    }

    @Test
    void malformedJsonIsA400WithAReason() {
        Http.Response response = server.api().send("POST", "/api/keys", "application/json",
                "{\"name\": ".getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("bad_request");
        assertThat(response.json().path("error").path("message").asText()).contains("malformed JSON");
    }

    @Test
    void jsonOfTheWrongShapeIsA400NamingTheField() {
        Http.Response response = server.api().send("POST", "/api/keys", "application/json",
                "{\"name\": {\"nested\": true}}".getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("message").asText()).contains("name");
    }

    @Test
    void anEmptyBodyIsA400() {
        Http.Response response = server.api().send("POST", "/api/keys", "application/json", new byte[0]);
        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void aWrongContentTypeIsA415() {
        Http.Response response = server.api().send("POST", "/api/keys", "text/plain",
                "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).isEqualTo(415);
        assertThat(response.errorCode()).isEqualTo("unsupported_media_type");
    }

    @Test
    void anOversizedBodyIsA413AndNothingIsStored() {
        int before = server.services().auth().listKeys(server.project().id()).size();
        String huge = "{\"name\":\"" + "x".repeat(10_000) + "\"}";
        Http.Response response = server.api().send("POST", "/api/keys", "application/json",
                huge.getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.errorCode()).isEqualTo("payload_too_large");
        assertThat(server.services().auth().listKeys(server.project().id())).hasSize(before);
    }

    @Test
    void deeplyNestedJsonIsRejectedNotOverflowed() {
        String deep = "{\"name\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
        Http.Response response = server.api().send("POST", "/api/keys", "application/json",
                deep.getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void invalidValuesAre422WithAMessage() {
        Http.Response response = server.api().post("/api/keys", Map.of("name", "x", "kind", "root"));
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("error").path("message").asText()).contains("secret").contains("public");
    }

    @Test
    void unknownRoutesAndIdsAre404Json() {
        Http.Response route = server.api().get("/api/does-not-exist");
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.errorCode()).isEqualTo("not_found");

        Http.Response id = server.api().delete("/api/keys/01900000-0000-7000-8000-000000000000");
        assertThat(id.status()).isEqualTo(404);
        assertThat(id.errorCode()).isEqualTo("not_found");
    }

    @Test
    void aMalformedAuthorizationHeaderIs401() {
        Http.Response response = server.anonymous().withHeader("Authorization", "Basic YWRtaW46YWRtaW4=")
                .get("/api/projects/current");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().path("error").path("message").asText()).contains("Bearer");
    }

    @Test
    void everyResponseCarriesARequestId() {
        Http.Response response = server.api().withHeader("X-Request-Id", "trace-me-123").get("/api/projects/current");
        assertThat(response.header("X-Request-Id")).isEqualTo("trace-me-123");
        assertThat(server.anonymous().get("/health").header("X-Request-Id")).isNotBlank();
    }
}
