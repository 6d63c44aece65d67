package dev.keygate.core.token;

import dev.keygate.core.permission.PermissionSet;

import java.time.Instant;
import java.util.List;

/**
 * An immutable snapshot of a token as the verify path needs it: its roles already resolved to one permission
 * set. Views are cached and replaced, never changed, when the token or one of its roles changes.
 *
 * @param token       the token's record
 * @param permissions the union of the permissions of its roles
 */
public record TokenView(Token token, PermissionSet permissions, long expiresAtMillis, long revokedAtMillis,
                        long rotationEndsAtMillis) {

    /** Sentinel for {@link #revokedAtMillis()} when the token is not revoked. */
    public static final long NOT_REVOKED = Long.MAX_VALUE;
    /** Sentinel for {@link #expiresAtMillis()} and {@link #rotationEndsAtMillis()}: never. */
    public static final long NEVER = Long.MAX_VALUE;

    public static TokenView of(Token token, PermissionSet permissions) {
        return new TokenView(token, permissions, millisOrNever(token.expiresAt()),
                token.revokedAt() == null ? NOT_REVOKED : token.revokedAt().toEpochMilli(),
                millisOrNever(token.rotation().endsAt()));
    }

    private static long millisOrNever(Instant instant) {
        return instant == null ? NEVER : instant.toEpochMilli();
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
