package dev.sextant.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.sdk.Message;
import dev.sextant.sdk.Prompt;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.SextantException;
import dev.sextant.server.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java SDK's prompt client against a real server, including the server going away. */
class SdkPromptsTest {

    private static void publish(TestServer server, String content, List<String> labels) {
        assertThat(server.api().post("/api/prompts", Map.of("name", "support/answer",
                "messages", List.of(Map.of("role", "system", "content", content),
                        Map.of("role", "user", "content", "{{question}}")),
                "model", Map.of("provider", "sim", "name", "sim-1", "temperature", 0.2),
                "commitMessage", "test", "labels", labels)).status()).isIn(200, 201);
    }

    @Test
    void promptsComeFromTheServerThenFromTheCacheWhenItIsDown() {
        TestServer server = TestServer.start();
        Sextant sextant = Sextant.builder().url(server.url()).apiKey(TestServer.API_KEY)
                .promptCacheTtl(Duration.ofMillis(50)).requestTimeout(Duration.ofSeconds(1)).build();
        try (sextant) {
            publish(server, "You support {{product}}.", List.of("production"));
            publish(server, "You support {{product}}, briefly.", List.of("staging"));

            Prompt production = sextant.prompts().get("support/answer");
            assertThat(production.version()).isEqualTo(1);
            assertThat(production.modelName()).isEqualTo("sim-1");
            assertThat(production.render(Map.of("product", "Nimbus", "question", "Refunds?")))
                    .extracting(Message::content).containsExactly("You support Nimbus.", "Refunds?");
            assertThat(sextant.prompts().get("support/answer", "staging").version()).isEqualTo(2);
            assertThat(sextant.prompts().getVersion("support/answer", 2).messages().getFirst().content())
                    .isEqualTo("You support {{product}}, briefly.");

            server.close();
            // Stale entries keep being served while refreshes fail in the background.
            sleep(200);
            assertThat(sextant.prompts().get("support/answer").version()).isEqualTo(1);
            assertThat(sextant.prompts().get("support/answer", "staging").version()).isEqualTo(2);
        }
    }

    @Test
    void aDeployIsPickedUpByTheBackgroundRefresh() {
        try (TestServer server = TestServer.start();
             Sextant sextant = Sextant.builder().url(server.url()).apiKey(TestServer.API_KEY)
                     .promptCacheTtl(Duration.ofMillis(100)).build()) {
            publish(server, "v1 {{product}}", List.of("production"));
            assertThat(sextant.prompts().get("support/answer").version()).isEqualTo(1);
            publish(server, "v2 {{product}}", List.of());
            server.api().put("/api/prompts/support/answer/labels/production", Map.of("version", 2));
            // Served from cache immediately; a background refresh brings version 2 shortly after.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int seen = sextant.prompts().get("support/answer").version();
            while (seen != 2 && System.nanoTime() < deadline) {
                sleep(50);
                seen = sextant.prompts().get("support/answer").version();
            }
            assertThat(seen).isEqualTo(2);
        }
    }

    @Test
    void withTheServerUnreachableABundledFallbackIsServedOrAClearErrorRaised() {
        try (Sextant sextant = Sextant.builder().url("http://127.0.0.1:9").apiKey("sk-sx-none")
                .requestTimeout(Duration.ofMillis(500)).build()) {
            assertThatThrownBy(() -> sextant.prompts().get("support/answer"))
                    .isInstanceOf(SextantException.class).hasMessageContaining("support/answer");

            sextant.prompts().fallback(Prompt.fallback("support/answer",
                    List.of(Message.system("You are a helpful support agent.")), Map.of("provider", "sim")));
            Prompt prompt = sextant.prompts().get("support/answer");
            assertThat(prompt.labels()).containsExactly("fallback");
            assertThat(prompt.render(Map.of()).getFirst().content()).isEqualTo("You are a helpful support agent.");
        }
    }

    @Test
    void anUnknownPromptIsAClearError() {
        try (TestServer server = TestServer.start();
             Sextant sextant = Sextant.builder().url(server.url()).apiKey(TestServer.API_KEY).build()) {
            assertThatThrownBy(() -> sextant.prompts().get("does/not-exist"))
                    .isInstanceOf(SextantException.class).hasMessageContaining("404");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
