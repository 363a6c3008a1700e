package dev.sextant.sdk;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.codes.ValueCode;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code {{variable}}} templating with Mustache semantics and no HTML escaping (prompts are not
 * HTML). Every variable outside a section must be given; sections ({{#x}}…{{/x}}) are optional.
 */
public final class PromptTemplate {
    private static final DefaultMustacheFactory FACTORY = new DefaultMustacheFactory() {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new MustacheException(e);
            }
        }
    };

    private final String source;
    private final Mustache mustache;
    private final Set<String> requiredVariables;

    private PromptTemplate(String source, Mustache mustache, Set<String> requiredVariables) {
        this.source = source;
        this.mustache = mustache;
        this.requiredVariables = requiredVariables;
    }

    /** @throws IllegalArgumentException when the template is not valid Mustache */
    public static PromptTemplate parse(String source) {
        String text = source == null ? "" : source;
        try {
            Mustache mustache = FACTORY.compile(new StringReader(text), "prompt");
            Set<String> required = new LinkedHashSet<>();
            for (Code code : mustache.getCodes()) {
                if (code instanceof ValueCode value) {
                    required.add(value.getName());
                }
            }
            return new PromptTemplate(text, mustache, required);
        } catch (MustacheException e) {
            throw new IllegalArgumentException("invalid template: " + e.getMessage(), e);
        }
    }

    /** Variables that must be given (those outside sections), in order of appearance. */
    public Set<String> requiredVariables() {
        return requiredVariables;
    }

    /** @throws IllegalArgumentException naming the first missing variable */
    public String render(Map<String, ?> variables) {
        Map<String, ?> given = variables == null ? Map.of() : variables;
        for (String name : requiredVariables) {
            if (!given.containsKey(rootOf(name)) || given.get(rootOf(name)) == null) {
                throw new IllegalArgumentException("missing variable: " + name);
            }
        }
        StringWriter out = new StringWriter();
        mustache.execute(out, given);
        return out.toString();
    }

    public String source() {
        return source;
    }

    private static String rootOf(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }
}
