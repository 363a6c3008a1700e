package dev.sextant.server.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.demo.DemoData;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelsDemoSeederTest {

    @Test
    void theDemoAddsAnOllamaProviderAndRunsPlaygroundCallsThroughTheSim() throws Exception {
        try (TestServer server = TestServer.start()) {
            DemoContext demo = new DemoData(List.of(new ModelsDemoSeeder())).seed(server.services(), server.url());
            Http api = new Http(server.url()).withKey(demo.apiKey());
            assertThat(api.get("/api/providers").json().path("data").findValuesAsText("name"))
                    .containsExactly("sim", "ollama");
            assertThat(api.get("/api/audit").json().path("data").findValuesAsText("action")).contains("provider.create");
        }
    }
}
