package dev.sextant.server.cli;

import dev.sextant.server.Version;
import picocli.CommandLine.Command;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version and exit.")
final class VersionCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("sextant " + Version.current() + " (Java " + Runtime.version() + ")");
    }
}
