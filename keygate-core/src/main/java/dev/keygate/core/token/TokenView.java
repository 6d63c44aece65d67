package dev.keygate.core.token;

import dev.keygate.core.permission.PermissionSet;
import dev.keygate.core.policy.Policy;
import dev.keygate.core.policy.SubjectAttributes;

import java.time.Instant;
import java.util.List;

/**
 * An immutable snapshot of a token as the verify path needs it: its roles already compiled into one policy.
 * Views are cached and replaced, never changed, when the token, its principal or one of its roles changes.
 *
 * @param token   the token's record
 * @param policy  the grants of its roles
 * @param subject the token's and its principal's attributes for conditions, or {@code null} when the policy is
 *                {@link Policy#simple() simple} and never reads them
 */
public record TokenView(Token token, Policy policy, SubjectAttributes subject, long expiresAtMillis,
                        long revokedAtMillis, long rotationEndsAtMillis) {

    /** Sentinel for {@link #revokedAtMillis()} when the token is not revoked. */
    public static final long NOT_REVOKED = Long.MAX_VALUE;
    /** Sentinel for {@link #expiresAtMillis()} and {@link #rotationEndsAtMillis()}: never. */
    public static final long NEVER = Long.MAX_VALUE;

    /** The view of a token whose roles grant {@code permissions} with no condition. */
    public static TokenView of(Token token, PermissionSet permissions) {
        return of(token, Policy.allowing(permissions.permissions()), null);
    }

    public static TokenView of(Token token, Policy policy, SubjectAttributes subject) {
        return new TokenView(token, policy, subject, millisOrNever(token.expiresAt()),
                token.revokedAt() == null ? NOT_REVOKED : token.revokedAt().toEpochMilli(),
                millisOrNever(token.rotation().endsAt()));
    }

    private static long millisOrNever(Instant instant) {
        return instant == null ? NEVER : instant.toEpochMilli();
    }

    /** The permissions its roles allow with no condition (see {@link Policy#allowed()}). */
    public PermissionSet permissions() {
        return policy.allowed();
    }

    public String id() {
        return token.id();
    }

    public String principal() {
        return token.principal();
    }

    public List<String> roles() {
        return token.roles();
    }

    public String environment() {
        return token.environment();
    }

    public Instant expiresAt() {
        return token.expiresAt();
    }
}
