package dev.sextant.server.config;

/**
 * Every configuration key, with its YAML name, environment variable and default. The list is
 * the single source for {@code docs/configuration.md} (a test keeps the two in step).
 */
public enum ConfigKey {
    PORT("port", "7070", "HTTP port the server listens on."),
    HOST("host", "0.0.0.0", "Network interface to bind."),
    DATA_DIR("data-dir", "./data", "Directory for the SQLite database, the master key and other local files."),
    DB_URL("db-url", "", "Database URL. Empty: SQLite file `sextant.db` in the data dir. "
            + "`postgresql://user:pass@host:5432/db` or `jdbc:postgresql://…` selects PostgreSQL; "
            + "`jdbc:sqlite:/path/file.db` selects another SQLite file."),
    DB_POOL_SIZE("db-pool-size", "10", "Maximum connections in the PostgreSQL pool."),
    MAX_BODY_BYTES("max-body-bytes", "10485760", "Largest accepted request body in bytes (larger: 413)."),
    PUBLIC_URL("public-url", "", "External URL of the server, used in printed links; "
            + "an `https://` URL also marks session cookies `Secure`."),
    SESSION_HOURS("session-hours", "168", "Lifetime of a browser login session in hours."),
    JOB_WORKERS("job-workers", "4", "Number of background job workers (virtual threads) in this process."),
    JOB_LEASE_SECONDS("job-lease-seconds", "300", "How long a claimed job is leased to a worker before another may retry it."),
    INGEST_QUEUE_SPANS("ingest-queue-spans", "50000", "Spans that may wait for the trace writer; when the queue "
            + "is full, ingestion answers 429 with Retry-After instead of growing memory."),
    MAX_FIELD_BYTES("max-field-bytes", "65536", "Largest stored size of one span or trace field (input, output, "
            + "attributes, …) in bytes; longer values are cut and end with `…[truncated N bytes]`."),
    INIT_ADMIN_EMAIL("init-admin-email", "", "Headless first start: e-mail of the admin to create."),
    INIT_ADMIN_PASSWORD("init-admin-password", "", "Headless first start: password of that admin."),
    INIT_PROJECT("init-project", "", "Headless first start: name of the project to create."),
    INIT_API_KEY("init-api-key", "", "Headless first start: secret API key to register for that project "
            + "(must start with `sk-sx-` and be at least 32 characters)."),
    MASTER_KEY("master-key", "", "Base64 of 32 random bytes that encrypts provider API keys at rest "
            + "(`openssl rand -base64 32`). Empty: `master.key` in the data dir, created on first start (mode 0600). "
            + "Every server sharing a database needs the same key."),
    SIM_SCRIPT("sim-script", "", "YAML script for the in-process sim provider (docs/sim.md). Empty: the built-in "
            + "support-bot script."),
    MODEL_TIMEOUT_SECONDS("model-timeout-seconds", "60", "Timeout of one model provider request in seconds."),
    MODEL_CONCURRENCY("model-concurrency", "8", "Concurrent requests per project and model provider in this process."),
    MODEL_MAX_ATTEMPTS("model-max-attempts", "4", "Attempts per model call, including retries on 429 and 5xx."),
    WEBHOOK_ALLOW_PRIVATE("webhook-allow-private", "false", "Let alert webhooks call loopback, link-local and "
            + "private network addresses (refused by default: any project member can set a webhook URL)."),
    MONITOR_INTERVAL_SECONDS("monitor-interval-seconds", "10", "How often online evaluation scans new traces, "
            + "alert rules are checked and dashboard rollups are refreshed, in seconds."),
    ONLINE_EVAL_SETTLE_SECONDS("online-eval-settle-seconds", "2", "Online evaluation picks up a trace once it has "
            + "had no new span for this many seconds.");

    private final String yamlName;
    private final String defaultValue;
    private final String description;

    ConfigKey(String yamlName, String defaultValue, String description) {
        this.yamlName = yamlName;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String yamlName() {
        return yamlName;
    }

    public String envName() {
        return "SEXTANT_" + name();
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}
