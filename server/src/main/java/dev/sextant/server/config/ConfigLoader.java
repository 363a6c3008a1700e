package dev.sextant.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** Merges the configuration sources in precedence order: flags > environment > YAML file > defaults. */
public final class ConfigLoader {
    public static final String DEFAULT_FILE = "sextant.yaml";

    private ConfigLoader() {
    }

    /**
     * @param flags values given on the command line (only those the user set)
     * @param env the process environment
     * @param yamlFile the YAML file; absent files are ignored unless named explicitly
     * @param fileIsExplicit whether the user named the file (then it must exist)
     */
    public static SextantConfig load(Map<ConfigKey, String> flags, Map<String, String> env, Path yamlFile,
                                     boolean fileIsExplicit) {
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        JsonNode yaml = readYaml(yamlFile, fileIsExplicit);
        for (ConfigKey key : ConfigKey.values()) {
            String value = key.defaultValue();
            if (yaml != null && yaml.hasNonNull(key.yamlName())) {
                value = yaml.get(key.yamlName()).asText();
            }
            if (env.containsKey(key.envName())) {
                value = env.get(key.envName());
            }
            if (flags.containsKey(key)) {
                value = flags.get(key);
            }
            values.put(key, value);
        }
        if (yaml != null) {
            yaml.fieldNames().forEachRemaining(ConfigLoader::requireKnownKey);
        }
        return new SextantConfig(values);
    }

    private static void requireKnownKey(String name) {
        for (ConfigKey key : ConfigKey.values()) {
            if (key.yamlName().equals(name)) {
                return;
            }
        }
        throw new ConfigException("unknown key '" + name + "' in " + DEFAULT_FILE
                + " (see docs/configuration.md)");
    }

    private static JsonNode readYaml(Path file, boolean explicit) {
        if (file == null || !Files.exists(file)) {
            if (explicit) {
                throw new ConfigException("config file not found: " + file);
            }
            return null;
        }
        try {
            JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return null;
            }
            if (!node.isObject()) {
                throw new ConfigException(file + " must be a mapping of keys to values");
            }
            return node;
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
