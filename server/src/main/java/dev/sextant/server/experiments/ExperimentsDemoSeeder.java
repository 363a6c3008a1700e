package dev.sextant.server.experiments;

import dev.sextant.server.datasets.DatasetsDemoSeeder;
import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.demo.DemoSeeder;
import dev.sextant.server.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * Starts the demo experiment through the public API: {@code support/answer} on production (v2) against
 * staging (v3, grounded in the help center) over the "support questions" dataset, scored by an LLM judge
 * and three code checks. It runs in the background at high concurrency, so the demo starts at once and
 * the experiment page shows live progress; the comparison is one click away when it completes.
 */
public final class ExperimentsDemoSeeder implements DemoSeeder {
    static final String NAME = "Production vs grounded prompt";

    @Override
    public void seed(DemoContext demo) throws Exception {
        Map<String, Object> body = Map.of("name", NAME, "dataset", DatasetsDemoSeeder.DATASET,
                "targets", List.of(
                        Map.of("type", "prompt", "prompt", "support/answer", "label", "production"),
                        Map.of("type", "prompt", "prompt", "support/answer", "label", "staging")),
                "evaluators", List.of("answers-the-question", "concise", "no-canned-apology", "close-to-reference"),
                "concurrency", 16);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(demo.baseUrl()
                            + "/api/experiments")).header("Authorization", "Bearer " + demo.apiKey())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("demo experiment: " + response.statusCode() + " " + response.body());
            }
        }
    }
}
