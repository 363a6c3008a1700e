package dev.sextant.server.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run survives kill -9 of the server: after a restart it completes without redoing finished items. */
class ResumeAfterKillTest {

    @Test
    void aRunResumesAfterAHardKillWithoutRedoingFinishedItems() throws Exception {
        Path dataDir = Files.createTempDirectory("sextant-resume-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        Process first = start(dataDir, port);
        Process second = null;
        try {
            awaitHealthy(url);
            Http api = new Http(url).withKey(TestServer.API_KEY);
            ExperimentFixtures.seed(api);
            String id = ExperimentFixtures.start(api, Map.of("dataset", "faq",
                    "targets", List.of(ExperimentFixtures.promptTarget("production", null)),
                    "evaluators", List.of("short"), "repetitions", 10, "concurrency", 2))
                    .path("experiment").path("id").asText();
            String runId = api.get("/api/experiments/" + id).json().path("experiment").path("runs").get(0)
                    .path("id").asText();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                    done(api, id) >= 8);
            first.destroyForcibly().waitFor();
            assertThat(first.exitValue()).as("killed, not shut down").isNotZero();

            Map<String, JsonNode> before = new HashMap<>();
            second = start(dataDir, port);
            awaitHealthy(url);
            for (JsonNode item : items(api, id, runId)) {
                if (item.path("status").asText().equals("done")) {
                    before.put(item.path("id").asText(), item);
                }
            }
            assertThat(before.size()).as("some items finished before the kill").isBetween(8, 59);

            ExperimentFixtures.awaitStatus(api, id, "completed");
            List<JsonNode> after = items(api, id, runId);
            assertThat(after).hasSize(60).allMatch(i -> i.path("status").asText().equals("done"));
            for (JsonNode item : after) {
                JsonNode earlier = before.get(item.path("id").asText());
                String itemId = item.path("id").asText();
                JsonNode scores = api.get("/api/scores?targetType=experiment_item&targetId=" + itemId).json()
                        .path("data");
                assertThat(scores).as("judged exactly once: " + itemId).hasSize(1);
                if (earlier != null) {
                    assertThat(item.path("traceId").asText()).as("not called again").isEqualTo(
                            earlier.path("traceId").asText());
                    assertThat(item.path("output").asText()).isEqualTo(earlier.path("output").asText());
                }
            }
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroy();
                second.waitFor();
            }
        }
    }

    private static int done(Http api, String id) {
        return api.get("/api/experiments/" + id).json().path("experiment").path("runs").get(0).path("progress")
                .path("done").asInt();
    }

    private static List<JsonNode> items(Http api, String id, String runId) {
        List<JsonNode> all = new java.util.ArrayList<>();
        api.get("/api/experiments/" + id + "/runs/" + runId + "/items?limit=500").json().path("data")
                .forEach(all::add);
        return all;
    }

    private static Process start(Path dataDir, int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.sextant.server.cli.Main", "serve",
                "--port", Integer.toString(port), "--data-dir", dataDir.toString());
        Map<String, String> env = builder.environment();
        env.put("SEXTANT_HOST", "127.0.0.1");
        env.put("SEXTANT_INIT_ADMIN_EMAIL", TestServer.ADMIN_EMAIL);
        env.put("SEXTANT_INIT_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD);
        env.put("SEXTANT_INIT_PROJECT", TestServer.PROJECT);
        env.put("SEXTANT_INIT_API_KEY", TestServer.API_KEY);
        env.put("SEXTANT_JOB_LEASE_SECONDS", "2");
        env.put("SEXTANT_" + ConfigKey.SIM_SCRIPT.name(), ExperimentFixtures.simWithLatency(100)
                .get(ConfigKey.SIM_SCRIPT));
        builder.redirectErrorStream(true).redirectOutput(dataDir.resolve("server-" + System.nanoTime() + ".log")
                .toFile());
        return builder.start();
    }

    private static void awaitHealthy(String url) {
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() ->
                client.send(HttpRequest.newBuilder(java.net.URI.create(url + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }
}
