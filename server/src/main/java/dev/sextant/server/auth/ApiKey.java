package dev.sextant.server.auth;

import java.time.Instant;

/** A project API key as listed (never the key itself, which is shown once at creation). */
public record ApiKey(String id, String projectId, Kind kind, String name, String displayPrefix, String createdBy,
                     Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

    public enum Kind {
        /** Full API for the project. */
        SECRET("sk-sx-"),
        /** Ingestion and feedback only: safe to ship inside a browser app. */
        PUBLIC("pk-sx-");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
