package dev.keygate.core.token;

import java.time.Instant;
import java.util.List;

/**
 * What is known about a token, never its secret.
 *
 * @param id           the public id, {@code tok_...}
 * @param principal    the name of the principal the token belongs to
 * @param roles        the names of the roles it holds, at least one
 * @param environment  the environment it was minted for
 * @param name         a human label, or {@code null}
 * @param createdAt    when it was minted
 * @param createdBy    the id of the token that minted it, or {@code null} for the bootstrap and recovery tokens
 * @param expiresAt    when it stops working, or {@code null} for a permanent token (allowed only when the server
 *                     is started with permanent tokens allowed)
 * @param revokedAt    when it was revoked, or {@code null}
 * @param revokedBy    the id of the token that revoked it, or {@code null}
 * @param revokeReason the reason given, or {@code null}
 * @param lastUsedAt   the last time a verification found it, or {@code null}
 * @param lastUsedIp   the address of that verification (the {@code context.ip} its caller stated, else the
 *                     caller's own), or {@code null} when never used or not known
 * @param parentId     the id of the token that minted this one as its child, or {@code null}: revoking the parent
 *                     revokes it
 * @param rotation     its rotation links and schedule, {@link Rotation#NONE} when it has none
 * @param limits       its usage and rate limits and network binding, {@link TokenLimits#NONE} when it has none
 * @param metadataJson a JSON object with free-form attributes (conditions read them as {@code token.metadata}), as
 *                     text; {@code "{}"} when none were given
 */
public record Token(String id, String principal, List<String> roles, String environment, String name,
                    Instant createdAt, String createdBy, Instant expiresAt, Instant revokedAt, String revokedBy,
                    String revokeReason, Instant lastUsedAt, String lastUsedIp, String parentId, Rotation rotation,
                    TokenLimits limits, String metadataJson) {

    /** The metadata of a token given none. */
    public static final String NO_METADATA = "{}";

    public Token {
        roles = List.copyOf(roles);
        rotation = rotation == null ? Rotation.NONE : rotation;
        limits = limits == null ? TokenLimits.NONE : limits;
        metadataJson = metadataJson == null ? NO_METADATA : metadataJson;
    }

    /**
     * A token with no address of last use ({@code lastUsedIp} null): one being minted, or built where the address
     * does not matter (the verify path, benchmarks).
     */
    public Token(String id, String principal, List<String> roles, String environment, String name,
                 Instant createdAt, String createdBy, Instant expiresAt, Instant revokedAt, String revokedBy,
                 String revokeReason, Instant lastUsedAt, String parentId, Rotation rotation, TokenLimits limits,
                 String metadataJson) {
        this(id, principal, roles, environment, name, createdAt, createdBy, expiresAt, revokedAt, revokedBy,
                revokeReason, lastUsedAt, null, parentId, rotation, limits, metadataJson);
    }

    public TokenStatus statusAt(Instant now) {
        return TokenStatus.at(revokedAt, rotation.endsAt(), expiresAt, now);
    }

    /** Whether the token never expires. */
    public boolean permanent() {
        return expiresAt == null;
    }

    /** When rotation falls due, or {@code null} when the token has no rotation schedule. */
    public Instant rotationDueAt() {
        return rotation.dueAt(createdAt);
    }
}
