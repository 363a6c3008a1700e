package dev.sextant.server.datasets;

import java.time.Instant;

/** A named, versioned test set in a project; {@code itemCount} is the count at {@code latestVersion}. */
public record Dataset(String id, String projectId, String name, String description, int latestVersion,
                      int itemCount, String createdBy, Instant createdAt, Instant updatedAt) {
}
