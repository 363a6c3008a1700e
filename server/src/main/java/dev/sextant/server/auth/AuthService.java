package dev.sextant.server.auth;

import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.db.Ids;
import dev.sextant.server.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Users, login sessions with throttling, and project API keys. */
public final class AuthService {
    static final int MAX_FAILURES_PER_EMAIL = 5;
    static final int MAX_FAILURES_PER_IP = 50;
    static final Duration THROTTLE_WINDOW = Duration.ofMinutes(15);
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final UserStore users;
    private final ApiKeyStore keys;
    private final AuditLog audit;
    private final PasswordHasher hasher;
    private final Duration sessionLifetime;
    private final Clock clock;

    public AuthService(Jdbi jdbi, AuditLog audit, PasswordHasher hasher, Duration sessionLifetime, Clock clock) {
        this.jdbi = jdbi;
        this.users = new UserStore(jdbi);
        this.keys = new ApiKeyStore(jdbi);
        this.audit = audit;
        this.hasher = hasher;
        this.sessionLifetime = sessionLifetime;
        this.clock = clock;
    }

    // ---- users -------------------------------------------------------------------------------

    public User createUser(String email, String name, String password, boolean instanceAdmin) {
        String normalized = normalizeEmail(email);
        requirePassword(password);
        User user = new User(Ids.newId(), normalized, name == null || name.isBlank() ? normalized : name.trim(),
                instanceAdmin, clock.instant());
        String hash = hasher.hash(password);
        return jdbi.inTransaction(h -> {
            if (users.byEmail(h, normalized).isPresent()) {
                throw ApiException.conflict("a user with e-mail " + normalized + " already exists");
            }
            users.insert(h, user, hash);
            return user;
        });
    }

    public Optional<User> userByEmail(String email) {
        return jdbi.withHandle(h -> users.byEmail(h, normalizeEmail(email)));
    }

    public Optional<User> userById(String id) {
        return users.byId(id);
    }

    public boolean hasUsers() {
        return users.count() > 0;
    }

    public List<User> allUsers() {
        return users.all();
    }

    public void changePassword(String userId, String password) {
        requirePassword(password);
        String hash = hasher.hash(password);
        jdbi.useHandle(h -> users.updatePassword(h, userId, hash));
    }

    static String normalizeEmail(String email) {
        if (email == null || !email.contains("@") || email.isBlank() || email.length() > 320) {
            throw ApiException.invalid("a valid e-mail address is required");
        }
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private static void requirePassword(String password) {
        if (password == null || password.length() < PasswordHasher.MIN_LENGTH) {
            throw ApiException.invalid("the password must have at least " + PasswordHasher.MIN_LENGTH
                    + " characters");
        }
    }

    // ---- sessions ------------------------------------------------------------------------------

    /** A new browser session: the token goes in the cookie, only its hash is stored. */
    public record NewSession(String token, User user) {
    }

    public NewSession login(String email, String password, String ip) {
        String normalized;
        try {
            normalized = normalizeEmail(email);
        } catch (ApiException e) {
            throw ApiException.unauthorized("wrong e-mail or password");
        }
        Instant now = clock.instant();
        Instant since = now.minus(THROTTLE_WINDOW);
        if (users.loginFailuresSince("email:" + normalized, since) >= MAX_FAILURES_PER_EMAIL
                || users.loginFailuresSince("ip:" + ip, since) >= MAX_FAILURES_PER_IP) {
            throw new ApiException(429, "too_many_attempts",
                    "too many failed logins; try again in " + THROTTLE_WINDOW.toMinutes() + " minutes");
        }
        Optional<String> hash = users.passwordHash(normalized);
        if (hash.isEmpty() || !hasher.matches(password, hash.get())) {
            users.recordLoginFailure("email:" + normalized, now);
            users.recordLoginFailure("ip:" + ip, now);
            throw ApiException.unauthorized("wrong e-mail or password");
        }
        users.clearLoginFailures("email:" + normalized);
        User user = jdbi.withHandle(h -> users.byEmail(h, normalized)).orElseThrow();
        String token = Secrets.randomToken(43);
        users.insertSession(Secrets.sha256(token), user.id(), Secrets.randomToken(32), now, now.plus(sessionLifetime));
        users.deleteExpiredSessions(now);
        return new NewSession(token, user);
    }

    /** The session behind a cookie token, if valid. */
    public Optional<SessionInfo> session(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        return users.session(Secrets.sha256(token), clock.instant())
                .flatMap(row -> users.byId(row.userId()).map(u -> new SessionInfo(u, row.csrfToken())));
    }

    public record SessionInfo(User user, String csrfToken) {
    }

    public void logout(String token) {
        if (token != null) {
            users.deleteSession(Secrets.sha256(token));
        }
    }

    // ---- API keys ------------------------------------------------------------------------------

    /** A key as created: {@code secret} is the full key, shown to the user exactly once. */
    public record CreatedKey(ApiKey key, String secret) {
    }

    public CreatedKey createKey(String projectId, ApiKey.Kind kind, String name, Principal actor) {
        return registerKey(projectId, kind, name, kind.prefix() + Secrets.randomToken(40), actor);
    }

    /** Registers a caller-chosen key (headless first start); it must look like a generated one. */
    public CreatedKey registerKey(String projectId, ApiKey.Kind kind, String name, String secret, Principal actor) {
        if (secret == null || !secret.startsWith(kind.prefix()) || secret.length() < 32) {
            throw ApiException.invalid("a " + kind.id() + " key must start with " + kind.prefix()
                    + " and have at least 32 characters");
        }
        String cleanName = name == null || name.isBlank() ? kind.id() + " key" : name.trim();
        if (cleanName.length() > 100) {
            throw ApiException.invalid("key name must have at most 100 characters");
        }
        ApiKey key = new ApiKey(Ids.newId(), projectId, kind, cleanName, secret.substring(0, 10) + "…",
                actor.userId(), clock.instant(), null, null);
        String hash = Secrets.sha256(secret);
        jdbi.useTransaction(h -> {
            if (keys.hashExists(h, hash)) {
                throw ApiException.conflict("this key is already registered");
            }
            keys.insert(h, key, hash);
            audit.record(h, projectId, actor.actorLabel(), "api_key.create", "api_key", key.id(),
                    Map.of("after", Map.of("name", cleanName, "kind", kind.id(), "prefix", key.displayPrefix())));
        });
        return new CreatedKey(key, secret);
    }

    public boolean keyExists(String secret) {
        return keys.byHash(Secrets.sha256(secret)).isPresent();
    }

    /** The live key for a bearer token; records last use at most once a minute. */
    public Optional<ApiKey> authenticateKey(String secret) {
        if (secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        Optional<ApiKey> key = keys.byHash(Secrets.sha256(secret.trim())).filter(k -> !k.revoked());
        key.ifPresent(k -> {
            Instant now = clock.instant();
            if (k.lastUsedAt() == null || k.lastUsedAt().isBefore(now.minus(TOUCH_INTERVAL))) {
                keys.touch(k.id(), now);
            }
        });
        return key;
    }

    public List<ApiKey> listKeys(String projectId) {
        return keys.list(projectId);
    }

    public ApiKey revokeKey(String projectId, String keyId, Principal actor) {
        ApiKey key = keys.byId(projectId, keyId).orElseThrow(() -> ApiException.notFound("API key " + keyId));
        if (key.revoked()) {
            return key;
        }
        jdbi.useTransaction(h -> {
            keys.revoke(h, projectId, keyId, clock.instant());
            audit.record(h, projectId, actor.actorLabel(), "api_key.revoke", "api_key", keyId,
                    Map.of("before", Map.of("name", key.name(), "prefix", key.displayPrefix(), "revoked", false),
                            "after", Map.of("revoked", true)));
        });
        return keys.byId(projectId, keyId).orElseThrow();
    }
}
