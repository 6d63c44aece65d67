package dev.keygate.server.hygiene;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the hygiene report reads about tokens, in a few statements however many tokens there are. */
public interface HygieneStore {

    /**
     * An active token as the report needs it.
     *
     * @param expiresAt     {@code null} for a permanent token
     * @param lastUsedAt    {@code null} if never verified
     * @param rotationDueAt when its rotation schedule falls due, or {@code null} without one
     * @param rotated       whether it has a successor already (it is in its rotation grace period)
     * @param ipBound       whether it has {@code allowed_cidrs}
     * @param roles         its roles, in order
     */
    record ActiveToken(String id, String principal, String name, String environment, Instant createdAt,
                       Instant expiresAt, Instant lastUsedAt, Instant rotationDueAt, boolean rotated, boolean ipBound,
                       List<String> roles) {
    }

    /** A token that an active token replaced by rotation, directly or further back. */
    record Predecessor(String id, Instant createdAt) {
    }

    /**
     * The tokens active at {@code now} (neither revoked, expired, nor rotated out: a rotated token in its grace
     * period is active), oldest first.
     */
    List<ActiveToken> activeTokens(Connection c, Instant now) throws SQLException;

    /**
     * For each active token that replaced others by rotation, those others: its line back to the first token
     * (at most 64 deep). Tokens that replaced none are not keys.
     */
    Map<String, List<Predecessor>> predecessors(Connection c, Instant now) throws SQLException;
}
