package dev.sextant.server.cli;

import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.config.ConfigLoader;
import dev.sextant.server.config.SextantConfig;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by {@code serve} and {@code demo}; unset flags fall through to env, YAML and defaults. */
final class ServerOptions {
    @Option(names = "--port", description = "HTTP port (default 7070; env SEXTANT_PORT).")
    Integer port;

    @Option(names = "--data-dir", description = "Data directory (default ./data; env SEXTANT_DATA_DIR).")
    Path dataDir;

    @Option(names = "--db", description = "Database URL: empty for SQLite in the data dir, postgresql://… "
            + "or jdbc:postgresql://… for PostgreSQL (env SEXTANT_DB_URL).")
    String db;

    @Option(names = "--config", description = "YAML config file (default ./sextant.yaml if present).")
    Path configFile;

    SextantConfig load() {
        Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        if (port != null) {
            flags.put(ConfigKey.PORT, port.toString());
        }
        if (dataDir != null) {
            flags.put(ConfigKey.DATA_DIR, dataDir.toString());
        }
        if (db != null) {
            flags.put(ConfigKey.DB_URL, db);
        }
        Path file = configFile != null ? configFile : Path.of(ConfigLoader.DEFAULT_FILE);
        return ConfigLoader.load(flags, System.getenv(), file, configFile != null);
    }
}
