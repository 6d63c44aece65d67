package dev.keygate.core.token;

import java.time.Duration;
import java.util.Objects;

/**
 * A token's rate limit: at most {@code limit} verifications per {@code window}.
 *
 * @param limit  the number of requests allowed per window, from 1 to {@value #MAX_LIMIT}
 * @param window the window, a whole number of seconds from one second to one day
 */
public record RateLimit(long limit, Duration window) {

    public static final long MAX_LIMIT = 1_000_000;
    public static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    public static final Duration MAX_WINDOW = Duration.ofDays(1);

    /**
     * @throws IllegalArgumentException if {@code limit} or {@code window} is out of range, or {@code window} is not
     *                                  a whole number of seconds; the message names the field and what is valid
     * @throws NullPointerException     if {@code window} is null
     */
    public RateLimit {
        Objects.requireNonNull(window, "window");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (window.getNano() != 0) {
            throw new IllegalArgumentException("window must be a whole number of seconds, was " + window);
        }
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("window must be between 1s and 1d, was " + Ttl.format(window));
        }
    }

    /**
     * A rate limit with the window written as {@link Ttl} text, for example {@code 100} per {@code "1m"}.
     *
     * @throws IllegalArgumentException if {@code window} is not {@link Ttl} text (the message is {@code "window "}
     *                                  followed by {@link Ttl#RULE}), or either value is out of range as in the
     *                                  constructor
     */
    public static RateLimit of(long limit, String window) {
        Duration parsed;
        try {
            parsed = Ttl.parse(window);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("window " + Ttl.RULE, e);
        }
        return new RateLimit(limit, parsed);
    }
}
