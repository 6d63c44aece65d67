package dev.keygate.core.error;

import dev.keygate.core.error.ValidationException.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldErrorsTest {

    @Test
    void wholeNumberWhenAbsentThenFallbackAndNoError() {
        FieldErrors errors = new FieldErrors();

        assertThat(errors.wholeNumber("limit", null, 1, 1000, 100)).isEqualTo(100);
        assertThat(errors.isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1000", "37"})
    void wholeNumberWhenInRangeThenTheNumber(String value) {
        FieldErrors errors = new FieldErrors();

        assertThat(errors.wholeNumber("limit", value, 1, 1000, 100)).isEqualTo(Integer.parseInt(value));
        assertThat(errors.isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "-5", "x", "", "1.5", "99999999999"})
    void wholeNumberWhenNotANumberOrOutOfRangeThenErrorNamingTheRange(String value) {
        FieldErrors errors = new FieldErrors();

        int n = errors.wholeNumber("limit", value, 1, 1000, 100);

        assertThat(n).isEqualTo(100);
        assertThatThrownBy(errors::throwIfAny).isInstanceOfSatisfying(ValidationException.class, e ->
                assertThat(e.errors()).containsExactly(
                        new FieldError("limit", "must be a whole number between 1 and 1000")));
    }

    @Test
    void throwIfAnyWhenSeveralFieldsFailThenListsEveryOneInOrder() {
        FieldErrors errors = new FieldErrors();
        errors.required("name", " ");
        errors.maxLength("description", "abcd", 3);
        errors.wholeNumber("limit", "x", 1, 10, 5);

        assertThatThrownBy(errors::throwIfAny).isInstanceOfSatisfying(ValidationException.class, e ->
                assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("name", "description", "limit"));
    }
}
