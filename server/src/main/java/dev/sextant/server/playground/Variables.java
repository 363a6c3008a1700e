package dev.sextant.server.playground;

import dev.sextant.server.http.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{variable}}} placeholders in playground messages: detection and substitution. Values are
 * inserted as plain text (never re-expanded), so a value containing braces stays as it is.
 */
final class Variables {
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*}}");

    private Variables() {
    }

    static Set<String> names(String text) {
        Set<String> names = new LinkedHashSet<>();
        if (text != null) {
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Substitutes every placeholder; a missing variable is a 400 that names it. */
    static String render(String text, Map<String, String> values) {
        if (text == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        List<String> missing = new ArrayList<>();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                missing.add(m.group(1));
                value = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (!missing.isEmpty()) {
            throw new ApiException(400, "missing_variable", "missing value for variable"
                    + (missing.size() > 1 ? "s " : " ") + String.join(", ", new LinkedHashSet<>(missing)));
        }
        return out.toString();
    }
}
