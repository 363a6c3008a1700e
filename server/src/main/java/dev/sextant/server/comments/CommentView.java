package dev.sextant.server.comments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A comment ready for display: its body as safe HTML and its replies, oldest first. */
public record CommentView(Comment comment, String html, List<CommentView> replies) {

    /** Arranges a target's comments (ordered by id) into threads. */
    public static List<CommentView> threads(List<Comment> comments) {
        Map<String, CommentView> byId = new LinkedHashMap<>();
        List<CommentView> roots = new ArrayList<>();
        for (Comment c : comments) {
            CommentView view = new CommentView(c, Markdown.toSafeHtml(c.body()), new ArrayList<>());
            byId.put(c.id(), view);
            CommentView parent = c.parentId() == null ? null : byId.get(c.parentId());
            if (parent == null) {
                roots.add(view);
            } else {
                parent.replies().add(view);
            }
        }
        return roots;
    }
}
