package dev.sextant.server.comments;

import java.time.Instant;

/** One comment; {@code parentId} makes threads (a reply to another comment on the same target). */
public record Comment(String id, String projectId, String targetType, String targetId, String parentId,
                      String authorId, String author, String body, Instant createdAt) {
}
