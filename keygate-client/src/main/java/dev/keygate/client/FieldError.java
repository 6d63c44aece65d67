package dev.keygate.client;

/**
 * One field-level problem of a rejected request, from the {@code errors} list of a problem document.
 *
 * @param field   the field, for example {@code permissions[0]}
 * @param message what is wrong with it, for example
 *                {@code invalid permission 'billing:': action must not be empty}
 */
public record FieldError(String field, String message) {
}
