package dev.sextant.server.datasets;

import java.time.Instant;

/** One entry of a dataset's history: who changed what, and how many items the version holds. */
public record DatasetVersion(int version, String change, String note, int added, int edited, int deleted,
                             int itemCount, String createdBy, Instant createdAt) {
}
