package dev.keygate.core.token;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class TtlPropertyTest {

    @Property
    void formatWhenPositiveWholeSecondsThenParsesBackAndIsNoLonger(@ForAll @LongRange(min = 1, max = 999_999_999L)
                                                                  long seconds) {
        Duration duration = Duration.ofSeconds(seconds);

        String text = Ttl.format(duration);

        assertThat(Ttl.parse(text)).isEqualTo(duration);
        assertThat(text.length()).isLessThanOrEqualTo((seconds + "s").length());
    }

    @Property
    void parseWhenAnyCountAndUnitThenThatManyUnits(@ForAll @IntRange(min = 1, max = 999_999_999) int count,
                                                   @ForAll("units") String unit) {
        Duration expected = switch (unit) {
            case "s" -> Duration.ofSeconds(count);
            case "m" -> Duration.ofMinutes(count);
            case "h" -> Duration.ofHours(count);
            default -> Duration.ofDays(count);
        };

        assertThat(Ttl.parse(count + unit)).isEqualTo(expected);
        assertThat(Ttl.parse(Ttl.format(expected))).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> units() {
        return Arbitraries.of("s", "m", "h", "d");
    }
}
