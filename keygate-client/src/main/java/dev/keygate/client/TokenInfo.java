package dev.keygate.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the server tells about a token. It never holds the secret. The components are in the order of the
 * server's JSON.
 *
 * @param id             {@code tok_} and 20 base62 characters
 * @param principal      the principal it was issued to
 * @param roles          the roles it holds; never null
 * @param environment    the environment it is for, for example {@code live}
 * @param name           its name, or {@code null}
 * @param status         {@code active}, {@code expired}, {@code revoked} or {@code rotated} (replaced by rotation,
 *                       its grace period over)
 * @param createdAt      when it was created
 * @param createdBy      the id of the token that created it, or {@code null}
 * @param expiresAt      when it expires; {@code null} exactly when it is {@code permanent}
 * @param permanent      whether it never expires
 * @param revokedAt      when it was revoked, or {@code null}
 * @param revokedBy      the id of the token that revoked it, or {@code null}
 * @param revokeReason   the reason given when it was revoked, or {@code null}
 * @param lastUsedAt     when it was last verified, or {@code null}
 * @param lastUsedIp     the address of that verification (the {@code context.ip} the verifying service gave, else
 *                       that service's own address), or {@code null} if never used or not known
 * @param parentId       the token that minted it as its child (revoking that one revokes this one), or {@code null}
 * @param rotatedFrom    the token it replaced by rotation, or {@code null}
 * @param rotatedTo      the token that replaced it by rotation, or {@code null}
 * @param rotationEndsAt when it stops working because it was rotated (the end of its grace period), or {@code null}
 * @param rotateEvery    how often it should be rotated, such as {@code 30d}, or {@code null}
 * @param rotationDueAt  when its rotation falls due ({@code createdAt} + {@code rotateEvery}), or {@code null}
 * @param maxUses        how many uses it was minted with, or {@code null} for unlimited
 * @param remaining      how many of them were left when the server read it, or {@code null} for unlimited
 * @param rateLimit      how many verifications per window it may have, or {@code null} for unlimited
 * @param allowedCidrs   the networks it may be used from, in canonical form ({@code 192.0.2.7/32}), or {@code null}
 *                       for anywhere
 * @param metadata       free-form JSON object as plain Java values (maps, lists, strings, numbers, booleans, nulls)
 *                       given when it was created and carried by rotation; unmodifiable, never null: empty when none
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
        boolean permanent,
        Instant revokedAt,
        String revokedBy,
        String revokeReason,
        Instant lastUsedAt,
        String lastUsedIp,
        String parentId,
        String rotatedFrom,
        String rotatedTo,
        Instant rotationEndsAt,
        String rotateEvery,
        Instant rotationDueAt,
        Long maxUses,
        Long remaining,
        RateLimit rateLimit,
        List<String> allowedCidrs,
        Map<String, Object> metadata) {

    public TokenInfo {
        roles = roles == null ? List.of() : List.copyOf(roles);
        // Kept null, not empty: absent from the server's JSON means unbound, and an empty list would not be.
        allowedCidrs = allowedCidrs == null ? null : List.copyOf(allowedCidrs);
        metadata = metadata == null ? Map.of() : Json.objectCopy(metadata);
    }

    /**
     * A token without the address of its last use ({@code lastUsedIp} null). Kept so that code written against
     * earlier versions still compiles.
     */
    public TokenInfo(String id, String principal, List<String> roles, String environment, String name, String status,
                     Instant createdAt, String createdBy, Instant expiresAt, boolean permanent, Instant revokedAt,
                     String revokedBy, String revokeReason, Instant lastUsedAt, String parentId, String rotatedFrom,
                     String rotatedTo, Instant rotationEndsAt, String rotateEvery, Instant rotationDueAt, Long maxUses,
                     Long remaining, RateLimit rateLimit, List<String> allowedCidrs, Map<String, Object> metadata) {
        this(id, principal, roles, environment, name, status, createdAt, createdBy, expiresAt, permanent, revokedAt,
                revokedBy, revokeReason, lastUsedAt, null, parentId, rotatedFrom, rotatedTo, rotationEndsAt,
                rotateEvery, rotationDueAt, maxUses, remaining, rateLimit, allowedCidrs, metadata);
    }

    /**
     * A token without metadata ({@code metadata} empty) nor the address of its last use. Kept so that code written
     * against earlier versions still compiles.
     */
    public TokenInfo(String id, String principal, List<String> roles, String environment, String name, String status,
                     Instant createdAt, String createdBy, Instant expiresAt, boolean permanent, Instant revokedAt,
                     String revokedBy, String revokeReason, Instant lastUsedAt, String parentId, String rotatedFrom,
                     String rotatedTo, Instant rotationEndsAt, String rotateEvery, Instant rotationDueAt, Long maxUses,
                     Long remaining, RateLimit rateLimit, List<String> allowedCidrs) {
        this(id, principal, roles, environment, name, status, createdAt, createdBy, expiresAt, permanent, revokedAt,
                revokedBy, revokeReason, lastUsedAt, null, parentId, rotatedFrom, rotatedTo, rotationEndsAt,
                rotateEvery, rotationDueAt, maxUses, remaining, rateLimit, allowedCidrs, null);
    }
}
