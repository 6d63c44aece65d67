package dev.keygate.client;

import java.time.Duration;
import java.util.Objects;

/**
 * A token's rate limit: at most {@code limit} verifications per {@code window}, refilled steadily. Each server node
 * enforces it on its own, so behind a load balancer of N nodes a token may get up to N times {@code limit}.
 *
 * @param limit  the verifications allowed per window, 1 to 1,000,000
 * @param window the window as the server writes it, {@code 1s} to {@code 1d}: a whole number and {@code s},
 *               {@code m}, {@code h} or {@code d}, such as {@code 1m}; required
 */
public record RateLimit(long limit, String window) {

    public RateLimit {
        Objects.requireNonNull(window, "window");
    }

    /**
     * A rate limit with the window sent in the largest unit that divides it exactly ({@code 60s} as {@code 1m}).
     * The server checks the ranges.
     *
     * @throws IllegalArgumentException if the window is shorter than one second or not a whole number of seconds
     */
    public static RateLimit of(long limit, Duration window) {
        return new RateLimit(limit, DurationText.of(window, "window", false));
    }
}
