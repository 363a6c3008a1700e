package dev.sextant.server.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for users, browser sessions and failed logins. */
final class UserStore {
    private final Jdbi jdbi;

    UserStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        jdbi.registerRowMapper(ConstructorMapper.factory(User.class));
    }

    void insert(Handle h, User user, String passwordHash) {
        h.createUpdate("INSERT INTO users (id, email, name, password_hash, instance_admin, created_at) "
                        + "VALUES (:id, :email, :name, :hash, :admin, :createdAt)")
                .bind("id", user.id()).bind("email", user.email()).bind("name", user.name())
                .bind("hash", passwordHash).bind("admin", user.instanceAdmin()).bind("createdAt", user.createdAt())
                .execute();
    }

    Optional<User> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, email, name, instance_admin, created_at FROM users "
                + "WHERE id = :id").bind("id", id).mapTo(User.class).findOne());
    }

    Optional<User> byEmail(Handle h, String email) {
        return h.createQuery("SELECT id, email, name, instance_admin, created_at FROM users WHERE email = :e")
                .bind("e", email).mapTo(User.class).findOne();
    }

    Optional<String> passwordHash(String email) {
        return jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM users WHERE email = :e")
                .bind("e", email).mapTo(String.class).findOne());
    }

    void updatePassword(Handle h, String userId, String hash) {
        h.createUpdate("UPDATE users SET password_hash = :hash WHERE id = :id")
                .bind("id", userId).bind("hash", hash).execute();
    }

    int count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Integer.class).one());
    }

    List<User> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, email, name, instance_admin, created_at FROM users "
                + "ORDER BY email").mapTo(User.class).list());
    }

    void insertSession(String tokenHash, String userId, String csrf, Instant now, Instant expires) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
                        + "expires_at) VALUES (:t, :u, :c, :now, :exp)")
                .bind("t", tokenHash).bind("u", userId).bind("c", csrf).bind("now", now).bind("exp", expires)
                .execute());
    }

    /** The session's user and CSRF token, if the session exists and has not expired. */
    Optional<SessionRow> session(String tokenHash, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT user_id, csrf_token FROM sessions "
                        + "WHERE token_hash = :t AND expires_at > :now")
                .bind("t", tokenHash).bind("now", now)
                .map((rs, ctx) -> new SessionRow(rs.getString("user_id"), rs.getString("csrf_token")))
                .findOne());
    }

    void deleteSession(String tokenHash) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE token_hash = :t").bind("t", tokenHash)
                .execute());
    }

    void deleteExpiredSessions(Instant now) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE expires_at <= :now").bind("now", now)
                .execute());
    }

    void recordLoginFailure(String key, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO login_failures (email, created_at) VALUES (:k, :now)")
                .bind("k", key).bind("now", now).execute());
    }

    int loginFailuresSince(String key, Instant since) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM login_failures "
                        + "WHERE email = :k AND created_at > :since")
                .bind("k", key).bind("since", since).mapTo(Integer.class).one());
    }

    void clearLoginFailures(String key) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM login_failures WHERE email = :k").bind("k", key).execute());
    }

    record SessionRow(String userId, String csrfToken) {
    }
}
