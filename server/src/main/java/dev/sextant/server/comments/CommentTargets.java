package dev.sextant.server.comments;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * The kinds of things that can be discussed, each with a check that an id exists in a project.
 * Features register their kinds in the composition root (traces, spans, prompt versions,
 * experiment items); comments on anything else are refused.
 */
public final class CommentTargets {
    private final Map<String, BiPredicate<String, String>> exists = new TreeMap<>();
    private final Map<String, LinkBuilder> links = new TreeMap<>();

    /** Builds the UI link of a target: (project slug, target id) → path. */
    @FunctionalInterface
    public interface LinkBuilder {
        String link(String projectSlug, String targetId);
    }

    /**
     * @param existsInProject (projectId, targetId) → whether the target exists in that project
     */
    public CommentTargets register(String type, BiPredicate<String, String> existsInProject, LinkBuilder link) {
        exists.put(type, existsInProject);
        links.put(type, link);
        return this;
    }

    public Set<String> types() {
        return exists.keySet();
    }

    boolean known(String type) {
        return exists.containsKey(type);
    }

    boolean exists(String type, String projectId, String targetId) {
        return exists.get(type).test(projectId, targetId);
    }

    public String link(String type, String projectSlug, String targetId) {
        LinkBuilder builder = links.get(type);
        return builder == null ? null : builder.link(projectSlug, targetId);
    }
}
