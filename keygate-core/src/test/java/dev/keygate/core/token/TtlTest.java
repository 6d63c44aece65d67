package dev.keygate.core.token;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TtlTest {

    @ParameterizedTest
    @CsvSource({
            "90s,        PT1M30S",
            "30m,        PT30M",
            "24h,        PT24H",
            "7d,         PT168H",
            "1s,         PT1S",
            "90d,        PT2160H",
            "999999999s, PT277777H46M39S",
    })
    void parseWhenValidThenDuration(String text, Duration expected) {
        assertThat(Ttl.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"0m", "0s", "-1h", "+1h", "1w", "1.5h", "01h", "00d", "1", "h", "1H", "1 h", " 1h",
            "1h ", "1hm", "1h30m", "PT1H", "1000000000s", "１h"})
    void parseWhenInvalidThenThrowsWithRule(String text) {
        assertThatThrownBy(() -> Ttl.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(Ttl.RULE)
                .hasMessage("must be a positive whole number followed by s, m, h or d (e.g. 30m, 24h, 7d)");
    }

    @ParameterizedTest
    @CsvSource({
            "PT1M30S, 90s",
            "PT30M,   30m",
            "PT24H,   1d",
            "PT168H,  7d",
            "PT2160H, 90d",
            "PT1H,    1h",
            "PT25H,   25h",
            "PT1S,    1s",
            "PT61S,   61s",
            "PT60S,   1m",
            "PT3600S, 1h",
            "PT0S,    0s",
    })
    void formatWhenWholeSecondsThenLargestExactUnit(Duration duration, String expected) {
        assertThat(Ttl.format(duration)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"90s", "30m", "24h", "7d", "1s", "59s", "60m", "48h", "90d", "999999999m", "999999999d"})
    void formatWhenParsedTextThenParsesBackToSameDuration(String text) {
        Duration duration = Ttl.parse(text);

        assertThat(Ttl.parse(Ttl.format(duration))).isEqualTo(duration);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "0m", "0h", "0d"})
    void parseOrZeroWhenZeroThenZeroDuration(String text) {
        assertThat(Ttl.parseOrZero(text)).isEqualTo(Duration.ZERO);
    }

    @Test
    void parseOrZeroWhenPositiveThenAsParse() {
        assertThat(Ttl.parseOrZero("90s")).isEqualTo(Duration.ofSeconds(90));
    }

    @ParameterizedTest
    @ValueSource(strings = {"00", "0x", "-1s", "00s", " 0", ""})
    void parseOrZeroWhenNeitherZeroNorFormThenRule(String text) {
        assertThatThrownBy(() -> Ttl.parseOrZero(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(Ttl.RULE);
    }
}
