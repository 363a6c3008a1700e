package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {

    @Test
    void variablesAreSubstitutedWithoutHtmlEscaping() {
        assertThat(PromptTemplate.parse("Answer about {{product}} for <{{user}}> & co")
                .render(Map.of("product", "Sextant \"Pro\"", "user", "<b>ada</b>")))
                .isEqualTo("Answer about Sextant \"Pro\" for <<b>ada</b>> & co");
    }

    @Test
    void aMissingVariableIsNamed() {
        assertThatThrownBy(() -> PromptTemplate.parse("Hi {{name}}, about {{topic}}").render(Map.of("name", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("missing variable: topic");
    }

    @Test
    void sectionsAreOptional() {
        PromptTemplate template = PromptTemplate.parse("Q: {{q}}{{#context}} Context: {{context}}{{/context}}");
        assertThat(template.requiredVariables()).containsExactly("q");
        assertThat(template.render(Map.of("q", "why?"))).isEqualTo("Q: why?");
        assertThat(template.render(Map.of("q", "why?", "context", "docs"))).isEqualTo("Q: why? Context: docs");
    }

    @Test
    void anInvalidTemplateIsAClearError() {
        assertThatThrownBy(() -> PromptTemplate.parse("{{#open}} never closed"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("invalid template");
    }

    @Test
    void chatPromptsRenderEveryMessageAndInsertHistoryAtThePlaceholder() {
        Prompt prompt = new Prompt("support/answer", 3, List.of("production"), List.of(
                Message.system("You support {{product}}."),
                new Message("placeholder", "history", null, null, null),
                Message.user("{{question}}")), null, Map.of("provider", "sim", "name", "sim-1"));
        List<Message> rendered = prompt.render(Map.of("product", "Sextant", "question", "Refunds?",
                "history", List.of(Message.user("hi"), Message.assistant("hello"))));
        assertThat(rendered).extracting(Message::role).containsExactly("system", "user", "assistant", "user");
        assertThat(rendered.getFirst().content()).isEqualTo("You support Sextant.");
        assertThat(rendered.getLast().content()).isEqualTo("Refunds?");
        assertThat(prompt.modelName()).isEqualTo("sim-1");
    }
}
