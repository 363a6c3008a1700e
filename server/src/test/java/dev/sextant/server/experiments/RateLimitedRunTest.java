package dev.sextant.server.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitedRunTest {

    @Test
    void rateLimitedCallsAreRetriedLaterInsteadOfFailingTheirItems() throws Exception {
        Map<ConfigKey, String> config = new HashMap<>(ExperimentFixtures.simWithLatency(5));
        Path script = Path.of(config.get(ConfigKey.SIM_SCRIPT));
        Files.writeString(script, Files.readString(script).replaceFirst("rules:",
                "faults:\n  - {type: rate_limit, probability: 0.3, retryAfterSeconds: 0}\nrules:"));
        // One attempt per call: every 429 reaches the experiment runner, which backs off and requeues.
        config.put(ConfigKey.MODEL_MAX_ATTEMPTS, "1");
        try (TestServer server = TestServer.start(Dialect.SQLITE, config)) {
            Http api = server.api();
            ExperimentFixtures.seed(api);
            String id = ExperimentFixtures.start(api, Map.of("dataset", "faq",
                    "targets", List.of(ExperimentFixtures.promptTarget("production", null)),
                    "evaluators", List.of("short"), "repetitions", 3, "concurrency", 8))
                    .path("experiment").path("id").asText();
            JsonNode detail = ExperimentFixtures.awaitStatus(api, id, "completed");
            JsonNode progress = detail.path("experiment").path("runs").get(0).path("progress");
            assertThat(progress.path("done").asInt()).isEqualTo(18);
            assertThat(progress.path("errors").asInt()).isZero();
            assertThat(detail.path("scorecards").get(0).path("criteria").get(0).path("n").asInt()).isEqualTo(18);
        }
    }
}
