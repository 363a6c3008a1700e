package dev.sextant.server.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AgreementTest {

    @Test
    void kappaMatchesTheTextbookExample() {
        // Wikipedia "Cohen's kappa", first worked example: 50 proposals, both yes 20, both no 15,
        // A yes / B no 5, A no / B yes 10: p_o = 0.7, p_e = 0.5, kappa = 0.4.
        Agreement a = new Agreement(20, 5, 10, 15);
        assertThat(a.total()).isEqualTo(50);
        assertThat(a.agreementRate()).isCloseTo(0.7, within(1e-12));
        assertThat(a.kappa()).isCloseTo(0.4, within(1e-12));
        assertThat(a.truePositiveRate()).isCloseTo(0.8, within(1e-12));
        assertThat(a.trueNegativeRate()).isCloseTo(0.6, within(1e-12));
    }

    @Test
    void kappaTellsApartEqualAgreementWithDifferentChanceAgreement() {
        // Wikipedia's pair of tables with the same 60 % agreement: kappa 0.1304 and 0.2593.
        assertThat(new Agreement(45, 15, 25, 15).kappa()).isCloseTo(0.1304, within(1e-4));
        assertThat(new Agreement(25, 35, 5, 35).kappa()).isCloseTo(0.2593, within(1e-4));
    }

    @Test
    void theMatrixCountsEachPairInItsCell() {
        Agreement a = new Agreement(0, 0, 0, 0).add(true, true).add(true, false).add(false, true).add(false, false)
                .add(false, false);
        assertThat(a).isEqualTo(new Agreement(1, 1, 1, 2));
        assertThat(a.agreementRate()).isCloseTo(0.6, within(1e-12));
    }

    @Test
    void undefinedStatisticsAreNullNotNaN() {
        assertThat(new Agreement(0, 0, 0, 0).agreementRate()).isNull();
        assertThat(new Agreement(0, 0, 0, 0).kappa()).isNull();
        // Both always say pass: perfect agreement, but nothing beyond chance to measure.
        Agreement allPass = new Agreement(7, 0, 0, 0);
        assertThat(allPass.kappa()).isNull();
        assertThat(allPass.trueNegativeRate()).isNull();
        assertThat(allPass.truePositiveRate()).isEqualTo(1.0);
        // Perfect agreement on both classes is kappa 1; systematic disagreement is -1.
        assertThat(new Agreement(3, 0, 0, 3).kappa()).isCloseTo(1.0, within(1e-12));
        assertThat(new Agreement(0, 3, 3, 0).kappa()).isCloseTo(-1.0, within(1e-12));
    }
}
