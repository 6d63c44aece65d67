package dev.keygate.client;

import java.time.Instant;
import java.util.List;

/**
 * What the server tells about a token. It never holds the secret.
 *
 * @param id           {@code tok_} and 20 base62 characters
 * @param principal    the principal it was issued to
 * @param roles        the roles it holds; never null
 * @param environment  the environment it is for, for example {@code live}
 * @param name         its name, or {@code null}
 * @param status       {@code active}, {@code expired} or {@code revoked}
 * @param createdAt    when it was created
 * @param createdBy    the id of the token that created it, or {@code null}
 * @param expiresAt    when it expires
 * @param revokedAt    when it was revoked, or {@code null}
 * @param revokedBy    the id of the token that revoked it, or {@code null}
 * @param revokeReason the reason given when it was revoked, or {@code null}
 * @param lastUsedAt   when it was last verified, or {@code null}
 */
public record TokenInfo(
        String id,
        String principal,
        List<String> roles,
        String environment,
        String name,
        String status,
        Instant createdAt,
        String createdBy,
        Instant expiresAt,
        Instant revokedAt,
        String revokedBy,
        String revokeReason,
        Instant lastUsedAt) {

    public TokenInfo {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
