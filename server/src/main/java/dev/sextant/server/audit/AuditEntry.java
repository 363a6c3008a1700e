package dev.sextant.server.audit;

import java.time.Instant;

/** One recorded change: who did what to which object, with a before/after summary. */
public record AuditEntry(String id, String projectId, String actor, String action, String targetType,
                         String targetId, String summary, Instant createdAt) {
}
