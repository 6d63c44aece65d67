package dev.keygate.core.error;

/**
 * The one family of domain errors. Each subtype has a stable {@link #code()} and a message that is safe to
 * show to the caller: it names the problem and never carries a secret or an internal detail. The HTTP layer
 * maps each subtype to an RFC 9457 problem response in a single place.
 */
public abstract sealed class KeygateException extends RuntimeException
        permits ValidationException, NotFoundException, ConflictException, UnauthenticatedException,
        ForbiddenException, RateLimitedException {

    private final String code;

    protected KeygateException(String code, String message) {
        // No stack trace: these are expected outcomes, not bugs, and some sit on request paths.
        super(message, null, false, false);
        this.code = code;
    }

    /** A stable, machine-readable code such as {@code validation_failed} or {@code not_found}. */
    public String code() {
        return code;
    }
}
