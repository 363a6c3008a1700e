package dev.sextant.server.cli;

import dev.sextant.server.config.ConfigException;
import dev.sextant.server.models.sim.SimScript;
import dev.sextant.server.models.sim.SimServer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Run the sim provider: an OpenAI-compatible /v1/chat/completions server with scripted, "
                + "deterministic replies, latency and injected faults (see docs/sim.md).")
final class SimCommand implements Runnable {
    @Option(names = "--port", defaultValue = "7071", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--script", description = "YAML script; default: the built-in support-bot script.")
    Path script;

    @Override
    public void run() {
        SimScript loaded;
        try {
            loaded = script == null ? SimScript.builtIn() : SimScript.load(script);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        SimServer sim = SimServer.start(loaded, host, port);
        System.out.println("Sextant sim is running: base URL http://" + host + ":" + sim.port() + "/v1"
                + "  (POST /v1/chat/completions; Ctrl+C to stop)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "sextant-sim-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
