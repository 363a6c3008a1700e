package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chat prompts render every message with the shared template semantics (see the vectors test). */
class PromptRenderTest {

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

    @Test
    void aMissingVariableIsNamed() {
        Prompt prompt = new Prompt("p", 1, List.of(), List.of(Message.user("Hi {{name}}")), null, Map.of());
        assertThatThrownBy(() -> prompt.render(Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing variable: name");
    }
}
