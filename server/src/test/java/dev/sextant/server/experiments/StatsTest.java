package dev.sextant.server.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void wilsonIntervalMatchesPublishedValues() {
        // Newcombe (1998), Table I: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605.
        Stats.Interval a = Stats.wilson(81, 263);
        assertThat(a.estimate()).isCloseTo(0.3080, within(1e-4));
        assertThat(a.low()).isCloseTo(0.2553, within(1e-4));
        assertThat(a.high()).isCloseTo(0.3662, within(1e-4));
        Stats.Interval b = Stats.wilson(15, 148);
        assertThat(b.low()).isCloseTo(0.0624, within(1e-4));
        assertThat(b.high()).isCloseTo(0.1605, within(1e-4));
    }

    @Test
    void wilsonIntervalStaysInsideZeroAndOneAtTheExtremes() {
        Stats.Interval none = Stats.wilson(0, 10);
        assertThat(none.low()).isCloseTo(0.0, within(1e-12));
        assertThat(none.high()).isCloseTo(0.2775, within(1e-4));
        Stats.Interval all = Stats.wilson(10, 10);
        assertThat(all.high()).isCloseTo(1.0, within(1e-12));
        assertThat(all.low()).isCloseTo(0.7225, within(1e-4));
        assertThat(Stats.wilson(0, 0).estimate()).isNaN();
    }

    @Test
    void meanIntervalUsesStudentT() {
        // mean 5, sd sqrt(2.5), n 5: t(0.975, 4) = 2.776445 → 5 ± 1.963243
        Stats.Interval ci = Stats.mean(new double[] {3, 4, 5, 6, 7});
        assertThat(ci.estimate()).isEqualTo(5.0);
        assertThat(ci.low()).isCloseTo(3.036757, within(1e-5));
        assertThat(ci.high()).isCloseTo(6.963243, within(1e-5));
    }

    @Test
    void pairedBootstrapIsReproducibleWithASeedAndCentredOnTheMeanDifference() {
        double[] a = new double[40];
        double[] b = new double[40];
        for (int i = 0; i < 40; i++) {
            a[i] = i % 2;
            b[i] = i % 4 == 0 ? 0 : 1; // b passes 30 of 40, a passes 20 of 40
        }
        Stats.Interval first = Stats.pairedBootstrap(a, b, 10_000, 42);
        Stats.Interval again = Stats.pairedBootstrap(a, b, 10_000, 42);
        assertThat(again).isEqualTo(first);
        assertThat(first.estimate()).isCloseTo(0.25, within(1e-12));
        // Differences are 1 on 10 items and 0 on 30: the resampled mean is Binomial(40, 0.25)/40,
        // whose 2.5 % and 97.5 % quantiles are 5/40 and 15/40.
        assertThat(first.low()).isCloseTo(0.125, within(0.026));
        assertThat(first.high()).isCloseTo(0.375, within(0.026));
        assertThat(first.excludesZero()).isTrue();
    }

    @Test
    void pairedBootstrapOfIdenticalRunsIsZeroWide() {
        double[] a = {1, 0, 1, 1, 0};
        Stats.Interval ci = Stats.pairedBootstrap(a, a.clone(), 1_000, 1);
        assertThat(ci.low()).isZero();
        assertThat(ci.high()).isZero();
        assertThat(ci.excludesZero()).isFalse();
    }

    @Test
    void percentilesInterpolateLinearly() {
        List<Integer> values = List.of(10, 20, 30, 40, 50);
        assertThat(Stats.percentile(values, 50)).isEqualTo(30.0);
        assertThat(Stats.percentile(values, 95)).isCloseTo(48.0, within(1e-9));
        assertThat(Stats.percentile(List.of(7), 95)).isEqualTo(7.0);
    }

    @Test
    void passAtKFollowsTheUnbiasedEstimator() {
        assertThat(Stats.passAtK(5, 0, 1)).isZero();
        assertThat(Stats.passAtK(5, 5, 3)).isEqualTo(1.0);
        assertThat(Stats.passAtK(10, 3, 1)).isCloseTo(0.3, within(1e-12));
        // 1 - C(8,2)/C(10,2) = 1 - 28/45
        assertThat(Stats.passAtK(10, 2, 2)).isCloseTo(17.0 / 45, within(1e-12));
        assertThat(Stats.passAtK(3, 1, 3)).isEqualTo(1.0);
    }

    @Test
    void sampleVarianceUsesNMinusOne() {
        assertThat(Stats.variance(new double[] {1, 0, 1, 0})).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(Stats.variance(new double[] {1})).isZero();
    }
}
