package dev.keygate.client;

/**
 * A token's rate limit as a verification left it, on the node that answered.
 *
 * @param limit     the verifications allowed per window
 * @param window    the window, such as {@code 1m}
 * @param remaining how many more verifications the node allows now, {@code 0} when the next would be refused
 */
public record RateLimitState(long limit, String window, long remaining) {
}
