package dev.sextant.server.models;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The kinds of provider the gateway can call; all but Anthropic and Gemini speak the OpenAI API. */
public enum ProviderKind {
    SIM("sim", "Sextant sim (scripted, offline)"),
    OPENAI("openai", "OpenAI"),
    OPENAI_COMPATIBLE("openai-compatible", "OpenAI-compatible (Ollama, vLLM, Azure OpenAI, Groq, OpenRouter…)"),
    ANTHROPIC("anthropic", "Anthropic"),
    GEMINI("gemini", "Google Gemini");

    private final String id;
    private final String label;

    ProviderKind(String id, String label) {
        this.id = id;
        this.label = label;
    }

    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    public static Optional<ProviderKind> parse(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.id.equals(wanted)).findFirst();
    }
}
