package dev.sextant.server.cli;

import dev.sextant.server.Sextant;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.config.SextantConfig;
import dev.sextant.server.demo.DemoContext;
import dev.sextant.server.demo.DemoData;
import dev.sextant.server.demo.DemoSeeders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the server on a fresh data dir with a seeded demo project (works offline).")
final class DemoCommand implements Runnable {
    @Mixin
    ServerOptions options = new ServerOptions();

    @Override
    public void run() {
        SextantConfig config = options.load();
        if (options.dataDir == null) {
            config = config.with(ConfigKey.DATA_DIR, freshDir());
        }
        // The demo brings its own account; the headless first-start settings do not apply.
        config = config.with(ConfigKey.INIT_ADMIN_EMAIL, DemoData.EMAIL)
                .with(ConfigKey.INIT_ADMIN_PASSWORD, DemoData.PASSWORD);
        Sextant sextant = Sextant.start(config);
        try {
            DemoContext demo = new DemoData(DemoSeeders.all()).seed(sextant.services(), sextant.url());
            System.out.println();
            System.out.println("Sextant demo is running.");
            System.out.println("  URL:      " + sextant.url() + "/p/" + demo.project().slug());
            System.out.println("  login:    " + DemoData.EMAIL);
            System.out.println("  password: " + DemoData.PASSWORD);
            System.out.println("  API key:  " + demo.apiKey());
            System.out.println("  data dir: " + config.dataDir().toAbsolutePath());
            System.out.println("Press Ctrl+C to stop.");
        } catch (Exception e) {
            sextant.close();
            throw new IllegalStateException("seeding the demo failed: " + e.getMessage(), e);
        }
        ServeCommand.awaitShutdown(sextant);
    }

    private static String freshDir() {
        try {
            return Files.createTempDirectory("sextant-demo-").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
