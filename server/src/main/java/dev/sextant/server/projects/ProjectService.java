package dev.sextant.server.projects;

import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.auth.Role;
import dev.sextant.server.auth.User;
import dev.sextant.server.db.Ids;
import dev.sextant.server.http.ApiException;
import java.text.Normalizer;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Projects, their settings and their members. */
public final class ProjectService {
    private final Jdbi jdbi;
    private final ProjectStore store;
    private final AuditLog audit;
    private final Clock clock;

    public ProjectService(Jdbi jdbi, ProjectStore store, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    public Project create(String name, User owner, Principal actor) {
        String cleanName = requireName(name);
        return jdbi.inTransaction(h -> {
            String base = slugify(cleanName);
            String slug = base;
            for (int i = 2; store.slugExists(h, slug); i++) {
                slug = base + "-" + i;
            }
            Project project = new Project(Ids.newId(), slug, cleanName, null, clock.instant());
            store.insert(h, project);
            store.upsertMember(h, project.id(), owner.id(), Role.ADMIN);
            audit.record(h, project.id(), actor.actorLabel(), "project.create", "project", project.id(),
                    Map.of("after", Map.of("name", cleanName, "slug", slug)));
            return project;
        });
    }

    public Optional<Project> find(String idOrSlug) {
        return store.byIdOrSlug(idOrSlug);
    }

    public Optional<Project> byId(String id) {
        return store.byId(id);
    }

    public List<Project> projectsFor(User user) {
        return user.instanceAdmin() ? store.all() : store.forUser(user.id());
    }

    /** The user's role in the project; instance admins are admins everywhere. */
    public Optional<Role> roleOf(Project project, User user) {
        Optional<Role> role = store.roleOf(project.id(), user.id());
        return role.isPresent() || !user.instanceAdmin() ? role : Optional.of(Role.ADMIN);
    }

    public Project updateSettings(Project project, String name, Integer retentionDays, Principal actor) {
        String cleanName = requireName(name);
        if (retentionDays != null && (retentionDays < 1 || retentionDays > 36_500)) {
            throw ApiException.invalid("retention must be between 1 and 36500 days, or empty to keep forever");
        }
        jdbi.useTransaction(h -> {
            store.updateSettings(h, project.id(), cleanName, retentionDays);
            Map<String, Object> before = new HashMap<>();
            before.put("name", project.name());
            before.put("retentionDays", project.retentionDays());
            Map<String, Object> after = new HashMap<>();
            after.put("name", cleanName);
            after.put("retentionDays", retentionDays);
            audit.record(h, project.id(), actor.actorLabel(), "project.update", "project", project.id(),
                    Map.of("before", before, "after", after));
        });
        return store.byId(project.id()).orElseThrow();
    }

    public List<Member> members(Project project) {
        return store.members(project.id());
    }

    public void setMember(Project project, User user, Role role, Principal actor) {
        jdbi.useTransaction(h -> {
            Optional<Member> before = store.members(h, project.id()).stream()
                    .filter(m -> m.userId().equals(user.id())).findFirst();
            if (before.isPresent() && before.get().role() == Role.ADMIN && role != Role.ADMIN) {
                requireAnotherAdmin(h, project, user.id());
            }
            store.upsertMember(h, project.id(), user.id(), role);
            audit.record(h, project.id(), actor.actorLabel(), before.isPresent() ? "member.update" : "member.add",
                    "user", user.id(), Map.of("before", before.map(m -> Map.of("role", m.role().id())).orElse(Map.of()),
                            "after", Map.of("email", user.email(), "role", role.id())));
        });
    }

    public void removeMember(Project project, String userId, Principal actor) {
        jdbi.useTransaction(h -> {
            Member member = store.members(h, project.id()).stream().filter(m -> m.userId().equals(userId))
                    .findFirst().orElseThrow(() -> ApiException.notFound("member " + userId));
            if (member.role() == Role.ADMIN) {
                requireAnotherAdmin(h, project, userId);
            }
            store.removeMember(h, project.id(), userId);
            audit.record(h, project.id(), actor.actorLabel(), "member.remove", "user", userId,
                    Map.of("before", Map.of("email", member.email(), "role", member.role().id())));
        });
    }

    private void requireAnotherAdmin(org.jdbi.v3.core.Handle h, Project project, String leavingUserId) {
        boolean another = store.members(h, project.id()).stream()
                .anyMatch(m -> m.role() == Role.ADMIN && !m.userId().equals(leavingUserId));
        if (!another) {
            throw ApiException.conflict("a project needs at least one admin");
        }
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.invalid("a project name is required");
        }
        if (name.trim().length() > 100) {
            throw ApiException.invalid("project names have at most 100 characters");
        }
        return name.trim();
    }

    static String slugify(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        if (slug.isEmpty()) {
            slug = "project";
        }
        return slug.length() > 48 ? slug.substring(0, 48) : slug;
    }
}
