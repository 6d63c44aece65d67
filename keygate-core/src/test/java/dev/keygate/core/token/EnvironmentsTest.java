package dev.keygate.core.token;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class EnvironmentsTest {

    @ParameterizedTest
    @ValueSource(strings = {"live", "test", "staging", "a", "0", "eu1", "abcdefghij012345"})
    void isValidWhenLowerCaseLettersAndDigitsUpToSixteenThenTrue(String name) {
        assertThat(Environments.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Live", "LIVE", "li_ve", "li-ve", "li.ve", " live", "live ", "abcdefghij0123456", "lïve"})
    void isValidWhenOtherThenFalse(String name) {
        assertThat(Environments.isValid(name)).isFalse();
    }

    @Test
    void defaultWhenReadThenLiveAndValid() {
        assertThat(Environments.DEFAULT).isEqualTo("live");
        assertThat(Environments.isValid(Environments.DEFAULT)).isTrue();
    }
}
