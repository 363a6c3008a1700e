package dev.sextant.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WebAuthTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pagesRedirectToLoginAndBackAfterwards() {
        Http.Response response = server.anonymous().get("/p/test-project/settings");
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location")).isEqualTo("/login?next=%2Fp%2Ftest-project%2Fsettings");
    }

    @Test
    void sessionWritesWithoutTheCsrfTokenAreRejected() {
        WebSession session = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
        String slug = server.project().slug();

        Http.Response apiWithout = session.withoutCsrf().withHeader(Authenticator.PROJECT_HEADER, slug)
                .post("/api/keys", Map.of("name", "forged"));
        assertThat(apiWithout.status()).isEqualTo(403);
        assertThat(apiWithout.errorCode()).isEqualTo("csrf");

        Http.Response formWithout = session.withoutCsrf().send("POST", "/p/" + slug + "/settings/keys",
                "application/x-www-form-urlencoded", WebSession.form(Map.of("name", "forged", "kind", "secret")));
        assertThat(formWithout.status()).isEqualTo(403);

        Http.Response formWrong = session.withoutCsrf().send("POST", "/p/" + slug + "/settings/keys",
                "application/x-www-form-urlencoded",
                WebSession.form(Map.of("name", "forged", "kind", "secret", "_csrf", "guess")));
        assertThat(formWrong.status()).isEqualTo(403);
        assertThat(server.services().auth().listKeys(server.project().id()))
                .noneMatch(k -> k.name().equals("forged"));

        Http.Response withToken = session.http().withHeader(Authenticator.PROJECT_HEADER, slug)
                .post("/api/keys", Map.of("name", "legit"));
        assertThat(withToken.status()).isEqualTo(201);
    }

    @Test
    void theLoginFormItselfNeedsItsCsrfCookie() {
        Http.Response response = server.anonymous().send("POST", "/login", "application/x-www-form-urlencoded",
                WebSession.form(Map.of("email", TestServer.ADMIN_EMAIL, "password", TestServer.ADMIN_PASSWORD,
                        "_csrf", "anything")));
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Set-Cookie") == null
                || !response.header("Set-Cookie").startsWith("sextant_session=")).isTrue();
    }

    @Test
    void repeatedWrongPasswordsAreThrottledEvenForTheRightPassword() {
        server.member(server.project(), Role.VIEWER, "victim@test.local");
        for (int i = 0; i < AuthService.MAX_FAILURES_PER_EMAIL; i++) {
            assertThat(tryLogin("victim@test.local", "wrong-password").status()).isEqualTo(401);
        }
        Http.Response blocked = tryLogin("victim@test.local", "password-viewer");
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.body()).contains("Too many failed attempts");
    }

    @Test
    void logoutEndsTheSession() {
        WebSession session = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
        assertThat(session.http().get("/api/projects").status()).isEqualTo(200);
        Http.Response logout = session.withoutCsrf().send("POST", "/logout", "application/x-www-form-urlencoded",
                WebSession.form(Map.of("_csrf", session.csrf())));
        assertThat(logout.status()).isEqualTo(302);
        assertThat(session.http().get("/api/projects").status()).isEqualTo(401);
    }

    @Test
    void passwordsAreStoredAsArgon2Hashes() {
        String hash = server.services().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT password_hash FROM users WHERE email = :e").bind("e", TestServer.ADMIN_EMAIL)
                .mapTo(String.class).one());
        assertThat(hash).startsWith("$argon2id$").doesNotContain(TestServer.ADMIN_PASSWORD);
    }

    @Test
    void afterLoginOnlyLocalPathsAreFollowed() {
        assertThat(AuthPages.safeNext("https://evil.example/")).isEqualTo("/");
        assertThat(AuthPages.safeNext("//evil.example/")).isEqualTo("/");
        assertThat(AuthPages.safeNext("/p/x/traces?q=1")).isEqualTo("/p/x/traces?q=1");
    }

    private Http.Response tryLogin(String email, String password) {
        Http http = server.anonymous();
        Http.Response form = http.get("/login");
        String csrf = form.body().replaceAll("(?s).*name=\"_csrf\" value=\"([^\"]+)\".*", "$1");
        String cookie = form.header("Set-Cookie").replaceAll(";.*", "");
        return http.withHeader("Cookie", cookie).send("POST", "/login", "application/x-www-form-urlencoded",
                WebSession.form(Map.of("email", email, "password", password, "_csrf", csrf)));
    }
}
