package dev.sextant.server.comments;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;
import io.javalin.http.Context;
import java.util.List;

/** REST routes for comments. */
public final class CommentApi {
    private final CommentService comments;

    public CommentApi(CommentService comments) {
        this.comments = comments;
    }

    public void register(Routes routes) {
        routes.api("GET /api/comments", Access.READ, "Comments on one item (targetType + targetId), oldest first",
                this::list);
        routes.api("POST /api/comments", Access.EDIT, "Comment on an item or reply to a comment", this::create);
        routes.api("GET /api/comments/recent", Access.READ, "Recent discussion across the project, newest first",
                this::recent);
        routes.api("DELETE /api/comments/{id}", Access.EDIT, "Delete a comment (its author or an admin)", ctx -> {
            comments.delete(Authenticator.project(ctx), ctx.pathParam("id"), Authenticator.principal(ctx));
            ctx.status(204);
        });
    }

    private void list(Context ctx) {
        String type = ctx.queryParam("targetType");
        String id = ctx.queryParam("targetId");
        if (type == null || id == null) {
            throw ApiException.badRequest("targetType and targetId are required");
        }
        ctx.json(new PageOf<>(comments.thread(Authenticator.project(ctx), type, id), null));
    }

    record NewComment(String targetType, String targetId, String parentId, String body) {
    }

    private void create(Context ctx) {
        NewComment request = Requests.json(ctx, NewComment.class);
        ctx.status(201).json(comments.add(Authenticator.project(ctx), request.targetType(), request.targetId(),
                request.parentId(), request.body(), Authenticator.principal(ctx)));
    }

    private void recent(Context ctx) {
        int limit = Requests.limit(ctx);
        List<Comment> page = comments.recent(Authenticator.project(ctx), ctx.queryParam("cursor"), limit + 1);
        String next = page.size() > limit ? page.get(limit - 1).id() : null;
        ctx.json(new PageOf<>(page.subList(0, Math.min(limit, page.size())), next));
    }
}
