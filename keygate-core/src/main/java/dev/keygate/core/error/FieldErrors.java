package dev.keygate.core.error;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Collects field errors so that a request with several problems is answered with all of them at once. */
public final class FieldErrors {

    /** What an unparsable time is told. */
    public static final String RFC_3339 = "must be an RFC 3339 time such as 2030-01-31T12:00:00Z";

    private final List<ValidationException.FieldError> errors = new ArrayList<>();

    public FieldErrors add(String field, String message) {
        errors.add(new ValidationException.FieldError(field, message));
        return this;
    }

    /** Adds {@code field: is required} when {@code value} is null or blank; returns whether it was present. */
    public boolean required(String field, String value) {
        if (value == null || value.isBlank()) {
            add(field, "is required");
            return false;
        }
        return true;
    }

    /** Adds an error when {@code value} is longer than {@code max} characters. */
    public void maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            add(field, "must be at most " + max + " characters");
        }
    }

    /**
     * Checks free-form metadata as the HTTP layer serialized it: {@code null} (none) or a JSON object of at most
     * {@code maxBytes} bytes of UTF-8.
     */
    public void jsonObject(String field, String json, int maxBytes) {
        if (json == null) {
            return;
        }
        if (!json.startsWith("{")) {
            add(field, "must be a JSON object");
        } else if (json.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            add(field, "must be at most " + maxBytes + " bytes as JSON");
        }
    }

    /**
     * Parses an optional whole number in {@code [min, max]}, as a query parameter arrives: {@code fallback} when
     * {@code value} is null, otherwise the number, or {@code fallback} with an error added when it is not one.
     */
    public int wholeNumber(String field, String value, int min, int max, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        add(field, "must be a whole number between " + min + " and " + max);
        return fallback;
    }

    /**
     * Parses an optional RFC 3339 time, as a query parameter arrives: {@code null} when {@code value} is null or,
     * with an error added, when it is not such a time.
     */
    public Instant time(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            add(field, RFC_3339);
            return null;
        }
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /**
     * Throws if any error was collected.
     *
     * @throws ValidationException listing every collected error
     */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }
}
