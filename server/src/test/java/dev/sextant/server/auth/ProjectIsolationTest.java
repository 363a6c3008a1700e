package dev.sextant.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.projects.Project;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProjectIsolationTest {
    private static TestServer server;
    private static Project projectA;
    private static Project projectB;
    private static String keyOfB;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        projectA = server.project();
        projectB = server.newProject("Other Team");
        keyOfB = server.newKey(projectB, ApiKey.Kind.SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aKeyOnlyEverSeesItsOwnProject() {
        Http b = server.anonymous().withKey(keyOfB);
        assertThat(b.get("/api/projects/current").json().path("id").asText()).isEqualTo(projectB.id());

        Http.Response asA = b.withHeader(Authenticator.PROJECT_HEADER, projectA.slug()).get("/api/projects/current");
        assertThat(asA.status()).isEqualTo(404);
        assertThat(asA.body()).doesNotContain(projectA.id());

        Http.Response keysOfA = b.withHeader(Authenticator.PROJECT_HEADER, projectA.id()).get("/api/keys");
        assertThat(keysOfA.status()).isEqualTo(404);
    }

    @Test
    void aKeyCannotRevokeAnotherProjectsKey() {
        String idOfAKey = server.services().auth().listKeys(projectA.id()).getFirst().id();
        Http.Response response = server.anonymous().withKey(keyOfB).delete("/api/keys/" + idOfAKey);
        assertThat(response.status()).isEqualTo(404);
        assertThat(server.services().auth().listKeys(projectA.id()).getFirst().revoked()).isFalse();
    }

    @Test
    void aUserOutsideAProjectGetsNotFoundForItsPagesAndApi() {
        server.member(projectB, Role.ADMIN, "b-only@test.local");
        WebSession session = WebSession.login(server.url(), "b-only@test.local", "password-admin");

        assertThat(session.http().withHeader(Authenticator.PROJECT_HEADER, projectA.slug()).get("/api/members").status())
                .isEqualTo(404);
        assertThat(session.http().get("/p/" + projectA.slug() + "/settings/members").status()).isEqualTo(404);
        assertThat(session.http().get("/api/projects").json().path("data").findValuesAsText("slug"))
                .containsExactly(projectB.slug());
    }

    @Test
    void revokedKeysAreRejected() {
        String key = server.newKey(projectB, ApiKey.Kind.SECRET);
        Http http = server.anonymous().withKey(key);
        assertThat(http.get("/api/projects/current").status()).isEqualTo(200);
        String id = server.services().auth().listKeys(projectB.id()).stream()
                .filter(k -> key.startsWith(k.displayPrefix().replace("…", ""))).findFirst().orElseThrow().id();
        assertThat(server.anonymous().withKey(keyOfB).delete("/api/keys/" + id).json().path("revokedAt").isMissingNode())
                .isFalse();

        Http.Response after = http.get("/api/projects/current");
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.errorCode()).isEqualTo("unauthorized");
    }

    @Test
    void keysAreStoredHashedAndListedWithoutTheSecret() {
        Http.Response created = server.api().post("/api/keys", Map.of("name", "ci", "kind", "secret"));
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("secret").asText();
        assertThat(secret).startsWith("sk-sx-");

        String listing = server.api().get("/api/keys").body();
        assertThat(listing).contains("\"name\":\"ci\"").doesNotContain(secret);
        String stored = server.services().database().jdbi().withHandle(h ->
                h.createQuery("SELECT key_hash FROM api_keys WHERE name = 'ci'").mapTo(String.class).one());
        assertThat(stored).hasSize(64).isNotEqualTo(secret);
        assertThat(server.anonymous().withKey(secret).get("/api/projects/current").status()).isEqualTo(200);
    }
}
