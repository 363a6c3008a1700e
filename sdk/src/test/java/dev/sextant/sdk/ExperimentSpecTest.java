package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExperimentSpecTest {

    @Test
    void evaluatorsAreNamesWithAnOptionalVersion() {
        ExperimentSpec spec = ExperimentSpec.builder("faq").evaluators("concise", "answers@2", "tone@v3", "a@b")
                .evaluator("short", 1).textTask(DatasetItem::id).build();
        assertThat(spec.evaluators()).containsExactly(new ExperimentSpec.EvaluatorRef("concise", null),
                new ExperimentSpec.EvaluatorRef("answers", 2), new ExperimentSpec.EvaluatorRef("tone", 3),
                new ExperimentSpec.EvaluatorRef("a@b", null), new ExperimentSpec.EvaluatorRef("short", 1));
        assertThat(spec.concurrency()).isEqualTo(4);
        assertThat(spec.repetitions()).isEqualTo(1);
    }

    @Test
    void aSpecWithoutEvaluatorsOrWithABadConcurrencyIsRejectedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> ExperimentSpec.builder("faq").textTask(DatasetItem::id).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("evaluator");
        assertThatThrownBy(() -> ExperimentSpec.builder("faq").evaluators("x").concurrency(0)
                .textTask(DatasetItem::id).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency");
        assertThatThrownBy(() -> ExperimentSpec.builder("faq").evaluators("x").build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("task");
    }
}
