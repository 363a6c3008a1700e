package dev.sextant.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** Resolved configuration of one server process (flags > environment > sextant.yaml > defaults). */
public final class SextantConfig {
    private final Map<ConfigKey, String> values;

    SextantConfig(Map<ConfigKey, String> values) {
        this.values = new EnumMap<>(values);
    }

    /** Defaults only, with selected overrides: handy for tests and the demo. */
    public static SextantConfig of(Map<ConfigKey, String> overrides) {
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            values.put(key, key.defaultValue());
        }
        values.putAll(overrides);
        return new SextantConfig(values);
    }

    public SextantConfig with(ConfigKey key, String value) {
        Map<ConfigKey, String> copy = new EnumMap<>(values);
        copy.put(key, value);
        return new SextantConfig(copy);
    }

    public String get(ConfigKey key) {
        return values.get(key);
    }

    public int port() {
        return intValue(ConfigKey.PORT);
    }

    public String host() {
        return get(ConfigKey.HOST);
    }

    public Path dataDir() {
        return Path.of(get(ConfigKey.DATA_DIR));
    }

    public String dbUrl() {
        return get(ConfigKey.DB_URL);
    }

    public int dbPoolSize() {
        return intValue(ConfigKey.DB_POOL_SIZE);
    }

    public long maxBodyBytes() {
        return longValue(ConfigKey.MAX_BODY_BYTES);
    }

    public String publicUrl() {
        return get(ConfigKey.PUBLIC_URL);
    }

    public boolean secureCookies() {
        return publicUrl().startsWith("https://");
    }

    public Duration sessionLifetime() {
        return Duration.ofHours(longValue(ConfigKey.SESSION_HOURS));
    }

    public int jobWorkers() {
        return intValue(ConfigKey.JOB_WORKERS);
    }

    public Duration jobLease() {
        return Duration.ofSeconds(longValue(ConfigKey.JOB_LEASE_SECONDS));
    }

    public int ingestQueueSpans() {
        return intValue(ConfigKey.INGEST_QUEUE_SPANS);
    }

    public int maxFieldBytes() {
        return intValue(ConfigKey.MAX_FIELD_BYTES);
    }

    public int intValue(ConfigKey key) {
        return (int) longValue(key);
    }

    /** {@code true} or {@code false}, in any case. */
    public boolean bool(ConfigKey key) {
        String raw = get(key).trim();
        if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(raw);
        }
        throw new ConfigException(key.yamlName() + " must be true or false, got '" + raw + "'");
    }

    public long longValue(ConfigKey key) {
        String raw = get(key);
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key.yamlName() + " must be a whole number, got '" + raw + "'");
        }
    }
}
