package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BusyMeterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aWorkerThatNeverWaitedIsSaturatedOnceAWindowHasPassed() {
        BusyMeter meter = new BusyMeter(0);
        assertThat(meter.saturated(SECOND / 2)).as("no full window yet").isFalse();
        meter.idled(SECOND / 20);
        assertThat(meter.saturated(SECOND)).isTrue();
        assertThat(meter.saturated(SECOND + 1)).as("the verdict holds within the next window").isTrue();
    }

    @Test
    void waitingATenthOfTheWindowOrMoreIsNotSaturated() {
        BusyMeter meter = new BusyMeter(0);
        meter.idled(SECOND / 10);
        assertThat(meter.saturated(SECOND)).isFalse();
    }

    @Test
    void eachWindowIsJudgedOnItsOwnWaits() {
        BusyMeter meter = new BusyMeter(0);
        meter.idled(SECOND / 2);
        assertThat(meter.saturated(SECOND)).isFalse();
        assertThat(meter.saturated(2 * SECOND)).as("no waits in the second window").isTrue();
        meter.idled(SECOND);
        assertThat(meter.saturated(3 * SECOND)).isFalse();
    }
}
