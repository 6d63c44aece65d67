package dev.keygate.core.error;

import dev.keygate.core.error.ValidationException.FieldError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidationExceptionTest {

    @Test
    void constructorWhenNoErrorsThenThrows() {
        assertThatThrownBy(() -> new ValidationException(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a validation failure needs at least one field error");
    }

    @Test
    void messageWhenOneErrorThenFieldAndMessage() {
        ValidationException e = new ValidationException("permissions[0]",
                "invalid permission 'billing:': action must not be empty");

        assertThat(e).hasMessage("permissions[0]: invalid permission 'billing:': action must not be empty");
        assertThat(e.code()).isEqualTo("validation_failed");
        assertThat(e.errors()).containsExactly(
                new FieldError("permissions[0]", "invalid permission 'billing:': action must not be empty"));
    }

    @Test
    void messageWhenSeveralErrorsThenCountAndErrorsInOrder() {
        ValidationException e = new ValidationException(List.of(
                new FieldError("name", "must match [a-z0-9][a-z0-9_-]{0,62}"),
                new FieldError("permissions", "must not be empty"),
                new FieldError("description", "must be at most 1000 characters")));

        assertThat(e).hasMessage("3 fields are invalid");
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("name", "permissions", "description");
    }

    @Test
    void errorsWhenSourceListChangesLaterThenUnaffectedAndUnmodifiable() {
        List<FieldError> source = new ArrayList<>(List.of(new FieldError("ttl", "must be positive")));
        ValidationException e = new ValidationException(source);

        source.add(new FieldError("name", "too long"));

        assertThat(e.errors()).hasSize(1);
        assertThatThrownBy(() -> e.errors().add(new FieldError("x", "y")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void stackTraceWhenThrownThenNotCapturedBecauseExpected() {
        ValidationException e = new ValidationException("ttl", "must be positive");

        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getCause()).isNull();
    }
}
