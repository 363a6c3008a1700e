package dev.sextant.server.cli;

import dev.sextant.server.Sextant;
import dev.sextant.server.auth.InitialSetup;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the Sextant server (API, web UI, ingestion and background jobs).")
final class ServeCommand implements Runnable {
    @Mixin
    ServerOptions options = new ServerOptions();

    @Override
    public void run() {
        Sextant sextant = Sextant.start(options.load());
        sextant.initialSetup().ifPresent(outcome -> printSetup(sextant, outcome));
        System.out.println("Sextant is running at " + sextant.url() + "  (Ctrl+C to stop)");
        awaitShutdown(sextant);
    }

    private static void printSetup(Sextant sextant, InitialSetup.Outcome outcome) {
        if (outcome.generatedPassword() != null) {
            System.out.println();
            System.out.println("First start: created the admin account (shown only this once).");
            System.out.println("  login:    " + outcome.admin().email());
            System.out.println("  password: " + outcome.generatedPassword());
            System.out.println();
        }
    }

    static void awaitShutdown(Sextant sextant) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sextant.close();
            stopped.countDown();
        }, "sextant-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
