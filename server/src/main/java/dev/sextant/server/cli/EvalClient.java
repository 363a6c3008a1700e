package dev.sextant.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few API calls {@code sextant eval} makes, with errors turned into {@link EvalClient.Failure}. */
final class EvalClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String server;
    private final String apiKey;

    /** A call that failed: the message says what and why. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    EvalClient(String server, String apiKey) {
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.apiKey = apiKey;
    }

    String server() {
        return server;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    private JsonNode send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path))
                .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + apiKey);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? Json.mapper().nullNode()
                    : Json.mapper().readTree(response.body());
            if (response.statusCode() >= 300) {
                throw new Failure(method + " " + path + " → " + response.statusCode() + ": "
                        + json.path("error").path("message").asText(response.body()));
            }
            return json;
        } catch (IOException e) {
            throw new Failure("cannot reach " + server + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
    }
}
