package dev.keygate.core.token;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitTest {

    @ParameterizedTest
    @CsvSource({
            "1,       1s,    PT1S",
            "100,     1m,    PT1M",
            "1000000, 24h,   PT24H",
            "5,       1d,    PT24H",
            "10,      86400s, PT24H",
            "7,       90s,   PT1M30S",
    })
    void ofWhenValidThenLimitAndWindow(long limit, String window, Duration expected) {
        RateLimit rateLimit = RateLimit.of(limit, window);

        assertThat(rateLimit.limit()).isEqualTo(limit);
        assertThat(rateLimit.window()).isEqualTo(expected);
        assertThat(rateLimit).isEqualTo(new RateLimit(limit, expected));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 1_000_001, Long.MIN_VALUE, Long.MAX_VALUE})
    void newWhenLimitOutOfRangeThenThrowsNamingRange(long limit) {
        assertThatThrownBy(() -> new RateLimit(limit, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be between 1 and 1000000, was " + limit);
    }

    @ParameterizedTest
    @CsvSource({
            "PT0S,    0s",
            "PT-1S,   -1s",
            "PT24H1S, 86401s",
            "PT48H,   2d",
    })
    void newWhenWindowOutOfRangeThenThrowsNamingRange(Duration window, String shown) {
        assertThatThrownBy(() -> new RateLimit(10, window))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("window must be between 1s and 1d, was " + shown);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0.5S", "PT1.001S", "PT0.000000001S"})
    void newWhenWindowNotWholeSecondsThenThrows(Duration window) {
        assertThatThrownBy(() -> new RateLimit(10, window))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("window must be a whole number of seconds, was ");
    }

    @Test
    void newWhenWindowNullThenThrowsNullPointerException() {
        assertThatThrownBy(() -> new RateLimit(10, null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"0s", "1", "1w", "1.5s", "PT1M", "1m30s"})
    void ofWhenWindowNotTtlTextThenThrowsWithRule(String window) {
        assertThatThrownBy(() -> RateLimit.of(10, window))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("window must be a positive whole number followed by s, m, h or d (e.g. 30m, 24h, 7d)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2d", "25h", "1441m", "86401s"})
    void ofWhenWindowLongerThanOneDayThenThrows(String window) {
        assertThatThrownBy(() -> RateLimit.of(10, window))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("window must be between 1s and 1d, was ");
    }

    @Test
    void ofWhenLimitOutOfRangeThenThrowsNamingLimit() {
        assertThatThrownBy(() -> RateLimit.of(0, "1m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be between 1 and 1000000, was 0");
    }
}
