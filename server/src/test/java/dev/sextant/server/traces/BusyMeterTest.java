package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BusyMeterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theShareIsJudgedOnTheLastFullWindow() {
        BusyMeter meter = new BusyMeter(0);
        meter.idled(SECOND / 20);
        assertThat(meter.idleShare(SECOND / 2)).as("no full window yet: idle").isEqualTo(1.0);
        assertThat(meter.idleShare(SECOND)).isCloseTo(0.05, within(1e-9));
        meter.idled(SECOND / 2);
        assertThat(meter.idleShare(SECOND + 1)).as("the verdict holds within the next window")
                .isCloseTo(0.05, within(1e-9));
        assertThat(meter.idleShare(2 * SECOND)).isCloseTo(0.5, within(0.01));
    }

    @Test
    void eachWindowCountsOnlyItsOwnWaits() {
        BusyMeter meter = new BusyMeter(0);
        meter.idled(SECOND);
        assertThat(meter.idleShare(SECOND)).isEqualTo(1.0);
        assertThat(meter.idleShare(3 * SECOND)).as("two seconds without waiting").isZero();
    }
}
