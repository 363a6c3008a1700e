package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class PromptTemplateVectorsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();


    @TestFactory
    Stream<DynamicTest> everySharedVectorRendersAsSpecified() throws IOException {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/prompt-render-vectors.json")) {
            vectors = MAPPER.readTree(in).path("vectors");
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : vectors) {
            tests.add(DynamicTest.dynamicTest(v.path("name").asText(), () -> check(v)));
        }
        assertThat(tests).hasSizeGreaterThan(20);
        return tests.stream();
    }

    @SuppressWarnings("unchecked")
    private static void check(JsonNode v) {
        String template = v.path("template").asText();
        Map<String, Object> variables = MAPPER.convertValue(v.path("variables"), Map.class);
        if (v.has("expected")) {
            PromptTemplate compiled = PromptTemplate.compile(template);
            assertThat(compiled.render(variables)).isEqualTo(v.path("expected").asText());
            assertDetected(v, compiled);
        } else {
            String error = v.path("error").asText();
            assertThatThrownBy(() -> {
                PromptTemplate compiled = PromptTemplate.compile(template);
                assertDetected(v, compiled);
                compiled.render(variables);
            }).isInstanceOf(PromptTemplate.TemplateException.class).hasMessageStartingWith(error);
        }
    }

    private static void assertDetected(JsonNode v, PromptTemplate compiled) {
        if (v.has("detectedVariables")) {
            assertThat(compiled.variables()).isEqualTo(texts(v.path("detectedVariables")));
        }
        if (v.has("requiredVariables")) {
            assertThat(compiled.requiredVariables()).isEqualTo(texts(v.path("requiredVariables")));
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
