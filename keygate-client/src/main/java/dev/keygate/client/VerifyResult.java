package dev.keygate.client;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code POST /v1/verify}.
 *
 * <p>The token's details ({@code tokenId} to {@code expiresAt}) are given only when the token is valid (codes
 * {@code VALID} and {@code FORBIDDEN}); for the other codes they are {@code null}. The limits ({@code remaining},
 * {@code rateLimit}) are given when the token has them and the checks got as far as them, whatever the code.
 *
 * @param valid       whether the token is usable (exists, not revoked, not expired, right environment)
 * @param allowed     whether the request is allowed: valid and, if a permission was asked, granted
 * @param code        the first check that failed, in this order: {@code NOT_FOUND}, {@code REVOKED},
 *                    {@code ROTATED} (replaced by rotation, its grace period over), {@code EXPIRED},
 *                    {@code ENVIRONMENT_MISMATCH}, {@code IP_NOT_ALLOWED} (outside the token's allowed networks, or
 *                    no address given), {@code USAGE_EXCEEDED} (its uses spent, or fewer left than the cost),
 *                    {@code RATE_LIMITED} (see {@code retryAfter}), {@code FORBIDDEN}; else {@code VALID}
 * @param tokenId     the token's id, or {@code null}
 * @param principal   the principal it was issued to, or {@code null}
 * @param roles       its roles, or {@code null}
 * @param permissions the permissions its roles grant, or {@code null}
 * @param environment its environment, or {@code null}
 * @param expiresAt   when it expires, or {@code null} (also for a valid token that never expires)
 * @param remaining   the uses left after this verification, for a token with {@code max_uses}, or {@code null}
 * @param rateLimit   the token's rate limit and what is left of it on the node that answered, or {@code null}
 * @param retryAfter  with {@code RATE_LIMITED}: whole seconds until a verification would be allowed; else
 *                    {@code null}
 */
public record VerifyResult(
        boolean valid,
        boolean allowed,
        String code,
        String tokenId,
        String principal,
        List<String> roles,
        List<String> permissions,
        String environment,
        Instant expiresAt,
        Long remaining,
        RateLimitState rateLimit,
        Long retryAfter) {

    public VerifyResult {
        roles = roles == null ? null : List.copyOf(roles);
        permissions = permissions == null ? null : List.copyOf(permissions);
    }
}
