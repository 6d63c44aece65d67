package dev.keygate.core.error;

/** The change contradicts the current state: the thing exists already, or is still in use. Maps to 409. */
public final class ConflictException extends KeygateException {

    public ConflictException(String message) {
        super("conflict", message);
    }
}
