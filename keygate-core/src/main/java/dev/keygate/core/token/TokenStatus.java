package dev.keygate.core.token;

import java.time.Instant;

/** The lifecycle state of a token at a given instant. */
public enum TokenStatus {
    ACTIVE, EXPIRED, REVOKED;

    /** The status at {@code now}: revoked wins over expired, since it is the stronger statement. */
    public static TokenStatus at(Instant revokedAt, Instant expiresAt, Instant now) {
        if (revokedAt != null) {
            return REVOKED;
        }
        return now.isBefore(expiresAt) ? ACTIVE : EXPIRED;
    }

    /** The lower-case name used in the API ({@code active}, {@code expired}, {@code revoked}). */
    public String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
