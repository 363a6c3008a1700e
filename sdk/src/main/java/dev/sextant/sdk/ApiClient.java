package dev.sextant.sdk;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * JSON calls to Sextant's REST API for the explicit clients (datasets, experiments, feedback):
 * every failure becomes a {@link SextantException} that says what the server answered.
 */
final class ApiClient {
    private final String baseUrl;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;

    ApiClient(String baseUrl, String apiKey, Duration timeout) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    Map<String, Object> get(String path) {
        return send(request(path).GET().build());
    }

    Map<String, Object> post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonText.write(body))).build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Authorization", "Bearer " + apiKey).header("Accept", "application/json");
    }

    private Map<String, Object> send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SextantException("cannot reach Sextant at " + baseUrl + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SextantException("interrupted while calling " + request.method() + " " + request.uri().getPath(), e);
        }
        Map<String, Object> json = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            Object error = json.get("error");
            String message = error instanceof Map<?, ?> m && m.get("message") != null ? String.valueOf(m.get("message"))
                    : response.body();
            throw new SextantException(request.method() + " " + request.uri().getPath() + ": server answered "
                    + response.statusCode() + ": " + message);
        }
        return json;
    }

    private static Map<String, Object> parse(String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        try {
            return JsonText.json().mapFrom(body);
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** One path segment (or a name with slashes kept as separators), URL-encoded. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
