package dev.sextant.server.projects;

import java.time.Instant;

/** A project: the unit of isolation for data, members and keys. */
public record Project(String id, String slug, String name, Integer retentionDays, Instant createdAt) {
}
