package dev.sextant.server.jobs;

/** Does the work of one job kind. Throwing marks the attempt failed; it is retried with backoff. */
@FunctionalInterface
public interface JobHandler {
    void handle(Job job) throws Exception;
}
