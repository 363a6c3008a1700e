package dev.sextant.server.projects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.auth.Role;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProjectApiTest {

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void membersAreManagedAndEveryChangeIsAudited(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            server.member(server.newProject("Elsewhere"), Role.VIEWER, "lawyer@test.local");

            Http.Response added = server.api().put("/api/members", Map.of("email", "lawyer@test.local", "role", "expert"));
            assertThat(added.status()).isEqualTo(200);
            assertThat(added.json().path("role").asText()).isEqualTo("expert");

            Http.Response promoted = server.api().put("/api/members", Map.of("email", "lawyer@test.local", "role", "engineer"));
            assertThat(promoted.json().path("role").asText()).isEqualTo("engineer");

            String userId = promoted.json().path("userId").asText();
            assertThat(server.api().delete("/api/members/" + userId).status()).isEqualTo(204);
            assertThat(server.api().get("/api/members").json().path("data").findValuesAsText("email"))
                    .containsExactly(TestServer.ADMIN_EMAIL);

            JsonNode audit = server.api().get("/api/audit").json().path("data");
            assertThat(audit.findValuesAsText("action")).containsSubsequence("member.remove", "member.update", "member.add");
            assertThat(audit.get(0).path("actor").asText()).startsWith("key ");
            assertThat(audit.get(0).path("summary").asText()).contains("lawyer@test.local");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theLastAdminCannotBeRemovedOrDemoted(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http.Response demote = server.api().put("/api/members",
                    Map.of("email", TestServer.ADMIN_EMAIL, "role", "viewer"));
            assertThat(demote.status()).isEqualTo(409);
            assertThat(demote.json().path("error").path("message").asText()).contains("at least one admin");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theAuditLogPagesWithACursor(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            for (int i = 0; i < 5; i++) {
                server.api().post("/api/keys", Map.of("name", "key " + i));
            }
            JsonNode first = server.api().get("/api/audit?limit=3").json();
            assertThat(first.path("data")).hasSize(3);
            String cursor = first.path("nextCursor").asText();
            JsonNode second = server.api().get("/api/audit?limit=3&cursor=" + cursor).json();
            assertThat(second.path("data").get(0).path("id").asText()).isLessThan(cursor);
            assertThat(first.path("data").findValuesAsText("id")).doesNotContainAnyElementsOf(
                    second.path("data").findValuesAsText("id"));
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void retentionAndNameAreProjectSettings(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http.Response ok = server.api().patch("/api/projects/current", Map.of("retentionDays", 30));
            assertThat(ok.json().path("retentionDays").asInt()).isEqualTo(30);
            assertThat(server.api().patch("/api/projects/current", Map.of("retentionDays", 0)).status()).isEqualTo(422);
        }
    }
}
