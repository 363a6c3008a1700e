package dev.sextant.server.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sextant.server.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code .prompt} text format (see docs/prompts.md): YAML front matter between {@code ---} lines
 * (name, model, tools, labels), then either message blocks — a header line {@code @system},
 * {@code @user}, {@code @assistant}, {@code @history} or {@code @placeholder NAME}, followed by the
 * content up to the next header — or, without any header, a plain text template.
 * <p>
 * Round trips are lossless: the writer ends each block's content with one newline and separates
 * blocks by a blank line, and the parser removes exactly one trailing newline; a content line that
 * starts with {@code @} (after any backslashes) is written with one extra leading backslash, which
 * the parser removes.
 */
public final class PromptFile {
    public static final String EXTENSION = ".prompt";
    private static final String FENCE = "---";
    private static final Pattern HEADER = Pattern.compile("@(system|user|assistant|history|placeholder)(?:[ \\t]+(\\S+))?[ \\t]*");
    private static final Pattern ESCAPED = Pattern.compile("^\\\\*@");
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .build())
            .build();

    private PromptFile() {
    }

    /** A parsed file: the prompt name (null when the file has none), its content and the labels it asks for. */
    public record Parsed(String name, PromptContent content, List<String> labels) {
    }

    /** A file that is not valid {@code .prompt} syntax; the message names the line. */
    public static final class FormatException extends RuntimeException {
        public FormatException(String message) {
            super(message);
        }
    }

    public static String write(String name, PromptContent content, List<String> labels) {
        ObjectNode front = Json.mapper().createObjectNode();
        front.put("name", name);
        if (content.model() != null) {
            front.set("model", Json.mapper().valueToTree(content.model()));
        }
        if (content.tools() != null && !content.tools().isEmpty()) {
            front.set("tools", Json.mapper().valueToTree(content.tools()));
        }
        if (labels != null && !labels.isEmpty()) {
            front.set("labels", Json.mapper().valueToTree(labels));
        }
        try {
            return FENCE + "\n" + YAML.writeValueAsString(front) + FENCE + "\n" + body(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write front matter", e);
        }
    }

    /** The template part of a file: message blocks or the text; also what template diffs compare. */
    public static String body(PromptContent content) {
        if (!content.isChat()) {
            return escape(content.text()) + "\n";
        }
        List<String> blocks = new ArrayList<>();
        for (PromptMessage m : content.messages()) {
            String header = !m.isPlaceholder() ? "@" + m.role()
                    : "history".equals(m.name()) ? "@history" : "@placeholder " + m.name();
            blocks.add(header + "\n" + (m.isPlaceholder() ? "" : escape(m.content()) + "\n"));
        }
        return String.join("\n", blocks);
    }

    public static Parsed parse(String file) {
        String text = file.startsWith("\uFEFF") ? file.substring(1) : file;
        String name = null;
        FrontMatter front = new FrontMatter();
        String body = text;
        if (text.startsWith(FENCE + "\n") || text.startsWith(FENCE + "\r\n")) {
            int start = text.indexOf('\n') + 1;
            int end = findClosingFence(text, start);
            front = readFrontMatter(text.substring(start, end));
            int after = text.indexOf('\n', end);
            body = after < 0 ? "" : text.substring(after + 1);
            name = front.name;
        }
        List<String> lines = List.of(body.split("\n", -1));
        PromptContent content = isHeaderCandidate(lines.getFirst())
                ? new PromptContent(parseBlocks(lines, front.lineOffset), null, front.model, front.tools)
                : new PromptContent(null, stripOneNewline(unescape(body)), front.model, front.tools);
        return new Parsed(name, content, front.labels);
    }

    private static int findClosingFence(String text, int from) {
        int lineStart = from;
        while (lineStart <= text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            String line = text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd);
            if (line.equals(FENCE) || line.equals(FENCE + "\r")) {
                return lineStart;
            }
            if (lineEnd < 0) {
                break;
            }
            lineStart = lineEnd + 1;
        }
        throw new FormatException("line 1: front matter starts with --- but has no closing --- line");
    }

    private static final class FrontMatter {
        String name;
        ModelConfig model;
        List<ToolDefinition> tools;
        List<String> labels = List.of();
        int lineOffset;
    }

    private static FrontMatter readFrontMatter(String yaml) {
        FrontMatter holder = new FrontMatter();
        holder.lineOffset = (int) yaml.chars().filter(c -> c == '\n').count() + 2;
        JsonNode node;
        try {
            node = yaml.isBlank() ? Json.mapper().createObjectNode() : YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new FormatException("front matter is not valid YAML: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new FormatException("front matter must be a YAML mapping (name: …, model: …)");
        }
        try {
            holder.name = node.hasNonNull("name") ? node.get("name").asText() : null;
            holder.model = node.hasNonNull("model") ? Json.mapper().treeToValue(node.get("model"), ModelConfig.class) : null;
            holder.tools = node.hasNonNull("tools") ? Json.mapper().convertValue(node.get("tools"),
                    new TypeReference<List<ToolDefinition>>() { }) : null;
            holder.labels = node.hasNonNull("labels") ? Json.mapper().convertValue(node.get("labels"),
                    new TypeReference<List<String>>() { }) : List.of();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new FormatException("front matter has a field of the wrong shape: " + e.getMessage());
        }
        return holder;
    }

    private static boolean isHeaderCandidate(String line) {
        return line.startsWith("@");
    }

    private static List<PromptMessage> parseBlocks(List<String> lines, int lineOffset) {
        List<PromptMessage> messages = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String headerLine = lines.get(i).endsWith("\r") ? lines.get(i).substring(0, lines.get(i).length() - 1)
                    : lines.get(i);
            Matcher header = HEADER.matcher(headerLine);
            int lineNumber = lineOffset + i + 1;
            if (!header.matches()) {
                throw new FormatException("line " + lineNumber + ": unknown block '" + headerLine
                        + "' (use @system, @user, @assistant, @history or @placeholder NAME; write a literal @ at the "
                        + "start of a line as \\@)");
            }
            int next = i + 1;
            while (next < lines.size() && !isHeaderCandidate(lines.get(next))) {
                next++;
            }
            String content = stripOneNewline(unescape(String.join("\n", lines.subList(i + 1, next))));
            String kind = header.group(1);
            String argument = header.group(2);
            if (kind.equals("placeholder") || kind.equals("history")) {
                String name = kind.equals("history") ? "history" : argument;
                if (name == null || (kind.equals("history") && argument != null)) {
                    throw new FormatException("line " + lineNumber + ": write @history or @placeholder NAME");
                }
                if (!content.isBlank()) {
                    throw new FormatException("line " + lineNumber + ": a placeholder block has no content");
                }
                messages.add(PromptMessage.placeholder(name));
            } else {
                if (argument != null) {
                    throw new FormatException("line " + lineNumber + ": @" + kind + " takes no argument");
                }
                messages.add(PromptMessage.of(kind, content));
            }
            i = next;
        }
        return messages;
    }

    private static String escape(String content) {
        StringBuilder out = new StringBuilder();
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            out.append(ESCAPED.matcher(lines[i]).find() ? "\\" + lines[i] : lines[i]);
        }
        return out.toString();
    }

    private static String unescape(String content) {
        StringBuilder out = new StringBuilder();
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            boolean escaped = lines[i].startsWith("\\") && ESCAPED.matcher(lines[i]).find();
            out.append(escaped ? lines[i].substring(1) : lines[i]);
        }
        return out.toString();
    }

    private static String stripOneNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
