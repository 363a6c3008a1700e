package dev.sextant.sdk;

import com.fasterxml.jackson.jr.ob.JSON;
import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheNotFoundException;
import com.github.mustachejava.codes.CommentCode;
import com.github.mustachejava.codes.IterableCode;
import com.github.mustachejava.codes.NotIterableCode;
import com.github.mustachejava.codes.ValueCode;
import com.github.mustachejava.codes.WriteCode;
import com.github.mustachejava.reflect.MapObjectHandler;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One mustache template with the semantics Sextant promises everywhere (the server uses this very
 * class from the SDK, so they cannot drift), pinned
 * by {@code prompt-render-vectors.json}:
 * <ul>
 *   <li>{@code {{name}}}, {@code {{{name}}}} and {@code {{&name}}} insert the value verbatim: prompts are
 *       not HTML, nothing is escaped. Strings as they are, numbers and booleans as in JSON, lists and
 *       objects as compact JSON, {@code null} as nothing.</li>
 *   <li>{@code {{a.b}}} reads a field of an object. Sections {@code {{#x}}…{{/x}}} repeat for each item of a
 *       list, render once for any other truthy value, and are skipped for false, null, "" and empty lists;
 *       inverted sections {@code {{^x}}…{{/x}}} do the opposite. Comments {@code {{! … }}} render nothing.</li>
 *   <li>The variables of a template are the names used outside any section plus the section names (for a
 *       dotted name, its full path). Those used outside sections are required: each must be supplied and not
 *       null, otherwise rendering fails with {@code missing variable: name}. Sections are optional: a missing
 *       section variable is false. Names inside a section are looked up in the current item, then outward,
 *       and render empty when absent.</li>
 *   <li>Partials and template inheritance are rejected: a template never reads anything but its variables.</li>
 * </ul>
 */
public final class PromptTemplate {
    private final Mustache mustache;
    private final List<String> variables;
    private final List<String> required;

    private PromptTemplate(Mustache mustache, List<String> variables, List<String> required) {
        this.mustache = mustache;
        this.variables = variables;
        this.required = required;
    }

    /** Parses {@code template}; throws {@link TemplateException} when it is not valid mustache. */
    public static PromptTemplate compile(String template) {
        Mustache mustache;
        try {
            mustache = new VerbatimFactory().compile(new StringReader(template), "prompt");
        } catch (MustacheNotFoundException e) {
            throw new TemplateException(TemplateException.Kind.INVALID, "invalid template: partials are not supported");
        } catch (MustacheException e) {
            throw new TemplateException(TemplateException.Kind.INVALID, "invalid template: " + rootMessage(e));
        }
        Set<String> names = new LinkedHashSet<>();
        Set<String> required = new LinkedHashSet<>();
        collect(mustache.getCodes(), names, required, true);
        return new PromptTemplate(mustache, List.copyOf(names), List.copyOf(required));
    }

    /** Every variable the template uses at the top level (section names included), in order of first use. */
    public List<String> variables() {
        return variables;
    }

    /** The variables that must be supplied and not null: those used outside sections. */
    public List<String> requiredVariables() {
        return required;
    }

    /** Renders with {@code values}; throws {@link TemplateException} naming the first missing variable. */
    public String render(Map<String, ?> values) {
        for (String name : required) {
            if (!isPresent(values, name)) {
                throw new TemplateException(TemplateException.Kind.MISSING_VARIABLE, "missing variable: " + name);
            }
        }
        StringWriter out = new StringWriter();
        try {
            mustache.execute(out, values).flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MustacheException e) {
            throw new TemplateException(TemplateException.Kind.INVALID, "cannot render template: " + rootMessage(e));
        }
        return out.toString();
    }

    private static void collect(Code[] codes, Set<String> names, Set<String> required, boolean outsideSections) {
        if (codes == null) {
            return;
        }
        for (Code code : codes) {
            boolean section = code instanceof IterableCode;
            boolean value = code instanceof ValueCode;
            if (!section && !value && code.getName() != null && !(code instanceof WriteCode || code instanceof CommentCode)) {
                throw new TemplateException(TemplateException.Kind.INVALID,
                        "invalid template: unsupported tag {{" + code.getName() + "}}");
            }
            // Names inside sections resolve against the section's items first, so they are not required.
            if (outsideSections && (section || value) && !".".equals(code.getName())) {
                names.add(code.getName());
                if (value) {
                    required.add(code.getName());
                }
            }
            if (section) {
                collect(code.getCodes(), names, required, false);
            }
        }
    }

    private static boolean isPresent(Map<String, ?> values, String dotted) {
        Object current = values;
        for (String part : dotted.split("\\.", -1)) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return false;
            }
            current = map.get(part);
        }
        return current != null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? e.getMessage() : root.getMessage();
    }

    /** Writes values verbatim, resolves names in maps only, and has no partials to read. */
    private static final class VerbatimFactory extends DefaultMustacheFactory {
        VerbatimFactory() {
            super(name -> null);
            setObjectHandler(new JsonValues());
        }

        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Looks names up in maps only (never reflection on Java objects) and prints lists and maps as JSON. */
    private static final class JsonValues extends MapObjectHandler {
        @Override
        public String stringify(Object value) {
            if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
                try {
                    return JSON.std.asString(value);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot write variable as JSON", e);
                }
            }
            return String.valueOf(value);
        }
    }

    /** A template that cannot be parsed or rendered, or a variable that was not supplied. */
    public static final class TemplateException extends IllegalArgumentException {
        /** Why rendering failed. */
        public enum Kind { INVALID, MISSING_VARIABLE }

        private final Kind kind;

        public TemplateException(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

}
