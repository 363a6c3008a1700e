package dev.sextant.server.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.http.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PromptFileTest {

    static Stream<String> trickyContents() {
        return Stream.of("", "plain", "trailing newline\n", "two trailing\n\n", "\nleading newline",
                "blank\n\nlines\n\n\ninside", "---\nlooks like front matter\n---", "@user pretending to be a block",
                "line\n@system\nin the middle", "\\@already escaped", "\\\\@double", "unicode — 日本語 🚀 ¿qué?",
                "windows\r\nline\r\nendings\r\n", "{{#docs}}\n- {{title}}\n{{/docs}}", "   indented\n\ttabs  ",
                "ends with backslash \\", "@");
    }

    @ParameterizedTest
    @MethodSource("trickyContents")
    void chatPromptsRoundTripLosslessly(String tricky) {
        PromptContent content = new PromptContent(List.of(
                PromptMessage.of("system", tricky),
                PromptMessage.placeholder("history"),
                PromptMessage.of("user", tricky + "{{question}}"),
                PromptMessage.of("assistant", tricky),
                PromptMessage.placeholder("examples")), null, model(), tools());
        String file = PromptFile.write("support/answer", content, List.of());
        PromptFile.Parsed parsed = PromptFile.parse(file);
        assertThat(parsed.name()).isEqualTo("support/answer");
        assertThat(parsed.content()).isEqualTo(content);
        assertThat(parsed.content().hash()).isEqualTo(content.hash());
        assertThat(PromptFile.write(parsed.name(), parsed.content(), parsed.labels())).isEqualTo(file);
    }

    @ParameterizedTest
    @MethodSource("trickyContents")
    void textPromptsRoundTripLosslessly(String tricky) {
        PromptContent content = new PromptContent(null, tricky, null, null);
        String file = PromptFile.write("docs/summary", content, List.of("staging"));
        PromptFile.Parsed parsed = PromptFile.parse(file);
        assertThat(parsed.content()).isEqualTo(content);
        assertThat(parsed.labels()).containsExactly("staging");
        assertThat(PromptFile.write(parsed.name(), parsed.content(), parsed.labels())).isEqualTo(file);
    }

    @Test
    void theWrittenFormIsReadable() {
        PromptContent content = new PromptContent(List.of(PromptMessage.of("system", "You help with {{product}}."),
                PromptMessage.placeholder("history"), PromptMessage.of("user", "{{question}}")), null,
                new ModelConfig("sim", "sim-1", 0.2, 256, null, null, null, null), null);
        assertThat(PromptFile.write("support/answer", content, List.of())).isEqualTo("""
                ---
                name: support/answer
                model:
                  provider: sim
                  name: sim-1
                  temperature: 0.2
                  maxTokens: 256
                ---
                @system
                You help with {{product}}.

                @history

                @user
                {{question}}
                """);
    }

    @Test
    void handWrittenFilesNeedNoBlankLinesOrFrontMatter() {
        PromptFile.Parsed parsed = PromptFile.parse("@system\nBe brief.\n@user\n{{q}}");
        assertThat(parsed.name()).isNull();
        assertThat(parsed.content().messages()).containsExactly(PromptMessage.of("system", "Be brief."),
                PromptMessage.of("user", "{{q}}"));
        assertThat(PromptFile.parse("@placeholder examples\n@user\nhi\n").content().messages().getFirst())
                .isEqualTo(PromptMessage.placeholder("examples"));
    }

    @Test
    void mistakesAreReportedWithTheirLine() {
        assertThatThrownBy(() -> PromptFile.parse("---\nname: x\n---\n@system\nok\n@robot\nhi"))
                .isInstanceOf(PromptFile.FormatException.class).hasMessageContaining("line 6").hasMessageContaining("@robot");
        assertThatThrownBy(() -> PromptFile.parse("---\nname: x\n@system\nno closing fence"))
                .isInstanceOf(PromptFile.FormatException.class).hasMessageContaining("closing ---");
        assertThatThrownBy(() -> PromptFile.parse("---\nname: [unclosed\n---\n@user\nx"))
                .isInstanceOf(PromptFile.FormatException.class).hasMessageContaining("YAML");
        assertThatThrownBy(() -> PromptFile.parse("@history\nnot empty\n"))
                .isInstanceOf(PromptFile.FormatException.class).hasMessageContaining("placeholder");
    }

    private static ModelConfig model() {
        JsonNode format = Json.read("""
                {"type": "json_schema", "jsonSchema": {"name": "answer", "strict": true, "schema": {"type": "object",
                 "properties": {"text": {"type": "string", "description": "---\\n@user\\ntrue"}, "n": {"type": "number",
                 "minimum": 1.5}}, "required": ["text"]}}}""", JsonNode.class);
        return new ModelConfig("sim", "sim-1", 0.2, 512, 0.9, List.of("\n\n", "END", "true", "1.0"), 42L, format);
    }

    private static List<ToolDefinition> tools() {
        return List.of(new ToolDefinition("lookup_order", "Find an order by id: 'quoted' & \"double\"",
                Json.read("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}},\"required\":[\"id\"]}",
                        JsonNode.class)));
    }
}
