package dev.sextant.junit;

import dev.sextant.sdk.Sextant;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a {@link SextantEvaluation} method its {@link Evaluation}. One Sextant client per server
 * and key is shared by the whole test run and closed at its end.
 */
public final class SextantEvaluationExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            SextantEvaluationExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Evaluation.class
                && parameter.getDeclaringExecutable().isAnnotationPresent(SextantEvaluation.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        SextantEvaluation settings = parameter.getDeclaringExecutable().getAnnotation(SextantEvaluation.class);
        String url = setting(context, "sextant.url", "SEXTANT_URL").orElse("http://localhost:7070");
        String apiKey = setting(context, "sextant.apiKey", "SEXTANT_API_KEY").orElseThrow(() ->
                new ParameterResolutionException("@SextantEvaluation needs an API key: set SEXTANT_API_KEY, or the "
                        + "system property (or JUnit configuration parameter) sextant.apiKey"));
        Sextant sextant = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(url + " " + apiKey,
                key -> Sextant.builder().url(url).apiKey(apiKey).serviceName("sextant-junit").build(), Sextant.class);
        String name = settings.name().isBlank()
                ? context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName()
                : settings.name();
        return new Evaluation(sextant, settings, name);
    }

    private static Optional<String> setting(ExtensionContext context, String property, String env) {
        Optional<String> configured = context.getConfigurationParameter(property).filter(v -> !v.isBlank());
        if (configured.isPresent()) {
            return configured;
        }
        String system = System.getProperty(property);
        if (system != null && !system.isBlank()) {
            return Optional.of(system);
        }
        return Optional.ofNullable(System.getenv(env)).filter(v -> !v.isBlank());
    }
}
