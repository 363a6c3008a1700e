package dev.sextant.server.support;

import dev.sextant.server.Sextant;
import dev.sextant.server.SextantServices;
import dev.sextant.server.auth.ApiKey;
import dev.sextant.server.auth.AuthService;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.auth.Role;
import dev.sextant.server.auth.User;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.config.SextantConfig;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.projects.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The real server on a random port, on SQLite or PostgreSQL, started through the same
 * composition root as production, with an admin, a project and a secret key created headlessly.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_EMAIL = "admin@test.local";
    public static final String ADMIN_PASSWORD = "admin-password-1";
    public static final String PROJECT = "Test Project";
    public static final String API_KEY = "sk-sx-test0000000000000000000000000000000000";

    private final Sextant sextant;
    private final Path dataDir;

    private TestServer(Sextant sextant, Path dataDir) {
        this.sextant = sextant;
        this.dataDir = dataDir;
    }

    public static TestServer start() {
        return start(Dialect.SQLITE);
    }

    public static TestServer start(Dialect dialect) {
        return start(dialect, Map.of());
    }

    public static TestServer start(Dialect dialect, Map<ConfigKey, String> overrides) {
        Path dir = tempDir();
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        values.put(ConfigKey.PORT, "0");
        values.put(ConfigKey.HOST, "127.0.0.1");
        values.put(ConfigKey.DATA_DIR, dir.toString());
        values.put(ConfigKey.DB_URL, TestDatabases.url(dialect, dir));
        values.put(ConfigKey.INIT_ADMIN_EMAIL, ADMIN_EMAIL);
        values.put(ConfigKey.INIT_ADMIN_PASSWORD, ADMIN_PASSWORD);
        values.put(ConfigKey.INIT_PROJECT, PROJECT);
        values.put(ConfigKey.INIT_API_KEY, API_KEY);
        values.putAll(overrides);
        return new TestServer(Sextant.start(SextantConfig.of(values)), dir);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("sextant-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + sextant.port();
    }

    /** A client authenticated with the project's secret key. */
    public Http api() {
        return new Http(url()).withKey(API_KEY);
    }

    /** An unauthenticated client. */
    public Http anonymous() {
        return new Http(url());
    }

    public Sextant sextant() {
        return sextant;
    }

    public SextantServices services() {
        return sextant.services();
    }

    public Path dataDir() {
        return dataDir;
    }

    public User admin() {
        return services().auth().userByEmail(ADMIN_EMAIL).orElseThrow();
    }

    public Project project() {
        return services().projects().projectsFor(admin()).stream()
                .filter(p -> p.name().equals(PROJECT)).findFirst().orElseThrow();
    }

    /** Creates a user with {@code role} in {@code project}; the password is {@code "password-" + role}. */
    public User member(Project project, Role role, String email) {
        AuthService auth = services().auth();
        User user = auth.userByEmail(email).orElseGet(() -> auth.createUser(email, null, "password-" + role.id(), false));
        services().projects().setMember(project, user, role, Principal.ofUser(admin()));
        return user;
    }

    /** A new project administered by the test admin. */
    public Project newProject(String name) {
        return services().projects().create(name, admin(), Principal.ofUser(admin()));
    }

    /** A new API key for {@code project}. */
    public String newKey(Project project, ApiKey.Kind kind) {
        Principal actor = Principal.ofUser(admin()).inProject(project, Role.ADMIN);
        return services().auth().createKey(project.id(), kind, kind.id() + " test key", actor).secret();
    }

    @Override
    public void close() {
        sextant.close();
    }
}
