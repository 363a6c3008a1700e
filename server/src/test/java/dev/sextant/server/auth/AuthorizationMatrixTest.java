package dev.sextant.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.http.ApiRoute;
import dev.sextant.server.projects.Project;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every registered API route × every kind of caller: denied callers get 401/403, allowed ones
 * never do, and nobody ever gets a 500. New routes are covered automatically.
 */
class AuthorizationMatrixTest {
    private static TestServer server;
    private static Map<String, Caller> callers;

    record Caller(String name, Http http, Role role, ApiKey.Kind keyKind) {
        boolean allowed(Access access) {
            if (access == Access.PUBLIC) {
                return true;
            }
            if (keyKind == null && role == null) {
                return false;
            }
            if (keyKind != null) {
                return access != Access.USER && (keyKind == ApiKey.Kind.SECRET || access == Access.INGEST);
            }
            return access == Access.USER || role.atLeast(access.minimumRole());
        }
    }

    @BeforeAll
    static void start() {
        server = TestServer.start();
        Project project = server.project();
        callers = new LinkedHashMap<>();
        callers.put("anonymous", new Caller("anonymous", server.anonymous(), null, null));
        callers.put("secret key", new Caller("secret key", server.api(), null, ApiKey.Kind.SECRET));
        callers.put("public key", new Caller("public key",
                server.anonymous().withKey(server.newKey(project, ApiKey.Kind.PUBLIC)), null, ApiKey.Kind.PUBLIC));
        for (Role role : Role.values()) {
            String email = role.id() + "-member@test.local";
            server.member(project, role, email);
            Http http = WebSession.login(server.url(), email, "password-" + role.id()).http()
                    .withHeader(Authenticator.PROJECT_HEADER, project.slug());
            callers.put(role.id(), new Caller(role.id(), http, role, null));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyRouteAdmitsExactlyTheCallersItsAccessLevelAllows() {
        List<ApiRoute> routes = server.sextant().apiRoutes();
        assertThat(routes).isNotEmpty();
        SoftAssertions softly = new SoftAssertions();
        List<String> checked = new ArrayList<>();
        for (ApiRoute route : routes) {
            if (route.access() == Access.PUBLIC) {
                continue;
            }
            for (Caller caller : callers.values()) {
                Http.Response response = call(caller, route);
                String label = caller.name() + " → " + route.method() + " " + route.path() + " (" + route.access() + ")";
                softly.assertThat(response.status()).as(label + " never 500: " + response.body()).isLessThan(500);
                if (caller.allowed(route.access())) {
                    softly.assertThat(response.status()).as(label + " allowed: " + response.body())
                            .isNotIn(401, 403);
                } else {
                    softly.assertThat(response.status()).as(label + " denied: " + response.body()).isIn(401, 403);
                    softly.assertThat(response.json().path("error").path("code").asText()).as(label).isNotEmpty();
                }
                checked.add(label);
            }
        }
        softly.assertAll();
        assertThat(checked).hasSizeGreaterThan(20);
    }

    private static Http.Response call(Caller caller, ApiRoute route) {
        String path = route.path().replaceAll("\\{[^}]+}|<[^>]+>", "does-not-exist");
        return switch (route.method()) {
            case "GET", "DELETE" -> caller.http().send(route.method(), path, null, null);
            default -> caller.http().send(route.method(), path, "application/json", "{}".getBytes());
        };
    }
}
