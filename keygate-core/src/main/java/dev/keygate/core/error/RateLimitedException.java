package dev.keygate.core.error;

/**
 * The caller's token made more requests than its rate limit allows. Maps to 429 with a {@code Retry-After}
 * header.
 */
public final class RateLimitedException extends KeygateException {

    private final long retryAfterSeconds;

    public RateLimitedException(String message, long retryAfterSeconds) {
        super("rate_limited", message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Whole seconds until a request would be allowed, at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
