package dev.sextant.server.cli;

import dev.sextant.server.config.ConfigException;
import dev.sextant.server.prompts.PromptSync;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sextant prompts pull|push}: sync a folder of .prompt files with a server. */
@Command(name = "prompts", mixinStandardHelpOptions = true,
        description = "Sync a folder of .prompt files with a Sextant server (see docs/prompts.md).",
        subcommands = {PromptsCommand.Pull.class, PromptsCommand.Push.class})
final class PromptsCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    static final class Connection {
        @Option(names = "--dir", defaultValue = ".", description = "Folder of .prompt files (default: current).")
        Path dir;

        @Option(names = "--server", defaultValue = "${env:SEXTANT_URL:-http://localhost:7070}",
                description = "Server URL (env SEXTANT_URL; default ${DEFAULT-VALUE}).")
        String server;

        @Option(names = "--api-key", defaultValue = "${env:SEXTANT_API_KEY}",
                description = "Secret API key of the project (env SEXTANT_API_KEY).")
        String apiKey;

        PromptSync sync() {
            if (apiKey == null || apiKey.isBlank()) {
                throw new ConfigException("an API key is required: --api-key or SEXTANT_API_KEY");
            }
            return new PromptSync(server, apiKey, new PrintWriter(System.out, true, StandardCharsets.UTF_8));
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = "Write every prompt of the project to <dir>/<name>.prompt.")
    static final class Pull implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Option(names = "--label", description = "Pull the version this label points at (default: latest).")
        String label;

        @Override
        public Integer call() throws Exception {
            PromptSync sync = connection.sync();
            Files.createDirectories(connection.dir);
            PromptSync.Outcome outcome = sync.pull(connection.dir, label);
            System.out.printf("%d pulled, %d unchanged, %d failed%n", outcome.changed(), outcome.unchanged(),
                    outcome.failed());
            return outcome.failed() == 0 ? 0 : 1;
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Save every <dir>/**/*.prompt as a prompt version; unchanged files create no version.")
    static final class Push implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Option(names = {"-m", "--message"}, defaultValue = "pushed from .prompt files",
                description = "Commit message of the new versions (default: ${DEFAULT-VALUE}).")
        String message;

        @Override
        public Integer call() {
            PromptSync.Outcome outcome = connection.sync().push(connection.dir, message);
            System.out.printf("%d pushed, %d unchanged, %d failed%n", outcome.changed(), outcome.unchanged(),
                    outcome.failed());
            return outcome.failed() == 0 ? 0 : 1;
        }
    }
}
