package dev.sextant.server.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.cli.Main;
import dev.sextant.server.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptSyncTest {
    private static final String ANSWER = """
            ---
            name: support/answer
            model:
              provider: sim
              name: sim-1
              temperature: 0.2
            tools:
            - name: lookup_order
              description: Find an order
              parameters:
                type: object
                properties:
                  id:
                    type: string
            ---
            @system
            You help customers of {{product}}.
            ---
            Never promise refunds.
            \\@mentions stay literal — ünïcödé 🚀


            @history

            @user
            {{question}}

            """;

    @Test
    void pushThenPullRoundTripsFilesLosslesslyThroughAServer(@TempDir Path source, @TempDir Path target) throws IOException {
        try (TestServer server = TestServer.start()) {
            write(source.resolve("support/answer.prompt"), ANSWER);
            write(source.resolve("notes/summary.prompt"), "---\nname: notes/summary\n---\nSummarize:\n\n{{doc}}\n\n");

            String first = cli("prompts", "push", "--dir", source.toString(), "--server", server.url(),
                    "--api-key", TestServer.API_KEY, "-m", "initial import");
            assertThat(first).contains("pushed    notes/summary → v1", "pushed    support/answer → v1", "2 pushed");
            assertThat(server.api().get("/api/prompts/support/answer").json().path("commitMessage").asText())
                    .isEqualTo("initial import");

            String again = cli("prompts", "push", "--dir", source.toString(), "--server", server.url(),
                    "--api-key", TestServer.API_KEY);
            assertThat(again).contains("0 pushed, 2 unchanged, 0 failed");

            cli("prompts", "pull", "--dir", target.toString(), "--server", server.url(), "--api-key", TestServer.API_KEY);
            assertThat(Files.readString(target.resolve("support/answer.prompt"))).isEqualTo(ANSWER);
            assertThat(Files.readString(target.resolve("notes/summary.prompt")))
                    .isEqualTo(Files.readString(source.resolve("notes/summary.prompt")));

            // An edit in the pulled copy becomes exactly one new version, which pulls back identically.
            Path edited = target.resolve("support/answer.prompt");
            write(edited, ANSWER.replace("Never promise refunds.", "Never promise refunds or discounts."));
            assertThat(cli("prompts", "push", "--dir", target.toString(), "--server", server.url(),
                    "--api-key", TestServer.API_KEY)).contains("pushed    support/answer → v2", "1 pushed, 1 unchanged");
            assertThat(cli("prompts", "pull", "--dir", source.toString(), "--server", server.url(),
                    "--api-key", TestServer.API_KEY)).contains("pulled    support/answer v2", "1 unchanged");
            assertThat(Files.readString(source.resolve("support/answer.prompt"))).isEqualTo(Files.readString(edited));
        }
    }

    @Test
    void badFilesAreReportedAndTheExitCodeSaysSo(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start()) {
            write(dir.resolve("ok.prompt"), "@user\nhello\n");
            write(dir.resolve("broken.prompt"), "@robot\nbeep\n");
            write(dir.resolve("wrong/place.prompt"), "---\nname: elsewhere\n---\n@user\nhi\n");
            write(dir.resolve("bad-template.prompt"), "@user\n{{#open}}\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = run(out, "prompts", "push", "--dir", dir.toString(), "--server", server.url(),
                    "--api-key", TestServer.API_KEY);
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(code).isEqualTo(1);
            assertThat(text).contains("failed    broken.prompt: line 1", "failed    wrong/place.prompt: front matter",
                    "failed    bad-template.prompt: invalid template", "pushed    ok → v1", "1 pushed, 0 unchanged, 3 failed");
            assertThat(server.api().get("/api/prompts").json().path("data")).hasSize(1);
        }
    }

    @Test
    void labelsInAFileDeployThePushedVersionAndPullCanFollowALabel(@TempDir Path dir, @TempDir Path out) throws IOException {
        try (TestServer server = TestServer.start()) {
            server.api().post("/api/prompts", Map.of("name", "flows/a", "text", "v1", "labels", List.of("production")));
            server.api().post("/api/prompts", Map.of("name", "flows/b", "text", "only latest"));
            write(dir.resolve("flows/a.prompt"), "---\nlabels: [staging]\n---\nv2\n");
            cli("prompts", "push", "--dir", dir.toString(), "--server", server.url(), "--api-key", TestServer.API_KEY);
            assertThat(server.api().get("/api/prompts/flows/a?label=staging").json().path("version").asInt()).isEqualTo(2);

            String pulled = cli("prompts", "pull", "--label", "production", "--dir", out.toString(), "--server",
                    server.url(), "--api-key", TestServer.API_KEY);
            assertThat(pulled).contains("skipped   flows/b (no label production)");
            assertThat(Files.readString(out.resolve("flows/a.prompt"))).isEqualTo("---\nname: flows/a\n---\nv1\n");
            try (Stream<Path> files = Files.walk(out)) {
                assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
            }
        }
    }

    @Test
    void theCommandExplainsItselfAndNeedsAKey(@TempDir Path dir) {
        assertThat(cli("prompts", "push", "--help")).contains("--dir", "--server", "--api-key", "SEXTANT_API_KEY");
        assertThat(cli("prompts", "pull", "--help")).contains("--label");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        PrintStream previous = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(run(new ByteArrayOutputStream(), "prompts", "pull", "--dir", dir.toString(), "--api-key", ""))
                    .isEqualTo(2);
        } finally {
            System.setErr(previous);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("an API key is required");
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = run(out, args);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        return text;
    }

    private static int run(ByteArrayOutputStream out, String... args) {
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return Main.execute(args);
        } finally {
            System.setOut(previous);
        }
    }
}
