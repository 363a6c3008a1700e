package dev.sextant.server.prompts;

import dev.sextant.sdk.PromptTemplate;

import dev.sextant.server.http.ApiException;
import java.util.Map;

/** {@link PromptTemplate} for the API and the playground (one template semantics everywhere): its failures become 400 {@code invalid_template} or 400 {@code missing_variable}. */
public final class Templates {
    private Templates() {
    }

    static PromptTemplate compile(String template) {
        try {
            return PromptTemplate.compile(template);
        } catch (PromptTemplate.TemplateException e) {
            throw asApi(e);
        }
    }

    public static String render(String template, Map<String, ?> variables) {
        try {
            return compile(template).render(variables);
        } catch (PromptTemplate.TemplateException e) {
            throw asApi(e);
        }
    }

    private static ApiException asApi(PromptTemplate.TemplateException e) {
        String code = e.kind() == PromptTemplate.TemplateException.Kind.MISSING_VARIABLE
                ? "missing_variable" : "invalid_template";
        return new ApiException(400, code, e.getMessage());
    }
}
