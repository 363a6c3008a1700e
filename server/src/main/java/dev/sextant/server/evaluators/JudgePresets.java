package dev.sextant.server.evaluators;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** The preset library of LLM-judge criteria, loaded once from the classpath. */
final class JudgePresets {
    private final List<JudgePreset> presets;

    JudgePresets() {
        try (InputStream in = JudgePresets.class.getResourceAsStream("/evaluators/presets.yaml")) {
            if (in == null) {
                throw new IllegalStateException("evaluators/presets.yaml is missing from the classpath");
            }
            presets = List.copyOf(new ObjectMapper(new YAMLFactory()).readValue(in, new TypeReference<List<JudgePreset>>() {
            }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the judge presets", e);
        }
    }

    List<JudgePreset> all() {
        return presets;
    }

    Optional<JudgePreset> find(String id) {
        return presets.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
