package dev.sextant.sdk;

/**
 * Raised only where the application asked for something it needs and cannot get (a prompt that
 * is neither on the server, in the cache nor bundled; a dataset; an experiment that cannot run).
 * Telemetry and feedback never raise.
 */
public final class SextantException extends RuntimeException {
    public SextantException(String message) {
        super(message);
    }

    public SextantException(String message, Throwable cause) {
        super(message, cause);
    }
}
