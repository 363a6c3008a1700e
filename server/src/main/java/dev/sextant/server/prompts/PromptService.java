package dev.sextant.server.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.auth.Role;
import dev.sextant.server.db.Ids;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.projects.Project;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.Jdbi;

/**
 * The prompt registry's rules: versions are immutable and deduplicated against the latest one,
 * labels deploy versions (production only by engineers and admins), every change is audited.
 * Serving is cached in memory for a short TTL and invalidated on local writes, so other processes
 * sharing the database see a change within that TTL.
 */
public final class PromptService {
    public static final String PRODUCTION = "production";
    public static final String LATEST = "latest";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,49}");
    /** Words the API and pages use after a prompt name in their routes; a name may not end with one of them. */
    private static final Set<String> RESERVED_LAST_SEGMENTS = Set.of("versions", "render", "diff", "edit");
    private static final int MAX_NAME = 200;

    private final Jdbi jdbi;
    private final PromptStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final Cache<CacheKey, Served> served;

    public PromptService(Jdbi jdbi, AuditLog audit, Clock clock, Duration cacheTtl) {
        this.jdbi = jdbi;
        this.store = new PromptStore(jdbi);
        this.audit = audit;
        this.clock = clock;
        this.served = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(10_000).build();
    }

    /** What {@code POST /api/prompts} asks for. */
    public record NewVersion(String name, PromptContent content, String commitMessage, List<String> labels) {
    }

    /** The resulting version and whether it is new (false: the content equals the latest version). */
    public record Saved(PromptVersion version, boolean created) {
    }

    /** A served version with its JSON and ETag, ready to send. */
    public record Served(PromptVersion version, byte[] json, String etag) {
    }

    /** {@code POST /render}'s answer: messages for chat prompts, text for text prompts. */
    public record RenderedPrompt(String name, int version, List<PromptMessage> messages, String text,
                                 ModelConfig model, List<ToolDefinition> tools) {
    }

    public Saved save(Project project, Principal actor, NewVersion request) {
        String name = requireName(request.name());
        PromptContent content = request.content().validated();
        String hash = content.hash();
        String message = request.commitMessage() == null ? "" : request.commitMessage().trim();
        if (message.length() > 1000) {
            throw ApiException.invalid("commitMessage must have at most 1000 characters");
        }
        List<String> labels = request.labels() == null ? List.of() : request.labels().stream().map(PromptService::requireLabel)
                .distinct().toList();
        Saved saved = writing(h -> {
            Instant now = clock.instant();
            PromptStore.PromptRow prompt = store.find(h, project.id(), name).orElse(null);
            int version;
            boolean created;
            if (prompt == null) {
                prompt = new PromptStore.PromptRow(Ids.newId(), project.id(), name, 1, now, now);
                store.insertPrompt(h, prompt);
                version = 1;
                created = true;
            } else {
                int latest = store.lockLatest(h, prompt.id());
                created = !store.version(h, prompt.id(), latest).orElseThrow().contentHash().equals(hash);
                version = created ? latest + 1 : latest;
                if (created) {
                    store.setLatest(h, prompt.id(), version, now);
                }
            }
            if (created) {
                // Stored as given so that key order survives into .prompt files; only the hash is canonical.
                store.insertVersion(h, new PromptStore.VersionRow(prompt.id(), version, Json.write(content), hash,
                        message, actor.actorLabel(), now));
                audit.record(h, project.id(), actor.actorLabel(), "prompt.version.create", "prompt", prompt.id(),
                        Map.of("name", name, "version", version, "commitMessage", message, "contentHash", hash));
            }
            for (String label : labels) {
                deploy(h, project, actor, prompt, label, version, now);
            }
            return new Saved(versionOf(h, prompt, version), created);
        });
        invalidate(project, name);
        return saved;
    }

    /** Points {@code label} at {@code version}: a deploy (or a rollback), written to the audit log. */
    public PromptVersion moveLabel(Project project, Principal actor, String name, String label, Integer version) {
        String cleanLabel = requireLabel(label);
        if (version == null) {
            throw ApiException.invalid("version is required, e.g. {\"version\": 3}");
        }
        PromptVersion result = writing(h -> {
            PromptStore.PromptRow prompt = prompt(h, project, name);
            if (store.version(h, prompt.id(), version).isEmpty()) {
                throw ApiException.notFound("version " + version + " of prompt " + name);
            }
            deploy(h, project, actor, prompt, cleanLabel, version, clock.instant());
            return versionOf(h, prompt, version);
        });
        invalidate(project, name);
        return result;
    }

    /**
     * Runs a write transaction, once more if it lost a race to create the same prompt or label
     * (possible on PostgreSQL; SQLite write transactions are exclusive): the retry sees the winner's row.
     */
    private <T> T writing(HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.inTransaction(work);
        } catch (StatementException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            return jdbi.inTransaction(work);
        }
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("23505".equals(sql.getSQLState())
                    || String.valueOf(sql.getMessage()).contains("UNIQUE constraint failed"))) {
                return true;
            }
        }
        return false;
    }

    private void deploy(Handle h, Project project, Principal actor, PromptStore.PromptRow prompt, String label,
                        int version, Instant now) {
        Integer before = store.labels(h, prompt.id()).get(label);
        if (before != null && before == version) {
            return;
        }
        if (label.equals(PRODUCTION) && (actor.role() == null || !actor.role().atLeast(Role.ENGINEER))) {
            throw ApiException.forbidden("moving the production label needs the engineer or admin role");
        }
        store.putLabel(h, prompt.id(), label, version, actor.actorLabel(), now);
        store.touch(h, prompt.id(), now);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("name", prompt.name());
        summary.put("label", label);
        summary.put("before", before == null ? Map.of() : Map.of("version", before));
        summary.put("after", Map.of("version", version));
        audit.record(h, project.id(), actor.actorLabel(), "prompt.deploy", "prompt", prompt.id(), summary);
    }

    /** The version a label (default {@code latest}) or version number selects, cached for serving. */
    public Served serve(Project project, String name, String label, Integer version) {
        if (label != null && version != null) {
            throw ApiException.badRequest("give label or version, not both");
        }
        String selector = version != null ? "v" + version : "l" + (label == null || label.isBlank() ? LATEST : label);
        return served.get(new CacheKey(project.id(), name, selector), key -> load(project, name, label, version));
    }

    public PromptVersion get(Project project, String name, String label, Integer version) {
        return serve(project, name, label, version).version();
    }

    private Served load(Project project, String name, String label, Integer version) {
        PromptVersion resolved = jdbi.inTransaction(h -> {
            PromptStore.PromptRow prompt = prompt(h, project, name);
            int number;
            if (version != null) {
                number = version;
            } else if (label == null || label.isBlank() || label.equals(LATEST)) {
                number = prompt.latestVersion();
            } else {
                Integer labelled = store.labels(h, prompt.id()).get(label);
                if (labelled == null) {
                    throw ApiException.notFound("label " + label + " of prompt " + name);
                }
                number = labelled;
            }
            return versionOf(h, prompt, number);
        });
        try {
            byte[] json = Json.mapper().writeValueAsBytes(resolved);
            return new Served(resolved, json, "\"" + PromptContent.sha256(json).substring(0, 32) + "\"");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private PromptVersion versionOf(Handle h, PromptStore.PromptRow prompt, int number) {
        PromptStore.VersionRow row = store.version(h, prompt.id(), number)
                .orElseThrow(() -> ApiException.notFound("version " + number + " of prompt " + prompt.name()));
        return toVersion(prompt.name(), row, store.labels(h, prompt.id()));
    }

    private static PromptVersion toVersion(String name, PromptStore.VersionRow row, Map<String, Integer> labels) {
        List<String> here = labels.entrySet().stream().filter(e -> e.getValue() == row.version())
                .map(Map.Entry::getKey).toList();
        return PromptVersion.of(name, row, Json.read(row.content(), PromptContent.class), here);
    }

    public RenderedPrompt render(Project project, String name, String label, Integer version,
                                 Map<String, Object> variables) {
        PromptVersion v = get(project, name, label, version);
        PromptContent.Rendered rendered = v.content().render(variables == null ? Map.of() : variables);
        return new RenderedPrompt(v.name(), v.version(), rendered.messages(), rendered.text(), v.model(), v.tools());
    }

    public PageOf<PromptSummary> list(Project project, String q, String cursor, int limit) {
        String query = q == null || q.isBlank() ? null : q.trim();
        List<PromptSummary> rows = store.list(project.id(), query, cursor, limit + 1);
        List<PromptSummary> page = rows.subList(0, Math.min(limit, rows.size()));
        return new PageOf<>(List.copyOf(page), rows.size() > limit ? page.getLast().name() : null);
    }

    public PageOf<PromptVersion> versions(Project project, String name, String cursor, int limit) {
        Integer before = cursor == null || cursor.isBlank() ? null : parseVersion(cursor, "cursor");
        return jdbi.inTransaction(h -> {
            PromptStore.PromptRow prompt = prompt(h, project, name);
            Map<String, Integer> labels = store.labels(h, prompt.id());
            List<PromptStore.VersionRow> rows = store.versions(h, prompt.id(), before, limit + 1);
            List<PromptVersion> data = rows.stream().limit(limit).map(r -> toVersion(name, r, labels)).toList();
            return new PageOf<>(data, rows.size() > limit ? Integer.toString(data.getLast().version()) : null);
        });
    }

    public boolean exists(Project project, String name) {
        return jdbi.withHandle(h -> store.find(h, project.id(), name).isPresent());
    }

    /** Label → version for one prompt. */
    public Map<String, Integer> labels(Project project, String name) {
        return jdbi.inTransaction(h -> store.labels(h, prompt(h, project, name).id()));
    }

    public PromptDiff diff(Project project, String name, Integer from, Integer to) {
        if (from == null || to == null) {
            throw ApiException.badRequest("give both versions to compare: ?from=1&to=2");
        }
        return PromptDiff.between(name, get(project, name, null, from), get(project, name, null, to));
    }

    private PromptStore.PromptRow prompt(Handle h, Project project, String name) {
        return store.find(h, project.id(), name).orElseThrow(() -> ApiException.notFound("prompt " + name));
    }

    private void invalidate(Project project, String name) {
        served.asMap().keySet().removeIf(k -> k.projectId().equals(project.id()) && k.name().equals(name));
    }

    /** Parses a version number from a query parameter. */
    public static int parseVersion(String raw, String field) {
        try {
            int v = Integer.parseInt(raw.trim());
            if (v < 1) {
                throw ApiException.badRequest(field + " must be a version number (1, 2, …)");
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(field + " must be a version number (1, 2, …)");
        }
    }

    /** Names are path-like: segments of letters, digits, '.', '_' and '-' separated by '/'. */
    public static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.invalid("name is required, e.g. \"support/answer\"");
        }
        if (name.length() > MAX_NAME) {
            throw ApiException.invalid("name must have at most " + MAX_NAME + " characters");
        }
        String[] segments = name.split("/", -1);
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw ApiException.invalid("name must be segments of letters, digits, '.', '_' or '-' separated by "
                        + "'/', each starting with a letter or digit, e.g. \"support/answer\"");
            }
        }
        if (RESERVED_LAST_SEGMENTS.contains(segments[segments.length - 1])) {
            throw ApiException.invalid("a prompt name cannot end with '" + segments[segments.length - 1]
                    + "': the API uses that word after names");
        }
        return name;
    }

    static String requireLabel(String label) {
        if (label == null || !LABEL.matcher(label).matches()) {
            throw ApiException.invalid("labels are 1-50 lowercase letters, digits, '.', '_' or '-', e.g. \"staging\"");
        }
        if (label.equals(LATEST)) {
            throw ApiException.invalid("'latest' always means the newest version and cannot be moved");
        }
        return label;
    }

    private record CacheKey(String projectId, String name, String selector) {
    }
}
