package dev.keygate.core.token;

import java.time.Duration;
import java.time.Instant;

/**
 * A token's place in a rotation chain and its rotation schedule.
 *
 * @param from   the id of the token this one replaced, or {@code null}
 * @param to     the id of the token that replaced this one, or {@code null} while it has not been rotated
 * @param endsAt when this token stops working because it was rotated (the end of the grace period), or
 *               {@code null} while it has not been rotated
 * @param every  how often the token should be rotated, or {@code null} for no schedule
 */
public record Rotation(String from, String to, Instant endsAt, Duration every) {

    /** A token that was never rotated, has no predecessor and no schedule. */
    public static final Rotation NONE = new Rotation(null, null, null, null);

    /** Whether a successor has replaced this token (it may still work until {@link #endsAt}). */
    public boolean rotated() {
        return to != null;
    }

    /** When rotation falls due for a token created at {@code createdAt}, or {@code null} without a schedule. */
    public Instant dueAt(Instant createdAt) {
        return every == null ? null : createdAt.plus(every);
    }
}
