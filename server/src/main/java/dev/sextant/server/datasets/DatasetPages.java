package dev.sextant.server.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Routes;
import dev.sextant.server.projects.Project;
import dev.sextant.server.web.PageContext.Section;
import dev.sextant.server.web.Views;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Web UI for datasets: list and create, items with inline edit, bulk delete, import with mapping, history. */
public final class DatasetPages {
    private static final String BASE = "/p/{project}/datasets/{name}";
    private static final int PAGE_SIZE = 50;
    private static final int PREVIEW_ROWS = 5;
    /** Versions offered by the version selector; older ones are reachable from the history. */
    private static final int RECENT_VERSIONS = 200;

    private final DatasetService datasets;
    private final Views views;

    public DatasetPages(DatasetService datasets, Views views) {
        this.datasets = datasets;
        this.views = views;
    }

    public void register(Routes routes) {
        routes.page("GET /p/{project}/datasets", Access.READ, ctx -> list(ctx, null, 200));
        routes.page("POST /p/{project}/datasets", Access.EDIT, this::create);
        routes.page("GET " + BASE, Access.READ, this::show);
        routes.page("GET " + BASE + "/history", Access.READ, this::history);
        routes.page("GET " + BASE + "/history/{version}", Access.READ, this::versionChanges);
        routes.page("POST " + BASE + "/items", Access.EDIT, this::addItem);
        routes.page("POST " + BASE + "/items/delete", Access.EDIT, this::deleteItems);
        routes.page("GET " + BASE + "/items/{itemId}/row", Access.READ, ctx -> row(ctx, false, null));
        routes.page("GET " + BASE + "/items/{itemId}/edit", Access.EDIT, ctx -> row(ctx, true, null));
        routes.page("POST " + BASE + "/items/{itemId}", Access.EDIT, this::saveItem);
        routes.page("GET " + BASE + "/import", Access.EDIT, ctx -> importPage(ctx, null, null, 200));
        routes.page("POST " + BASE + "/import/preview", Access.EDIT, this::preview);
        routes.page("POST " + BASE + "/import", Access.EDIT, this::importFile);
        routes.page("GET " + BASE + "/settings", Access.EDIT, ctx -> settings(ctx, dataset(ctx), null, 200));
        routes.page("POST " + BASE + "/settings", Access.EDIT, this::saveSettings);
        routes.page("POST " + BASE + "/delete", Access.EDIT, this::delete);
    }

    private void settings(Context ctx, Dataset dataset, String error, int status) {
        Map<String, Object> params = new HashMap<>();
        params.put("dataset", dataset);
        params.put("experiments", datasets.experimentsUsing(dataset));
        params.put("error", error);
        ctx.status(status);
        views.page(ctx, "datasets/settings.jte", dataset.name() + " · settings", Section.DATASETS, params);
    }

    private void saveSettings(Context ctx) {
        Dataset dataset = dataset(ctx);
        try {
            Dataset saved = datasets.update(Authenticator.project(ctx), dataset.name(), ctx.formParam("name"),
                    ctx.formParam("description"), Authenticator.principal(ctx));
            ctx.redirect(link(ctx, saved, "?notice=" + encode("Saved")));
        } catch (ApiException e) {
            settings(ctx, dataset, e.getMessage(), e.status());
        }
    }

    private void delete(Context ctx) {
        Dataset dataset = dataset(ctx);
        try {
            datasets.delete(Authenticator.project(ctx), dataset.name(), Authenticator.principal(ctx));
            ctx.redirect("/p/" + Authenticator.project(ctx).slug() + "/datasets?notice="
                    + encode("Deleted dataset " + dataset.name()));
        } catch (ApiException e) {
            settings(ctx, dataset, e.getMessage(), e.status());
        }
    }

    private void list(Context ctx, String error, int status) {
        Project project = Authenticator.project(ctx);
        String q = ctx.queryParam("q");
        PageOf<Dataset> page = datasets.list(project, q, ctx.queryParam("cursor"), PAGE_SIZE);
        Map<String, Object> params = new HashMap<>();
        params.put("datasets", page.data());
        params.put("nextCursor", page.nextCursor());
        params.put("q", q == null ? "" : q);
        params.put("error", error);
        params.put("notice", ctx.queryParam("notice"));
        ctx.status(status);
        views.page(ctx, "datasets/list.jte", "Datasets", Section.DATASETS, params);
    }

    private void create(Context ctx) {
        try {
            Dataset dataset = datasets.create(Authenticator.project(ctx), ctx.formParam("name"),
                    ctx.formParam("description"), List.of(), Authenticator.principal(ctx));
            ctx.redirect(link(ctx, dataset, ""));
        } catch (ApiException e) {
            list(ctx, e.getMessage(), e.status());
        }
    }

    private void show(Context ctx) {
        Dataset dataset = dataset(ctx);
        int version = datasets.resolveVersion(dataset, DatasetApi.version(ctx));
        PageOf<DatasetItem> items = datasets.items(dataset, version, ctx.queryParam("cursor"), PAGE_SIZE);
        Map<String, Object> params = new HashMap<>();
        params.put("dataset", dataset);
        params.put("version", version);
        params.put("items", items.data());
        params.put("nextCursor", items.nextCursor());
        params.put("variables", DatasetViews.variables(items.data()));
        params.put("recent", datasets.versions(dataset, null, RECENT_VERSIONS).data());
        params.put("notice", ctx.queryParam("notice"));
        params.put("error", ctx.queryParam("error"));
        views.page(ctx, "datasets/show.jte", dataset.name(), Section.DATASETS, params);
    }

    private void history(Context ctx) {
        Dataset dataset = dataset(ctx);
        PageOf<DatasetVersion> versions = datasets.versions(dataset, ctx.queryParam("cursor"), PAGE_SIZE);
        Map<String, Object> params = new HashMap<>();
        params.put("dataset", dataset);
        params.put("versions", versions.data());
        params.put("nextCursor", versions.nextCursor());
        views.page(ctx, "datasets/history.jte", dataset.name() + " · history", Section.DATASETS, params);
    }

    private void versionChanges(Context ctx) {
        Dataset dataset = dataset(ctx);
        VersionChanges changes = datasets.changes(dataset, DatasetApi.versionParam(ctx.pathParam("version")));
        Map<String, Object> params = new HashMap<>();
        params.put("dataset", dataset);
        params.put("changes", changes);
        views.page(ctx, "datasets/version.jte", dataset.name() + " · v" + changes.version().version(),
                Section.DATASETS, params);
    }

    /** The add form sends one field per known variable ({@code var.<name>}) and/or a JSON object. */
    private void addItem(Context ctx) {
        Dataset dataset = dataset(ctx);
        try {
            ObjectNode input = JsonNodeFactory.instance.objectNode();
            String json = ctx.formParam("inputJson");
            if (json != null && !json.isBlank()) {
                JsonNode parsed = parseJson(json, "input variables");
                if (!parsed.isObject()) {
                    throw ApiException.invalid("input variables must be a JSON object like {\"question\": \"...\"}");
                }
                input.setAll((ObjectNode) parsed);
            }
            ctx.formParamMap().forEach((key, values) -> {
                if (key.startsWith("var.") && !values.isEmpty() && !values.getFirst().isEmpty()) {
                    input.put(key.substring(4), values.getFirst());
                }
            });
            String metadataText = ctx.formParam("metadata");
            JsonNode metadata = metadataText == null || metadataText.isBlank() ? null : parseJson(metadataText, "metadata");
            if (metadata != null && !metadata.isObject()) {
                throw ApiException.invalid("metadata must be a JSON object like {\"topic\": \"billing\"}");
            }
            String expected = ctx.formParam("expected");
            ItemDraft draft = new ItemDraft(input, null, expected == null || expected.isEmpty() ? null
                    : JsonNodeFactory.instance.textNode(expected), (ObjectNode) metadata, null, null).validated("item");
            VersionChange change = datasets.addItems(Authenticator.project(ctx), dataset.name(), List.of(draft), "add",
                    "added 1 item", Authenticator.principal(ctx));
            ctx.redirect(link(ctx, dataset, "?notice=" + encode("Added 1 item: version " + change.version())));
        } catch (ApiException e) {
            ctx.redirect(link(ctx, dataset, "?error=" + encode("Not added: " + e.getMessage())));
        }
    }

    private void deleteItems(Context ctx) {
        Dataset dataset = dataset(ctx);
        List<String> ids = ctx.formParams("ids");
        if (ids.isEmpty()) {
            ctx.redirect(link(ctx, dataset, "?error=" + encode("Select items to delete first")));
            return;
        }
        VersionChange change = datasets.deleteItems(Authenticator.project(ctx), dataset.name(), ids,
                Authenticator.principal(ctx));
        ctx.redirect(link(ctx, dataset, "?notice=" + encode("Deleted " + DatasetService.count(ids.size())
                + ": version " + change.version())));
    }

    /** One table row, for display or as an inline edit form (htmx swaps it in place). */
    private void row(Context ctx, boolean editing, String error) {
        Dataset dataset = dataset(ctx);
        DatasetItem item = datasets.item(dataset, ctx.pathParam("itemId"), dataset.latestVersion());
        renderRow(ctx, dataset, item, editing, error, false);
    }

    private void renderRow(Context ctx, Dataset dataset, DatasetItem item, boolean editing, String error,
                           boolean versionChanged) {
        Map<String, Object> params = new HashMap<>();
        var page = views.context(ctx, dataset.name(), Section.DATASETS);
        params.put("page", page);
        params.put("dataset", dataset);
        params.put("item", item);
        params.put("editable", page.canEdit());
        params.put("error", error);
        String html = views.render(editing ? "datasets/itemEdit.jte" : "datasets/itemRow.jte", params);
        if (versionChanged) {
            html += views.render("datasets/versionBadge.jte", Map.of("dataset", dataset, "oob", true));
            html += views.render("datasets/toolbar.jte", Map.of("page", page, "dataset", dataset, "version",
                    dataset.latestVersion(), "recent", datasets.versions(dataset, null, RECENT_VERSIONS).data(),
                    "oob", true));
        }
        ctx.html(html);
    }

    /**
     * Saves an inline edit: each variable and the expected output keep their JSON type when the
     * text still parses as that type, and become text otherwise.
     */
    private void saveItem(Context ctx) {
        Dataset dataset = dataset(ctx);
        String itemId = ctx.pathParam("itemId");
        DatasetItem current = datasets.item(dataset, itemId, dataset.latestVersion());
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        ObjectNode input = current.input().deepCopy();
        current.input().fieldNames().forEachRemaining(name -> {
            String value = ctx.formParam("var." + name);
            if (value != null) {
                input.set(name, edited(current.input().get(name), value));
            }
        });
        patch.set("input", input);
        String expected = ctx.formParam("expected");
        if (expected != null) {
            patch.set("expectedOutput", expected.isEmpty() ? null : edited(current.expectedOutput(), expected));
        }
        try {
            VersionChange change = datasets.editItem(Authenticator.project(ctx), dataset.name(), itemId, patch,
                    Authenticator.principal(ctx));
            Dataset after = dataset(ctx);
            renderRow(ctx, after, change.items().getFirst(), false, null, change.changed());
        } catch (ApiException e) {
            renderRow(ctx, dataset, current, true, e.getMessage(), false);
        }
    }

    private static JsonNode edited(JsonNode before, String text) {
        if (before != null && !before.isTextual()) {
            try {
                return Json.mapper().readTree(text);
            } catch (JsonProcessingException e) {
                return JsonNodeFactory.instance.textNode(text);
            }
        }
        return JsonNodeFactory.instance.textNode(text);
    }

    private void importPage(Context ctx, DatasetFiles.Parsed parsed, String error, int status) {
        Dataset dataset = dataset(ctx);
        Map<String, Object> params = new HashMap<>();
        params.put("dataset", dataset);
        params.put("error", error);
        params.put("preview", parsed == null ? null : ImportPreview.of(parsed, ctx.formParam("content"), PREVIEW_ROWS));
        ctx.status(status);
        views.page(ctx, "datasets/import.jte", dataset.name() + " · import", Section.DATASETS, params);
    }

    /** Step 1: the uploaded file is parsed and its first rows shown with a role chooser per column. */
    private void preview(Context ctx) {
        UploadedFile file = ctx.uploadedFile("file");
        if (file == null || file.size() == 0) {
            importPage(ctx, null, "Choose a CSV or JSONL file to import.", 422);
            return;
        }
        String format = ctx.formParam("format");
        if (format == null || format.isBlank() || format.equals("auto")) {
            format = DatasetApi.formatFromFileName(file);
        }
        if (format == null) {
            importPage(ctx, null, "Cannot tell the format from the file name; choose CSV or JSONL.", 422);
            return;
        }
        try {
            String content = read(file);
            DatasetFiles.Parsed parsed = DatasetFiles.parse(DatasetFiles.Format.parse(format), content);
            Dataset dataset = dataset(ctx);
            Map<String, Object> params = new HashMap<>();
            params.put("dataset", dataset);
            params.put("error", null);
            params.put("preview", ImportPreview.of(parsed, content, PREVIEW_ROWS));
            views.page(ctx, "datasets/import.jte", dataset.name() + " · import", Section.DATASETS, params);
        } catch (ApiException e) {
            importPage(ctx, null, e.getMessage(), e.status());
        }
    }

    /** Step 2: the file content comes back with the chosen role per column and is stored as one version. */
    private void importFile(Context ctx) {
        Dataset dataset = dataset(ctx);
        String content = ctx.formParam("content");
        DatasetFiles.Format format = DatasetFiles.Format.parse(ctx.formParam("format"));
        DatasetFiles.Parsed parsed = DatasetFiles.parse(format, content == null ? "" : content);
        try {
            Map<String, String> mapping = new LinkedHashMap<>();
            for (int i = 0; i < parsed.columns().size(); i++) {
                String column = parsed.columns().get(i);
                String target = ImportPreview.target(ctx.formParam("role." + i), column);
                if (target != null) {
                    mapping.put(target, column);
                }
            }
            FieldMapping fieldMapping = FieldMapping.of(mapping);
            List<ItemDraft> items = DatasetFiles.toItems(parsed, fieldMapping);
            VersionChange change = datasets.addItems(Authenticator.project(ctx), dataset.name(), items, "import",
                    "imported " + DatasetService.count(items.size()) + " from " + format.extension() + " ("
                            + fieldMapping.describe() + ")", Authenticator.principal(ctx));
            ctx.redirect(link(ctx, dataset, "?notice=" + encode("Imported " + DatasetService.count(items.size())
                    + ": version " + change.version())));
        } catch (ApiException e) {
            importPage(ctx, parsed, e.getMessage(), e.status());
        }
    }

    private Dataset dataset(Context ctx) {
        return datasets.get(Authenticator.project(ctx), ctx.pathParam("name"));
    }

    private static String link(Context ctx, Dataset dataset, String suffix) {
        return "/p/" + Authenticator.project(ctx).slug() + DatasetViews.path(dataset) + suffix;
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static JsonNode parseJson(String text, String what) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String read(UploadedFile file) {
        try (InputStream in = file.content()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the uploaded file");
        }
    }

    /** What the mapping step shows: columns with a suggested role, and the first rows. */
    public record ImportPreview(String format, String content, List<String> columns, List<String> roles,
                                List<List<String>> rows, int total) {
        static final List<String> ROLES = List.of("ignore", "input", "expected", "metadata", "messages", "input-object",
                "metadata-object", "sourceTraceId", "sourceSpanId");

        static ImportPreview of(DatasetFiles.Parsed parsed, String content, int limit) {
            List<String> roles = parsed.columns().stream().map(ImportPreview::suggestedRole).toList();
            List<List<String>> rows = new ArrayList<>();
            for (DatasetFiles.Row row : parsed.rows().subList(0, Math.min(limit, parsed.rows().size()))) {
                rows.add(parsed.columns().stream().map(c -> DatasetFiles.cell(row.fields().get(c))).toList());
            }
            return new ImportPreview(parsed.format().extension(), content, parsed.columns(), roles, rows,
                    parsed.rows().size());
        }

        static String suggestedRole(String column) {
            String target = FieldMapping.defaultTarget(column);
            if (target == null) {
                return "ignore";
            }
            return switch (target) {
                case "input" -> "input-object";
                case "metadata" -> "metadata-object";
                default -> target.startsWith("input.") ? "input" : target.startsWith("metadata.") ? "metadata" : target;
            };
        }

        /** The mapping target for a column given its chosen role (null: ignored). */
        static String target(String role, String column) {
            String r = role == null ? "ignore" : role;
            return switch (r) {
                case "input" -> "input." + strip(column, "input.");
                case "metadata" -> "metadata." + strip(column, "metadata.");
                case "input-object" -> "input";
                case "metadata-object" -> "metadata";
                case "expected", "messages", "sourceTraceId", "sourceSpanId" -> r;
                case "ignore" -> null;
                default -> throw ApiException.invalid("unknown role '" + r + "' for column '" + column + "'");
            };
        }

        private static String strip(String column, String prefix) {
            return column.startsWith(prefix) && column.length() > prefix.length() ? column.substring(prefix.length())
                    : column;
        }

        public static String label(String role) {
            return switch (role) {
                case "ignore" -> "ignore";
                case "input" -> "input variable";
                case "expected" -> "expected output";
                case "metadata" -> "metadata";
                case "messages" -> "chat history (JSON)";
                case "input-object" -> "input variables (JSON object)";
                case "metadata-object" -> "metadata (JSON object)";
                case "sourceTraceId" -> "source trace id";
                case "sourceSpanId" -> "source span id";
                default -> role;
            };
        }

        public List<String> roleOptions() {
            return ROLES;
        }
    }
}
