package dev.sextant.server.comments;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for comments. */
final class CommentStore {
    private final Jdbi jdbi;

    CommentStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        jdbi.registerRowMapper(ConstructorMapper.factory(Comment.class));
    }

    void insert(Comment c) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO comments (id, project_id, target_type, target_id, parent_id, "
                        + "author_id, author, body, created_at) VALUES (:id, :projectId, :targetType, :targetId, "
                        + ":parentId, :authorId, :author, :body, :createdAt)")
                .bindMethods(c).execute());
    }

    Optional<Comment> byId(String projectId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM comments WHERE project_id = :p AND id = :id")
                .bind("p", projectId).bind("id", id).mapTo(Comment.class).findOne());
    }

    List<Comment> forTarget(String projectId, String targetType, String targetId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM comments WHERE project_id = :p AND target_type = :t "
                        + "AND target_id = :id ORDER BY id")
                .bind("p", projectId).bind("t", targetType).bind("id", targetId).mapTo(Comment.class).list());
    }

    /** Newest first; {@code beforeId} is the cursor. */
    List<Comment> recent(String projectId, String beforeId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM comments WHERE project_id = :p "
                        + (beforeId == null ? "" : "AND id < :before ") + "ORDER BY id DESC LIMIT :limit")
                .bind("p", projectId).bind("before", beforeId).bind("limit", limit).mapTo(Comment.class).list());
    }

    int delete(String projectId, String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM comments WHERE project_id = :p AND id = :id")
                .bind("p", projectId).bind("id", id).execute());
    }
}
