package dev.sextant.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CliTest {

    @ParameterizedTest
    @ValueSource(strings = {"serve", "demo", "sim", "version"})
    void everyCommandHasHelp(String command) {
        String out = capture(() -> assertThat(Main.execute(command, "--help")).isZero());
        assertThat(out).contains("Usage: sextant " + command);
    }

    @Test
    void serveDocumentsItsOptions() {
        String out = capture(() -> Main.execute("serve", "--help"));
        assertThat(out).contains("--port").contains("--data-dir").contains("--db").contains("SEXTANT_PORT");
    }

    @Test
    void versionPrintsTheVersion() {
        String out = capture(() -> assertThat(Main.execute("version")).isZero());
        assertThat(out).startsWith("sextant ");
    }

    @Test
    void anUnknownCommandFailsWithUsage() {
        assertThat(Main.execute("frobnicate")).isNotZero();
    }

    @Test
    void badConfigurationIsOneLineAndExitCode2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute("serve", "--db", "mysql://root:pw@localhost/x")).isEqualTo(2);
        } finally {
            System.setErr(previous);
        }
    }

    @Test
    void simRejectsABrokenScriptWithExitCode2() throws Exception {
        java.nio.file.Path script = java.nio.file.Files.createTempFile("sim-", ".yaml");
        java.nio.file.Files.writeString(script, "rules:\n  - match: {lastUser: \"(unclosed\"}\n    reply: hi\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute("sim", "--port", "0", "--script", script.toString())).isEqualTo(2);
        } finally {
            System.setErr(previous);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("rules[0]").contains("bad regex");
    }

    private static String capture(Runnable action) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
