package dev.keygate.core.token;

import dev.keygate.core.net.AllowedNetworks;

/**
 * What narrows where and how much a token may be used, beyond its permissions.
 *
 * @param maxUses         how many uses the token was minted with, or {@code null} for unlimited
 * @param remaining       how many of them were left when the token was read, or {@code null} for unlimited or
 *                        when the token was rotated (the count then lives with its successor); the store holds
 *                        the exact count (a cached token's is stale)
 * @param rateLimit       how many verifications per window, or {@code null} for unlimited
 * @param allowedNetworks the networks requests must come from, or {@code null} for anywhere
 */
public record TokenLimits(Long maxUses, Long remaining, RateLimit rateLimit, AllowedNetworks allowedNetworks) {

    /** No limits at all. */
    public static final TokenLimits NONE = new TokenLimits(null, null, null, null);

    /** The largest {@code max_uses} a token may be given. */
    public static final long MAX_USES = 1_000_000_000_000L;

    /** Whether verifying the token needs more than the pure policy: a usage count or a rate limit. */
    public boolean metered() {
        return maxUses != null || rateLimit != null;
    }

    /** The same limits with {@code remaining} uses left: what a rotation's successor gets. */
    public TokenLimits withRemaining(Long remaining) {
        return new TokenLimits(maxUses, remaining, rateLimit, allowedNetworks);
    }
}
