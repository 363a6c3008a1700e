package dev.sextant.server.config;

/** Invalid configuration: reported to the operator in one line, never as a stack trace. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
