package dev.keygate.core.token;

import java.time.Instant;

/** The lifecycle state of a token at a given instant. */
public enum TokenStatus {
    ACTIVE, EXPIRED, REVOKED, ROTATED;

    /** The status at {@code now} of a token that was never rotated. */
    public static TokenStatus at(Instant revokedAt, Instant expiresAt, Instant now) {
        return at(revokedAt, null, expiresAt, now);
    }

    /**
     * The status at {@code now}, in the order verification checks them: revoked, then rotated (its grace period
     * over), then expired.
     *
     * @param rotationEndsAt when a rotated token stops working, or {@code null} if it was not rotated
     * @param expiresAt      when it expires, or {@code null} if it is permanent
     */
    public static TokenStatus at(Instant revokedAt, Instant rotationEndsAt, Instant expiresAt, Instant now) {
        if (revokedAt != null) {
            return REVOKED;
        }
        if (rotationEndsAt != null && !now.isBefore(rotationEndsAt)) {
            return ROTATED;
        }
        return expiresAt == null || now.isBefore(expiresAt) ? ACTIVE : EXPIRED;
    }

    /** The lower-case name used in the API ({@code active}, {@code expired}, {@code revoked}, {@code rotated}). */
    public String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
