package dev.sextant.server.models;

import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.demo.DemoSeeder;
import dev.sextant.server.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Demo data for models: a local Ollama provider entry (to show the settings page; it answers only if
 * Ollama runs) and a few playground runs through the sim, which become llm spans once the gateway's
 * call recorder is wired to traces.
 */
public final class ModelsDemoSeeder implements DemoSeeder {
    private static final List<String> QUESTIONS = List.of("I want a refund for order 1042",
            "How do I reset my password?", "When will my parcel arrive?", "Hello!");

    @Override
    public void seed(DemoContext demo) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        send(http, demo, "PUT", "/api/providers/ollama", Map.of("kind", "openai-compatible",
                "baseUrl", "http://localhost:11434/v1"));
        // The sim answers with realistic latency: run the calls concurrently to keep the demo start quick.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> runs = new ArrayList<>();
            for (String question : QUESTIONS) {
                for (String model : List.of("sim-1", "sim-2")) {
                    runs.add(pool.submit(() -> {
                        send(http, demo, "POST", "/api/playground/run", Map.of(
                                "messages", List.of(Map.of("role", "system",
                                                "content", "You are a friendly support assistant for {{shop}}."),
                                        Map.of("role", "user", "content", question)),
                                "variables", Map.of("shop", "Acme Outdoor"),
                                "model", Map.of("provider", "sim", "name", model, "temperature", 0.3)));
                        return null;
                    }));
                }
            }
            for (Future<?> run : runs) {
                run.get();
            }
        }
    }

    private static void send(HttpClient http, DemoContext demo, String method, String path, Object body)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(demo.baseUrl() + path))
                .header("Authorization", "Bearer " + demo.apiKey()).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " failed: " + response.statusCode() + " "
                    + response.body());
        }
    }
}
