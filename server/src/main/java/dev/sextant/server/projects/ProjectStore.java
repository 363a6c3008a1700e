package dev.sextant.server.projects;

import dev.sextant.server.auth.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for projects and memberships. */
public final class ProjectStore {
    private final Jdbi jdbi;

    public ProjectStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        jdbi.registerRowMapper(ConstructorMapper.factory(Project.class));
    }

    public void insert(Handle h, Project project) {
        h.createUpdate("INSERT INTO projects (id, slug, name, retention_days, created_at) "
                        + "VALUES (:id, :slug, :name, :retentionDays, :createdAt)")
                .bindMethods(project)
                .execute();
    }

    public Optional<Project> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM projects WHERE id = :id")
                .bind("id", id).mapTo(Project.class).findOne());
    }

    /** Looks a project up by id or by slug (both appear in URLs). */
    public Optional<Project> byIdOrSlug(String idOrSlug) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM projects WHERE id = :v OR slug = :v")
                .bind("v", idOrSlug).mapTo(Project.class).findFirst());
    }

    public boolean slugExists(Handle h, String slug) {
        return h.createQuery("SELECT COUNT(*) FROM projects WHERE slug = :slug")
                .bind("slug", slug).mapTo(Integer.class).one() > 0;
    }

    public List<Project> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM projects ORDER BY name")
                .mapTo(Project.class).list());
    }

    public List<Project> forUser(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT p.* FROM projects p JOIN memberships m "
                        + "ON m.project_id = p.id WHERE m.user_id = :u ORDER BY p.name")
                .bind("u", userId).mapTo(Project.class).list());
    }

    public void updateSettings(Handle h, String projectId, String name, Integer retentionDays) {
        h.createUpdate("UPDATE projects SET name = :name, retention_days = :days WHERE id = :id")
                .bind("id", projectId).bind("name", name).bind("days", retentionDays).execute();
    }

    public Optional<Role> roleOf(String projectId, String userId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT role FROM memberships WHERE project_id = :p AND user_id = :u")
                .bind("p", projectId).bind("u", userId).mapTo(String.class).findOne().map(Role::parse));
    }

    public void upsertMember(Handle h, String projectId, String userId, Role role) {
        int updated = h.createUpdate("UPDATE memberships SET role = :role WHERE project_id = :p AND user_id = :u")
                .bind("p", projectId).bind("u", userId).bind("role", role.id()).execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO memberships (project_id, user_id, role, created_at) "
                            + "VALUES (:p, :u, :role, :now)")
                    .bind("p", projectId).bind("u", userId).bind("role", role.id())
                    .bind("now", Instant.now()).execute();
        }
    }

    public int removeMember(Handle h, String projectId, String userId) {
        return h.createUpdate("DELETE FROM memberships WHERE project_id = :p AND user_id = :u")
                .bind("p", projectId).bind("u", userId).execute();
    }

    public List<Member> members(String projectId) {
        return jdbi.withHandle(h -> members(h, projectId));
    }

    public List<Member> members(Handle h, String projectId) {
        return h.createQuery("SELECT u.id AS user_id, u.email, u.name, m.role, m.created_at FROM memberships m "
                        + "JOIN users u ON u.id = m.user_id WHERE m.project_id = :p ORDER BY u.email")
                .bind("p", projectId)
                .map((rs, ctx) -> new Member(rs.getString("user_id"), rs.getString("email"), rs.getString("name"),
                        Role.parse(rs.getString("role")), Instant.ofEpochMilli(rs.getLong("created_at"))))
                .list();
    }
}
