package dev.sextant.server.datasets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SequenceWriter;
import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.http.Requests;
import dev.sextant.server.http.Routes;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** REST routes for datasets, their items, versions, import/export and promotion from logs. */
public final class DatasetApi {
    private static final String BASE = "/api/datasets/{name}";
    private final DatasetService datasets;

    public DatasetApi(DatasetService datasets) {
        this.datasets = datasets;
    }

    public void register(Routes routes) {
        routes.api("POST /api/datasets", Access.EDIT, "Create a dataset (optionally with items, as version 1)",
                this::create);
        routes.api("GET /api/datasets", Access.READ, "List datasets by name (q: search, cursor-paginated)", this::list);
        routes.api("GET " + BASE, Access.READ, "A dataset: description, latest version and item count",
                ctx -> ctx.json(dataset(ctx)));
        routes.api("PATCH " + BASE, Access.EDIT,
                "Rename a dataset or change its description {\"name\", \"description\"} (experiments follow)",
                this::update);
        routes.api("DELETE " + BASE, Access.EDIT,
                "Delete a dataset with all its versions (409 while experiments use it)", this::delete);
        routes.api("GET " + BASE + "/items", Access.READ,
                "Items of a version (version: default latest), cursor-paginated", this::items);
        routes.api("GET " + BASE + "/items/{itemId}", Access.READ, "One item as of a version (default latest)",
                this::item);
        routes.api("POST " + BASE + "/items", Access.EDIT, "Add one item or {\"items\": [...]} as a new version",
                this::addItems);
        routes.api("PATCH " + BASE + "/items/{itemId}", Access.EDIT,
                "Change fields of an item (same id) as a new version", this::editItem);
        routes.api("POST " + BASE + "/items/delete", Access.EDIT, "Delete items {\"ids\": [...]} as a new version",
                this::deleteItems);
        routes.api("POST " + BASE + "/items/from-traces", Access.EDIT,
                "Promote logged traces/spans {\"records\": [{traceId, spanId, input, expectedOutput, metadata}]}",
                this::fromTraces);
        routes.api("GET " + BASE + "/versions", Access.READ, "Version history, newest first (cursor-paginated)",
                this::versions);
        routes.api("GET " + BASE + "/versions/{version}", Access.READ,
                "What a version changed: items added, edited (before/after) and deleted", this::changes);
        routes.api("POST " + BASE + "/import", Access.EDIT,
                "Import CSV or JSONL (format=csv|jsonl) with an optional column mapping, as one new version",
                this::importFile);
        routes.api("GET " + BASE + "/export", Access.READ, "Export a version as CSV or JSONL (format, version)",
                this::export);
    }

    record CreateRequest(String name, String description, JsonNode items) {
    }

    private void create(Context ctx) {
        CreateRequest request = Requests.json(ctx, CreateRequest.class);
        List<ItemDraft> items = request.items() == null || request.items().isNull() ? List.of() : drafts(request.items());
        ctx.status(201).json(datasets.create(Authenticator.project(ctx), request.name(), request.description(), items,
                Authenticator.principal(ctx)));
    }

    record UpdateRequest(String name, String description) {
    }

    private void update(Context ctx) {
        UpdateRequest request = Requests.json(ctx, UpdateRequest.class);
        ctx.json(datasets.update(Authenticator.project(ctx), ctx.pathParam("name"), request.name(),
                request.description(), Authenticator.principal(ctx)));
    }

    private void delete(Context ctx) {
        datasets.delete(Authenticator.project(ctx), ctx.pathParam("name"), Authenticator.principal(ctx));
        ctx.status(204);
    }

    private void list(Context ctx) {
        ctx.json(datasets.list(Authenticator.project(ctx), ctx.queryParam("q"), ctx.queryParam("cursor"),
                Requests.limit(ctx)));
    }

    /** A page of items, with the version it shows. */
    record ItemsPage(int version, List<DatasetItem> data, String nextCursor) {
    }

    private void items(Context ctx) {
        Dataset dataset = dataset(ctx);
        int version = datasets.resolveVersion(dataset, version(ctx));
        PageOf<DatasetItem> page = datasets.items(dataset, version, ctx.queryParam("cursor"), Requests.limit(ctx));
        ctx.json(new ItemsPage(version, page.data(), page.nextCursor()));
    }

    private void item(Context ctx) {
        Dataset dataset = dataset(ctx);
        ctx.json(datasets.item(dataset, ctx.pathParam("itemId"), datasets.resolveVersion(dataset, version(ctx))));
    }

    private void addItems(Context ctx) {
        String name = dataset(ctx).name();
        List<ItemDraft> items = drafts(Requests.json(ctx, JsonNode.class));
        ctx.status(201).json(datasets.addItems(Authenticator.project(ctx), name, items, "add",
                "added " + DatasetService.count(items.size()), Authenticator.principal(ctx)));
    }

    private void editItem(Context ctx) {
        String name = dataset(ctx).name();
        ctx.json(datasets.editItem(Authenticator.project(ctx), name, ctx.pathParam("itemId"),
                Requests.json(ctx, JsonNode.class), Authenticator.principal(ctx)));
    }

    record DeleteRequest(List<String> ids) {
    }

    private void deleteItems(Context ctx) {
        String name = dataset(ctx).name();
        DeleteRequest request = Requests.json(ctx, DeleteRequest.class);
        ctx.json(datasets.deleteItems(Authenticator.project(ctx), name, request.ids(), Authenticator.principal(ctx)));
    }

    record FromTracesRequest(List<LoggedExample> records, String mappingDescription) {
    }

    private void fromTraces(Context ctx) {
        String name = dataset(ctx).name();
        JsonNode body = Requests.json(ctx, JsonNode.class);
        FromTracesRequest request = convert(body.isArray() ? Map.of("records", body) : body, FromTracesRequest.class);
        if (request.records() == null) {
            throw ApiException.invalid("records: give a list of {traceId, spanId, input, expectedOutput, metadata}");
        }
        ctx.status(201).json(datasets.addFromLogs(Authenticator.project(ctx), name, request.records(),
                request.mappingDescription(), Authenticator.principal(ctx)));
    }

    private void versions(Context ctx) {
        ctx.json(datasets.versions(dataset(ctx), ctx.queryParam("cursor"), Requests.limit(ctx)));
    }

    private void changes(Context ctx) {
        Dataset dataset = dataset(ctx);
        ctx.json(datasets.changes(dataset, versionParam(ctx.pathParam("version"))));
    }

    static int versionParam(String raw) {
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("version must be a whole number");
        }
    }

    /** What an import stored. */
    record ImportResult(String dataset, int version, int imported, Map<String, String> mapping) {
    }

    /**
     * Three ways to send a file: JSON {@code {"content", "format", "mapping"}}; the raw file as the
     * body ({@code text/csv}, {@code application/x-ndjson}, ...) with {@code mapping} as a JSON
     * query parameter; or multipart with a {@code file} part and a {@code mapping} field.
     */
    private void importFile(Context ctx) {
        String name = dataset(ctx).name();
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        String format = ctx.queryParam("format");
        String content;
        Map<String, String> mapping;
        if (type.startsWith("application/json")) {
            JsonNode body = Requests.json(ctx, JsonNode.class);
            content = body.path("content").isTextual() ? body.path("content").asText() : null;
            format = format != null ? format : body.path("format").asText(null);
            mapping = body.hasNonNull("mapping") ? convert(body.get("mapping"), new TypeReference<>() { }) : null;
        } else if (type.startsWith("multipart/form-data")) {
            UploadedFile file = ctx.uploadedFile("file");
            content = file == null ? null : read(file);
            format = format != null ? format : formatFromFileName(file);
            mapping = parseMapping(ctx.formParam("mapping"));
        } else {
            content = ctx.body();
            format = format != null ? format : type.startsWith("text/csv") ? "csv" : null;
            mapping = parseMapping(ctx.queryParam("mapping"));
        }
        if (content == null) {
            throw ApiException.badRequest("send the file as 'content' (JSON), a 'file' part (multipart) or the body");
        }
        DatasetFiles.Format fileFormat = DatasetFiles.Format.parse(format);
        FieldMapping explicit = mapping == null || mapping.isEmpty() ? null : FieldMapping.of(mapping);
        List<ItemDraft> items = DatasetFiles.toItems(DatasetFiles.parse(fileFormat, content), explicit);
        String note = "imported " + DatasetService.count(items.size()) + " from " + fileFormat.extension()
                + (explicit == null ? "" : " (" + explicit.describe() + ")");
        VersionChange change = datasets.addItems(Authenticator.project(ctx), name, items, "import", note,
                Authenticator.principal(ctx));
        ctx.status(201).json(new ImportResult(name, change.version(), items.size(),
                explicit == null ? null : explicit.asMap()));
    }

    /** Streams the version page by page; a CSV export reads the items twice (columns first, then rows). */
    private void export(Context ctx) throws IOException {
        Dataset dataset = dataset(ctx);
        DatasetFiles.Format format = DatasetFiles.Format.parse(ctx.queryParamAsClass("format", String.class)
                .getOrDefault("jsonl"));
        int version = datasets.resolveVersion(dataset, version(ctx));
        ctx.contentType(format.contentType() + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + fileName(dataset, version, format) + "\"")
                .header("X-Sextant-Dataset-Version", Integer.toString(version));
        Writer out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8));
        if (format == DatasetFiles.Format.CSV) {
            DatasetFiles.CsvColumns columns = new DatasetFiles.CsvColumns();
            datasets.forEachPage(dataset, version, page -> page.forEach(columns::include));
            SequenceWriter csv = DatasetFiles.csvWriter(out);
            csv.write(columns.header());
            datasets.forEachPage(dataset, version, page -> page.forEach(item -> write(csv, columns.row(item))));
            csv.flush();
        } else {
            datasets.forEachPage(dataset, version, page -> page.forEach(item -> write(out, DatasetFiles.jsonLine(item))));
        }
        out.flush();
    }

    private static void write(SequenceWriter csv, String[] row) {
        try {
            csv.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Writer out, String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fileName(Dataset dataset, int version, DatasetFiles.Format format) {
        return dataset.name().replaceAll("[^A-Za-z0-9._-]+", "-") + "-v" + version + "." + format.extension();
    }

    private Dataset dataset(Context ctx) {
        return datasets.get(Authenticator.project(ctx), ctx.pathParam("name"));
    }

    /** The {@code version} query parameter, or null for the latest. */
    static Integer version(Context ctx) {
        String raw = ctx.queryParam("version");
        return raw == null || raw.isBlank() || raw.equals("latest") ? null : versionParam(raw);
    }

    /** One item object, a list of items, or {@code {"items": [...]}}. */
    static List<ItemDraft> drafts(JsonNode body) {
        JsonNode list = body.isObject() && body.has("items") ? body.get("items") : body;
        if (list.isObject()) {
            return List.of(ItemDraft.fromJson(list, "item"));
        }
        if (!list.isArray()) {
            throw ApiException.invalid("items must be a list of item objects");
        }
        if (list.size() > DatasetService.MAX_ITEMS_PER_CHANGE) {
            throw ApiException.invalid("at most " + DatasetService.MAX_ITEMS_PER_CHANGE + " items per request");
        }
        List<ItemDraft> drafts = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            drafts.add(ItemDraft.fromJson(list.get(i), "items[" + i + "]"));
        }
        return drafts;
    }

    static Map<String, String> parseMapping(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        return convert(Json.read(json, JsonNode.class), new TypeReference<>() { });
    }

    private static <T> T convert(Object value, Class<T> type) {
        try {
            return Json.mapper().convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("invalid request: " + e.getMessage());
        }
    }

    private static <T> T convert(Object value, TypeReference<T> type) {
        try {
            return Json.mapper().convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("mapping must be an object of target → source column, e.g. "
                    + "{\"input.question\": \"question\"}");
        }
    }

    private static String read(UploadedFile file) {
        try (InputStream in = file.content()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the uploaded file");
        }
    }

    static String formatFromFileName(UploadedFile file) {
        String fileName = file == null ? "" : file.filename().toLowerCase(Locale.ROOT);
        return fileName.endsWith(".csv") ? "csv" : fileName.endsWith(".jsonl") || fileName.endsWith(".ndjson")
                ? "jsonl" : null;
    }
}
