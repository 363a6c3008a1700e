package dev.sextant.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An evaluation test: the annotated method (a JUnit {@link TestFactory}) receives an
 * {@link Evaluation} and hands it your application's function; Sextant runs it on every item of
 * the dataset, the server's evaluators judge the outputs, and JUnit reports one test per item
 * (failed with the judges' reasons) and one {@code thresholds} test for the gates.
 *
 * <pre>{@code
 * @SextantEvaluation(dataset = "support questions", evaluators = {"answers-the-question", "concise"},
 *                    threshold = @Threshold(evaluator = "answers-the-question", minPassRate = 0.8))
 * Stream<DynamicNode> supportQuestions(Evaluation evaluation) {
 *     return evaluation.run(item -> bot.answer(item.input("question")));
 * }
 * }</pre>
 *
 * <p>An evaluator without a {@link Threshold} must pass on every item. With a threshold, an item
 * that fails it is reported as a failure only when the threshold is missed, and as skipped
 * ("tolerated") otherwise. An item whose function threw, or whose evaluation failed, always fails.
 *
 * <p>The server and key come from the JUnit configuration parameters or system properties
 * {@code sextant.url} and {@code sextant.apiKey}, else the environment ({@code SEXTANT_URL},
 * {@code SEXTANT_API_KEY}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@TestFactory
@ExtendWith(SextantEvaluationExtension.class)
public @interface SextantEvaluation {
    /** Dataset name. */
    String dataset();

    /** Dataset version; 0 (the default) is the latest. */
    int datasetVersion() default 0;

    /** Evaluator names, each optionally with {@code @version} ({@code "concise@2"}). */
    String[] evaluators();

    /** Gates on evaluators' aggregates. */
    Threshold[] threshold() default {};

    /** Items the function runs on at once. */
    int concurrency() default 4;

    /** How often every item is run (for variance). */
    int repetitions() default 1;

    /** Experiment name shown in Sextant (default: the test class and method). */
    String name() default "";

    /** How long the whole evaluation may take. */
    int timeoutSeconds() default 600;
}
