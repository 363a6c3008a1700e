package dev.sextant.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A gate on one evaluator's aggregate: its pass rate (or, for evaluators without a pass/fail, its
 * mean) must be at least the value. Set one of {@code minPassRate} and {@code minMean}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Threshold {
    String evaluator();

    /** 0..1; the share of judged items that passed. */
    double minPassRate() default Double.NaN;

    /** For number evaluators without a pass rule: the minimum mean value. */
    double minMean() default Double.NaN;
}
