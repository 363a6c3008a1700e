package dev.sextant.server.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.auth.Role;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.projects.Project;
import dev.sextant.server.support.TestServer;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatasetVersioningTest {

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyChangeIsANewVersionAndOldVersionsNeverChange(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            DatasetService datasets = server.services().datasets();
            Project project = server.project();
            Principal actor = Principal.ofUser(server.admin()).inProject(project, Role.ADMIN);

            Dataset created = datasets.create(project, "capitals", "", List.of(item("France", "Paris"),
                    item("Spain", "Madrid")), actor);
            assertThat(created.latestVersion()).isEqualTo(1);
            assertThat(created.itemCount()).isEqualTo(2);
            List<DatasetItem> v1 = datasets.allItems(created, 1);
            String france = v1.getFirst().id();
            String spain = v1.get(1).id();

            VersionChange added = datasets.addItems(project, "capitals", List.of(item("Italy", "Rome")), "add",
                    "added 1 item", actor);
            assertThat(added.version()).isEqualTo(2);
            VersionChange edited = datasets.editItem(project, "capitals", france,
                    json("{\"expectedOutput\": \"Paris, France\"}"), actor);
            assertThat(edited.version()).isEqualTo(3);
            assertThat(edited.items()).singleElement().satisfies(i -> assertThat(i.id()).isEqualTo(france));
            VersionChange deleted = datasets.deleteItems(project, "capitals", List.of(spain), actor);
            assertThat(deleted.version()).isEqualTo(4);

            Dataset latest = datasets.get(project, "capitals");
            assertThat(latest.latestVersion()).isEqualTo(4);
            assertThat(latest.itemCount()).isEqualTo(2);
            assertThat(datasets.allItems(latest, 1)).usingRecursiveComparison().isEqualTo(v1);
            assertThat(expected(datasets.allItems(latest, 1))).containsExactly("Paris", "Madrid");
            assertThat(expected(datasets.allItems(latest, 2))).containsExactly("Paris", "Madrid", "Rome");
            assertThat(expected(datasets.allItems(latest, 3))).containsExactly("Paris, France", "Madrid", "Rome");
            assertThat(expected(datasets.allItems(latest, 4))).containsExactly("Paris, France", "Rome");
            assertThat(datasets.allItems(latest, 4).getFirst().id()).isEqualTo(france);

            assertThat(datasets.versions(latest, null, 10).data()).extracting(DatasetVersion::version,
                    DatasetVersion::change, DatasetVersion::itemCount)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(4, "delete", 2),
                            org.assertj.core.groups.Tuple.tuple(3, "edit", 3),
                            org.assertj.core.groups.Tuple.tuple(2, "add", 3),
                            org.assertj.core.groups.Tuple.tuple(1, "create", 2));
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aFailedChangeStoresNothingAndAnEditThatChangesNothingMakesNoVersion(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            DatasetService datasets = server.services().datasets();
            Project project = server.project();
            Principal actor = Principal.ofUser(server.admin()).inProject(project, Role.ADMIN);
            Dataset d = datasets.create(project, "qa", "", List.of(item("a", "1")), actor);
            String id = datasets.allItems(d, 1).getFirst().id();

            assertThatThrownBy(() -> datasets.deleteItems(project, "qa", List.of(id, "no-such-item"), actor))
                    .isInstanceOf(ApiException.class).hasMessageContaining("no-such-item");
            VersionChange same = datasets.editItem(project, "qa", id, json("{\"expectedOutput\": \"1\"}"), actor);

            assertThat(same.changed()).isFalse();
            Dataset after = datasets.get(project, "qa");
            assertThat(after.latestVersion()).isEqualTo(1);
            assertThat(datasets.allItems(after, 1)).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void itemsAddedTogetherKeepTheirOrder(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            DatasetService datasets = server.services().datasets();
            Project project = server.project();
            Principal actor = Principal.ofUser(server.admin()).inProject(project, Role.ADMIN);
            List<ItemDraft> many = IntStream.range(0, 300).mapToObj(i -> item("q" + i, "a" + i)).toList();
            Dataset d = datasets.create(project, "many", "", many, actor);

            assertThat(expected(datasets.allItems(d, 1)))
                    .containsExactlyElementsOf(IntStream.range(0, 300).mapToObj(i -> "a" + i).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void logsArePromotedInBulkThroughAFieldMapping(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            DatasetService datasets = server.services().datasets();
            Project project = server.project();
            Principal actor = Principal.ofUser(server.admin()).inProject(project, Role.ADMIN);
            datasets.create(project, "from logs", "", List.of(), actor);
            List<JsonNode> spans = List.of(
                    json("{\"traceId\": \"t1\", \"spanId\": \"s1\", \"input\": {\"messages\": [{\"role\": \"user\", "
                            + "\"content\": \"Hi\"}], \"question\": \"Hi\"}, \"output\": \"Hello!\", \"model\": \"gpt\"}"),
                    json("{\"traceId\": \"t2\", \"input\": {\"question\": \"Bye\"}, \"output\": \"Goodbye!\"}"));
            FieldMapping mapping = FieldMapping.of(java.util.Map.of("input.question", "input.question",
                    "expected", "output", "metadata.model", "model", "sourceTraceId", "traceId", "sourceSpanId", "spanId"));

            VersionChange change = datasets.addFromLogs(project, "from logs", spans, mapping, actor);

            assertThat(change.items()).extracting(DatasetItem::sourceTraceId).containsExactly("t1", "t2");
            assertThat(change.items().getFirst().sourceSpanId()).isEqualTo("s1");
            assertThat(change.items().getFirst().metadata().path("model").asText()).isEqualTo("gpt");
            assertThat(expected(change.items())).containsExactly("Hello!", "Goodbye!");
            DatasetVersion version = datasets.version(datasets.get(project, "from logs"), change.version());
            assertThat(version.change()).isEqualTo("promote");
            assertThat(version.note()).contains("expected ← output");
        }
    }

    static ItemDraft item(String question, String answer) {
        ObjectNode input = Json.mapper().createObjectNode().put("question", question);
        return new ItemDraft(input, null, Json.mapper().getNodeFactory().textNode(answer), null, null, null);
    }

    static List<String> expected(List<DatasetItem> items) {
        return items.stream().map(i -> i.expectedOutput().asText()).toList();
    }

    static JsonNode json(String text) {
        return Json.read(text, JsonNode.class);
    }
}
