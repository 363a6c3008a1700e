package dev.sextant.server.comments;

import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Routes;
import dev.sextant.server.projects.Project;
import dev.sextant.server.web.PageContext;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The comment thread fragment that item pages load with htmx
 * ({@code hx-get="/p/{project}/comments?targetType=trace&targetId=…"}), and the project-wide
 * "recent discussion" page.
 */
public final class CommentPages {
    private static final int RECENT_PAGE = 50;

    private final CommentService comments;
    private final Views views;

    public CommentPages(CommentService comments, Views views) {
        this.comments = comments;
        this.views = views;
    }

    public void register(Routes routes) {
        routes.page("GET /p/{project}/comments", Access.READ, ctx -> thread(ctx, null));
        routes.page("POST /p/{project}/comments", Access.EDIT, this::add);
        routes.page("GET /p/{project}/discussion", Access.READ, this::recent);
    }

    private void thread(Context ctx, String error) {
        String type = ctx.queryParam("targetType") != null ? ctx.queryParam("targetType") : ctx.formParam("targetType");
        String id = ctx.queryParam("targetId") != null ? ctx.queryParam("targetId") : ctx.formParam("targetId");
        if (type == null || id == null) {
            throw ApiException.badRequest("targetType and targetId are required");
        }
        Map<String, Object> params = new HashMap<>();
        params.put("page", views.context(ctx, "Comments", PageContext.Section.NONE));
        params.put("targetType", type);
        params.put("targetId", id);
        params.put("threads", CommentView.threads(comments.thread(Authenticator.project(ctx), type, id)));
        params.put("error", error);
        ctx.html(views.render("comments/thread.jte", params));
    }

    private void add(Context ctx) {
        try {
            String parent = ctx.formParam("parentId");
            comments.add(Authenticator.project(ctx), ctx.formParam("targetType"), ctx.formParam("targetId"),
                    parent == null || parent.isBlank() ? null : parent, ctx.formParam("body"),
                    Authenticator.principal(ctx));
            thread(ctx, null);
        } catch (ApiException e) {
            ctx.status(e.status());
            thread(ctx, e.getMessage());
        }
    }

    /** One row of the discussion page: the comment and a link to what it is about. */
    public record RecentComment(Comment comment, String html, String link) {
    }

    private void recent(Context ctx) {
        Project project = Authenticator.project(ctx);
        List<Comment> page = comments.recent(project, ctx.queryParam("cursor"), RECENT_PAGE + 1);
        List<RecentComment> rows = page.subList(0, Math.min(RECENT_PAGE, page.size())).stream()
                .map(c -> new RecentComment(c, Markdown.toSafeHtml(c.body()),
                        comments.targets().link(c.targetType(), project.slug(), c.targetId())))
                .toList();
        Map<String, Object> params = new HashMap<>();
        params.put("rows", rows);
        params.put("nextCursor", page.size() > RECENT_PAGE ? page.get(RECENT_PAGE - 1).id() : null);
        views.page(ctx, "comments/recent.jte", "Discussion", PageContext.Section.REVIEW, params);
    }
}
