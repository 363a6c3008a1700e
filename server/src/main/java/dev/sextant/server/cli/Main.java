package dev.sextant.server.cli;

import dev.sextant.server.Version;
import dev.sextant.server.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sextant} command line. */
@Command(name = "sextant", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Sextant: prompts, traces, evaluations and feedback for LLM features.",
        subcommands = {ServeCommand.class, DemoCommand.class, SimCommand.class, PromptsCommand.class, EvalCommand.class,
                VersionCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this directly). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("sextant: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sextant " + Version.current()};
        }
    }
}
