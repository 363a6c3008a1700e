package dev.sextant.server.prompts;

import dev.sextant.server.http.ApiException;
import java.util.Map;

/** Maps template failures to API errors: 400 {@code invalid_template} or 400 {@code missing_variable}. */
final class PromptsApiErrors {
    private PromptsApiErrors() {
    }

    static PromptTemplate compile(String template) {
        try {
            return PromptTemplate.compile(template);
        } catch (PromptTemplate.TemplateException e) {
            throw asApi(e);
        }
    }

    static String render(String template, Map<String, Object> variables) {
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
