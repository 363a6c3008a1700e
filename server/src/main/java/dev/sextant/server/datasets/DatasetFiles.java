package dev.sextant.server.datasets;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import java.io.IOException;
import java.io.Writer;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads CSV and JSONL files into records (with the line each starts on, for error messages) and
 * writes a dataset version back out in both formats. Parsing never stores anything: the caller
 * turns all records into items first, so a bad line rejects the whole file.
 */
public final class DatasetFiles {
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private DatasetFiles() {
    }

    public enum Format {
        CSV("text/csv"), JSONL("application/x-ndjson");

        private final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }

        public String contentType() {
            return contentType;
        }

        public String extension() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Format parse(String value) {
            if (value == null || value.isBlank()) {
                throw ApiException.badRequest("format is required: csv or jsonl");
            }
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "csv" -> CSV;
                case "jsonl", "ndjson" -> JSONL;
                default -> throw ApiException.badRequest("format must be csv or jsonl, not '" + value + "'");
            };
        }
    }

    /** One record of a file and the line it starts on. */
    public record Row(int line, ObjectNode fields) {
    }

    /** A parsed file: its columns (CSV header, or every JSONL top-level field in order of appearance). */
    public record Parsed(Format format, List<String> columns, List<Row> rows) {
    }

    public static Parsed parse(Format format, String content) {
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        return format == Format.CSV ? parseCsv(text) : parseJsonl(text);
    }

    /**
     * Turns every record into an item, or fails on the first bad one naming its line. Without an
     * explicit mapping each record uses the mapping implied by its own column names.
     */
    public static List<ItemDraft> toItems(Parsed parsed, FieldMapping explicit) {
        if (parsed.rows().isEmpty()) {
            throw ApiException.invalid("the file has no records");
        }
        if (explicit != null && parsed.format() == Format.CSV) {
            for (String source : explicit.sources()) {
                if (!parsed.columns().contains(source)) {
                    throw ApiException.invalid("line 1: mapped column '" + source + "' is not in the header (columns: "
                            + String.join(", ", parsed.columns()) + ")");
                }
            }
        }
        FieldMapping csvDefault = FieldMapping.defaultFor(parsed.columns());
        List<ItemDraft> items = new ArrayList<>(parsed.rows().size());
        for (Row row : parsed.rows()) {
            FieldMapping mapping = explicit != null ? explicit
                    : parsed.format() == Format.CSV ? csvDefault : FieldMapping.defaultFor(fieldNames(row.fields()));
            items.add(mapping.apply(row.fields(), "line " + row.line(), parsed.format() == Format.CSV));
        }
        return items;
    }

    private static Parsed parseCsv(String text) {
        List<String> header = null;
        List<Row> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = CSV.readerFor(String[].class).with(CsvSchema.emptySchema()).readValues(text)) {
            while (true) {
                int line = lineOf(it);
                if (!hasNext(it, line)) {
                    break;
                }
                String[] cells = next(it, line);
                if (header == null) {
                    header = header(cells);
                    continue;
                }
                if (cells.length != header.size()) {
                    throw ApiException.invalid("line " + line + ": expected " + header.size() + " columns, found "
                            + cells.length);
                }
                ObjectNode fields = JsonNodeFactory.instance.objectNode();
                for (int i = 0; i < cells.length; i++) {
                    fields.put(header.get(i), cells[i]);
                }
                rows.add(new Row(line, fields));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (header == null) {
            throw ApiException.invalid("line 1: the CSV file is empty; it needs a header row");
        }
        return new Parsed(Format.CSV, header, rows);
    }

    private static int lineOf(MappingIterator<?> it) {
        // The reader has consumed the previous row and any empty lines: it stands where the next row starts.
        JsonLocation location = it.getParser().currentLocation();
        return Math.max(1, location.getLineNr());
    }

    private static boolean hasNext(MappingIterator<String[]> it, int line) {
        try {
            return it.hasNextValue();
        } catch (IOException e) {
            throw malformed(e, line);
        }
    }

    private static String[] next(MappingIterator<String[]> it, int line) {
        try {
            return it.nextValue();
        } catch (IOException | RuntimeException e) {
            throw malformed(e, line);
        }
    }

    private static ApiException malformed(Exception e, int line) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        int at = e instanceof JsonProcessingException j && j.getLocation() != null ? j.getLocation().getLineNr() : line;
        return ApiException.invalid("line " + Math.max(at, 1) + ": malformed CSV: " + message);
    }

    private static List<String> header(String[] cells) {
        List<String> header = new ArrayList<>();
        for (String cell : cells) {
            String name = cell.trim();
            if (name.isEmpty()) {
                throw ApiException.invalid("line 1: the header has an empty column name");
            }
            if (header.contains(name)) {
                throw ApiException.invalid("line 1: the header names column '" + name + "' twice");
            }
            header.add(name);
        }
        return header;
    }

    private static Parsed parseJsonl(String text) {
        Set<String> columns = new LinkedHashSet<>();
        List<Row> rows = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.mapper().readTree(lines[i]);
            } catch (JsonProcessingException e) {
                throw ApiException.invalid("line " + (i + 1) + ": malformed JSON: " + e.getOriginalMessage());
            }
            if (!node.isObject()) {
                throw ApiException.invalid("line " + (i + 1) + ": each line must be a JSON object");
            }
            columns.addAll(fieldNames(node));
            rows.add(new Row(i + 1, (ObjectNode) node));
        }
        return new Parsed(Format.JSONL, List.copyOf(columns), rows);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** One JSON object per line, in the item's API shape (re-importable without a mapping). */
    public static String jsonLine(DatasetItem item) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("id", item.id());
        line.set("input", item.input());
        if (item.messages() != null) {
            line.set("messages", item.messages());
        }
        line.set("expectedOutput", item.expectedOutput());
        line.set("metadata", item.metadata());
        if (item.sourceTraceId() != null) {
            line.put("sourceTraceId", item.sourceTraceId());
            line.put("sourceSpanId", item.sourceSpanId());
        }
        return Json.write(line) + "\n";
    }

    /** A CSV writer over {@code out} (quoting as needed); write {@link CsvColumns#header()} first. */
    public static SequenceWriter csvWriter(Writer out) {
        try {
            return CSV.writer(CsvSchema.emptySchema()).writeValues(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The columns of a CSV export, gathered from every item first: {@code id},
     * {@code input.<name>} per variable, {@code messages} (JSON, if any item has them),
     * {@code expected}, {@code metadata.<key>} and the source ids (if any). Text is written as is,
     * other JSON values as JSON.
     */
    public static final class CsvColumns {
        private final Set<String> inputs = new LinkedHashSet<>();
        private final Set<String> metadata = new LinkedHashSet<>();
        private boolean messages;
        private boolean sources;

        public void include(DatasetItem item) {
            inputs.addAll(fieldNames(item.input()));
            metadata.addAll(fieldNames(item.metadata()));
            messages |= item.messages() != null;
            sources |= item.sourceTraceId() != null;
        }

        public String[] header() {
            List<String> header = new ArrayList<>();
            header.add("id");
            inputs.forEach(name -> header.add("input." + name));
            if (messages) {
                header.add("messages");
            }
            header.add("expected");
            metadata.forEach(key -> header.add("metadata." + key));
            if (sources) {
                header.add("source_trace_id");
                header.add("source_span_id");
            }
            return header.toArray(String[]::new);
        }

        public String[] row(DatasetItem item) {
            List<String> row = new ArrayList<>();
            row.add(item.id());
            inputs.forEach(name -> row.add(cell(item.input().get(name))));
            if (messages) {
                row.add(cell(item.messages()));
            }
            row.add(cell(item.expectedOutput()));
            metadata.forEach(key -> row.add(cell(item.metadata().get(key))));
            if (sources) {
                row.add(item.sourceTraceId() == null ? "" : item.sourceTraceId());
                row.add(item.sourceSpanId() == null ? "" : item.sourceSpanId());
            }
            return row.toArray(String[]::new);
        }
    }

    /** Text as is; other JSON values as JSON; nothing as an empty cell. */
    public static String cell(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        return value.isTextual() ? value.asText() : Json.write(value);
    }
}
