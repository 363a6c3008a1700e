package dev.sextant.server.jobs;

import java.time.Instant;

/** A unit of background work, claimed by one worker at a time under a lease. */
public record Job(String id, String kind, String payload, Status status, int attempts, int maxAttempts,
                  Instant runAfter, String leaseOwner, Instant leaseUntil, String lastError, Instant createdAt) {

    public enum Status {
        QUEUED, RUNNING, DONE, FAILED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
