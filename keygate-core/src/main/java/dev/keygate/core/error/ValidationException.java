package dev.keygate.core.error;

import java.util.List;

/** The request is malformed: one or more fields are missing or invalid. Maps to 400. */
public final class ValidationException extends KeygateException {

    /** One invalid field: its JSON name (or path, such as {@code permissions[2]}) and what is wrong. */
    public record FieldError(String field, String message) {
    }

    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super("validation_failed", summarize(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a validation failure needs at least one field error");
        }
        this.errors = List.copyOf(errors);
    }

    public ValidationException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    /** The field errors, never empty. */
    public List<FieldError> errors() {
        return errors;
    }

    private static String summarize(List<FieldError> errors) {
        if (errors.size() == 1) {
            FieldError e = errors.get(0);
            return e.field() + ": " + e.message();
        }
        return errors.size() + " fields are invalid";
    }
}
