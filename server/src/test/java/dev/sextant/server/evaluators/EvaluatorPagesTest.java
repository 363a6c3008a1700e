package dev.sextant.server.evaluators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.auth.Role;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import dev.sextant.server.support.WebSession;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorPagesTest {
    private static final String FORM = "application/x-www-form-urlencoded";

    private static Http.Response post(WebSession session, String path, Map<String, String> fields) {
        return session.http().send("POST", path, FORM, WebSession.form(fields));
    }

    @Test
    void aRejectedFormIsShownAgainAsTypedWithTheReason() {
        try (TestServer server = TestServer.start()) {
            WebSession admin = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            String base = "/p/" + server.project().slug() + "/evaluators";
            Map<String, String> form = new HashMap<>(Map.of("name", "needs-value", "kind", "code",
                    "codeMode", "builtin", "builtin", "contains", "params", "{\"valu\": \"typo\"}"));
            Http.Response rejected = post(admin, base + "/new", form);
            assertThat(rejected.status()).isEqualTo(422);
            assertThat(rejected.body()).contains("params.value must be a non-empty string")
                    .contains(">{\"valu\": \"typo\"}</textarea>");

            form.put("params", "{not json");
            assertThat(post(admin, base + "/new", form).body()).contains("Parameters must be JSON");

            form.put("params", "{\"value\": \"ok\"}");
            Http.Response saved = post(admin, base + "/new", form);
            assertThat(saved.status()).isEqualTo(302);
            assertThat(saved.header("Location")).endsWith("/evaluators/needs-value");
            Http.Response again = post(admin, base + "/new", form);
            assertThat(again.header("Location")).endsWith("/evaluators/needs-value?unchanged=1");
        }
    }

    @Test
    void tryItReportsInputErrorsInPlace() {
        try (TestServer server = TestServer.start()) {
            WebSession admin = WebSession.login(server.url(), TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
            String base = "/p/" + server.project().slug() + "/evaluators";
            Http.Response badExample = post(admin, base + "/try", Map.of("kind", "code", "codeMode", "cel",
                    "cel", "input.lang == 'en'", "exOutput", "x", "exInput", "[1, 2]"));
            assertThat(badExample.status()).isEqualTo(200);
            assertThat(badExample.body()).contains("input error", "Input variables must be a JSON object");

            Http.Response judged = post(admin, base + "/try", Map.of("kind", "code", "codeMode", "cel",
                    "cel", "input.lang == 'en' && latencyMs < 100", "exOutput", "x", "exInput", "{\"lang\": \"en\"}",
                    "exLatency", "50"));
            assertThat(judged.body()).contains("pass", "expression returned true");

            Http.Response llmOutput = post(admin, base + "/try", Map.of("kind", "code", "codeMode", "builtin",
                    "builtin", "contains", "params", "{\"value\": \"x\"}", "exOutput", "<script>alert(1)</script> x"));
            assertThat(llmOutput.body()).doesNotContain("<script>alert(1)</script>");
        }
    }

    @Test
    void viewersSeeEvaluatorsButNotTheEditingControls() {
        try (TestServer server = TestServer.start()) {
            server.api().post("/api/evaluators", EvaluatorApiTest.contains("mentions-refund", "refund"));
            server.member(server.project(), Role.VIEWER, "viewer@test.local");
            WebSession viewer = WebSession.login(server.url(), "viewer@test.local", "password-" + Role.VIEWER.id());
            String base = "/p/" + server.project().slug() + "/evaluators";
            Http.Response list = viewer.http().get(base);
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body()).contains("mentions-refund").doesNotContain("New code check");
            Http.Response detail = viewer.http().get(base + "/mentions-refund");
            assertThat(detail.body()).contains("Version history").doesNotContain("Edit (new version)");
            assertThat(viewer.http().get(base + "/new").status()).isEqualTo(403);
            assertThat(post(viewer, base + "/try", Map.of("kind", "code")).status()).isEqualTo(403);
            assertThat(viewer.http().get(base + "/nope").status()).isEqualTo(404);
        }
    }
}
