package dev.keygate.server.alert;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules' in-memory counters at their edges: windows that slide and grow, hours that roll over and gap. */
class WindowsTest {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_800_000_000_000L - 1_800_000_000_000L % HOUR;

    @Test
    void slidingWindowWhenEventsAgeOutThenOnlyThoseWithinTheSpanCount() {
        SlidingWindow w = new SlidingWindow();
        for (int i = 0; i < 10; i++) {
            assertThat(w.add(T0 + i, 1000, 50)).isEqualTo(i + 1);
        }

        assertThat(w.add(T0 + 1000, 1000, 50)).as("the event at T0 is exactly one span old").isEqualTo(10);
        assertThat(w.add(T0 + 5000, 1000, 50)).isEqualTo(1);
    }

    @Test
    void slidingWindowWhenMoreThanTheLimitThenHoldsTheNewestLimitOnly() {
        SlidingWindow w = new SlidingWindow();
        int held = 0;
        for (int i = 0; i < 100; i++) {
            held = w.add(T0 + i, HOUR, 20);
        }

        assertThat(held).isEqualTo(20);
        SlidingWindow copy = w.copy();
        assertThat(copy.add(T0 + 100, HOUR, 20)).isEqualTo(20);
        assertThat(w.add(T0 + HOUR + 90, HOUR, 20)).as("only the last 9 of the original are within the span")
                .isEqualTo(10);
    }

    @Test
    void hourlyCountsWhenHoursPassThenHistoryGrowsToTwentyFourAndTheMeanUsesIt() {
        HourlyCounts h = new HourlyCounts(T0);
        for (int hour = 0; hour < 30; hour++) {
            for (int i = 0; i < 10; i++) {
                h.add(T0 + hour * HOUR + i);
            }
        }

        assertThat(h.history()).isEqualTo(24);
        assertThat(h.previousSum()).isEqualTo(240);
        assertThat(h.current()).isEqualTo(10);
        assertThat(h.isSpike(1, 24, 1000)).isFalse();
    }

    @Test
    void hourlyCountsWhenIdleForMoreThanADayThenTheOldCountsAreGone() {
        HourlyCounts h = new HourlyCounts(T0);
        for (int i = 0; i < 500; i++) {
            h.add(T0 + i);
        }

        assertThat(h.add(T0 + 30 * HOUR)).isTrue();

        assertThat(h.previousSum()).isZero();
        assertThat(h.current()).isEqualTo(1);
        assertThat(h.isSpike(1, 24, 10_000)).as("above 10 x a mean of 0").isTrue();
    }

    @Test
    void hourlyCountsWhenAnEventIsOlderThanTheHoursKeptThenIgnored() {
        HourlyCounts h = new HourlyCounts(T0);
        h.add(T0 + 26 * HOUR);

        assertThat(h.add(T0 + HOUR)).isFalse();
        assertThat(h.add(T0 + 25 * HOUR)).as("a late event of the previous hour counts there").isFalse();
        assertThat(h.previousSum()).isEqualTo(1);
        assertThat(h.current()).isEqualTo(1);
    }
}
