package dev.keygate.server.token;

import java.util.List;

/**
 * A request to mint a token, as the caller typed it; {@link TokenService#create} checks every field.
 *
 * @param ttl         a lifetime such as {@code 24h}, or {@code null}
 * @param expiresAt   an RFC 3339 instant, or {@code null}; not both with {@code ttl}
 * @param permanent   {@code true} for a token that never expires (neither {@code ttl} nor {@code expires_at}),
 *                    or {@code null}
 * @param child       {@code true} to mint the token as a child of the calling token, or {@code null}
 * @param rotateEvery how often the token should be rotated, such as {@code 30d}, or {@code null}
 * @param maxUses     how many uses the token may be verified for, or {@code null} for unlimited
 * @param rateLimit   how many verifications per window, or {@code null} for unlimited
 * @param allowedCidrs the networks (IPv4 or IPv6 CIDRs, or single addresses) it may be used from, or
 *                    {@code null} for anywhere
 * @param metadataJson free-form attributes as the HTTP layer serialized them (a JSON object), or {@code null}
 */
public record TokenRequest(String principal, List<String> roles, String name, String environment, String ttl,
                           String expiresAt, Boolean permanent, Boolean child, String rotateEvery, Long maxUses,
                           Rate rateLimit, List<String> allowedCidrs, String metadataJson) {

    /** A rate limit as typed: {@code limit} verifications per {@code window} (such as {@code 1m}). */
    public record Rate(Long limit, String window) {
    }

    boolean isPermanent() {
        return Boolean.TRUE.equals(permanent);
    }

    boolean isChild() {
        return Boolean.TRUE.equals(child);
    }

    /** Whether the request names a lifetime at all (else the default applies). */
    boolean namesLifetime() {
        return ttl != null || expiresAt != null || isPermanent();
    }

    /** The field that names the lifetime, for error messages. */
    String lifetimeField() {
        return expiresAt != null ? "expires_at" : isPermanent() ? "permanent" : "ttl";
    }
}
