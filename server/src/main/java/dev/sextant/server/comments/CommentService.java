package dev.sextant.server.comments;

import dev.sextant.server.auth.Principal;
import dev.sextant.server.auth.Role;
import dev.sextant.server.db.Ids;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.projects.Project;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Rules for comments: targets must exist in the project, replies stay on their thread's target. */
public final class CommentService {
    static final int MAX_BODY = 20_000;

    private final CommentStore store;
    private final CommentTargets targets;
    private final Clock clock;

    public CommentService(Jdbi jdbi, CommentTargets targets, Clock clock) {
        this.store = new CommentStore(jdbi);
        this.targets = targets;
        this.clock = clock;
    }

    public Comment add(Project project, String targetType, String targetId, String parentId, String body,
                       Principal author) {
        if (targetType == null || !targets.known(targetType)) {
            throw ApiException.invalid("targetType must be one of " + targets.types());
        }
        if (targetId == null || targetId.isBlank() || !targets.exists(targetType, project.id(), targetId)) {
            throw ApiException.notFound(targetType + " " + targetId);
        }
        if (body == null || body.isBlank()) {
            throw ApiException.invalid("a comment needs some text");
        }
        if (body.length() > MAX_BODY) {
            throw ApiException.invalid("comments have at most " + MAX_BODY + " characters");
        }
        if (parentId != null) {
            Comment parent = store.byId(project.id(), parentId)
                    .orElseThrow(() -> ApiException.notFound("comment " + parentId));
            if (!parent.targetType().equals(targetType) || !parent.targetId().equals(targetId)) {
                throw ApiException.invalid("a reply must be on the same item as the comment it answers");
            }
        }
        Comment comment = new Comment(Ids.newId(), project.id(), targetType, targetId, parentId, author.userId(),
                author.actorLabel(), body.strip(), clock.instant());
        store.insert(comment);
        return comment;
    }

    public List<Comment> thread(Project project, String targetType, String targetId) {
        return store.forTarget(project.id(), targetType, targetId);
    }

    public List<Comment> recent(Project project, String cursor, int limit) {
        return store.recent(project.id(), cursor, limit);
    }

    /** Authors delete their own comments; admins any. */
    public void delete(Project project, String id, Principal actor) {
        Comment comment = store.byId(project.id(), id).orElseThrow(() -> ApiException.notFound("comment " + id));
        boolean own = actor.userId() != null && actor.userId().equals(comment.authorId());
        if (!own && (actor.role() == null || !actor.role().atLeast(Role.ADMIN))) {
            throw ApiException.forbidden("only the author or an admin can delete a comment");
        }
        store.delete(project.id(), id);
    }

    public CommentTargets targets() {
        return targets;
    }
}
