package dev.keygate.client;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code POST /v1/verify}.
 *
 * <p>The token's details ({@code tokenId} to {@code expiresAt}) are given only when the token is valid (codes
 * {@code VALID} and {@code FORBIDDEN}); for the other codes they are {@code null}.
 *
 * @param valid       whether the token is usable (exists, not revoked, not expired, right environment)
 * @param allowed     whether the request is allowed: valid and, if a permission was asked, granted
 * @param code        {@code VALID}, {@code FORBIDDEN}, {@code EXPIRED}, {@code REVOKED}, {@code ROTATED}
 *                    (replaced by rotation, its grace period over), {@code ENVIRONMENT_MISMATCH} or
 *                    {@code NOT_FOUND}
 * @param tokenId     the token's id, or {@code null}
 * @param principal   the principal it was issued to, or {@code null}
 * @param roles       its roles, or {@code null}
 * @param permissions the permissions its roles grant, or {@code null}
 * @param environment its environment, or {@code null}
 * @param expiresAt   when it expires, or {@code null} (also for a valid token that never expires)
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
        Instant expiresAt) {

    public VerifyResult {
        roles = roles == null ? null : List.copyOf(roles);
        permissions = permissions == null ? null : List.copyOf(permissions);
    }
}
