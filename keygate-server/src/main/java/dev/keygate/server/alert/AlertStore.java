package dev.keygate.server.alert;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Where alerts, their deliveries and the rules' lasting state are kept. Every method runs on the caller's connection. */
interface AlertStore {

    /** Stores {@code alert} (its id is ignored) and returns its new id. */
    long insert(Connection c, Alert alert) throws SQLException;

    /** Queues one pending delivery of alert {@code alertId} to each webhook, due at {@code at}. */
    void queueDeliveries(Connection c, long alertId, Collection<String> webhooks, Instant at) throws SQLException;

    /** The alerts matching {@code query}, newest first, at most {@code query.limit()}, each with its deliveries. */
    List<AlertPage.Entry> query(Connection c, AlertQuery query) throws SQLException;

    /** The alert with this id, or {@code null}. */
    Alert alert(Connection c, long id) throws SQLException;

    /**
     * Records that {@code tokenId} was used from {@code network}.
     *
     * @return whether this is the first record of that pair (false if it was known)
     */
    boolean rememberNetwork(Connection c, String tokenId, String network, Instant at) throws SQLException;

    /**
     * Whether {@code tokenId} was seen from a network other than {@code network} before it: first seen earlier, or
     * at the same instant with a smaller network text (so that of several first seen together, one is the first).
     */
    boolean seenElsewhereBefore(Connection c, String tokenId, String network, Instant firstSeen) throws SQLException;

    /**
     * Suppresses {@code rule} for {@code subject} until {@code until}, unless it is suppressed at {@code now}
     * already.
     *
     * @return {@code null} if the suppression was taken (the caller raises the alert); else the end of the one in
     *         force
     */
    Instant suppress(Connection c, String rule, String subject, Instant now, Instant until) throws SQLException;

    /**
     * Deletes the networks remembered for tokens that can no longer be used (revoked, expired, or rotated out at the
     * end of their grace), and for tokens the store no longer holds: a use of such a token is {@code dead_token_use},
     * never a new network. Returns how many rows were deleted.
     */
    int deleteNetworksOfDeadTokens(Connection c, Instant now) throws SQLException;

    /** Deletes suppressions that ended before {@code now}; returns how many. */
    int deleteEndedSuppressions(Connection c, Instant now) throws SQLException;

    /**
     * Deletes up to {@code limit} alerts raised before {@code before}, the oldest first, with their deliveries;
     * an alert with a delivery still pending is kept, with all its deliveries, until that delivery ends.
     *
     * @return how many alerts were deleted; fewer than {@code limit} when no more are due
     */
    int pruneAlerts(Connection c, Instant before, int limit) throws SQLException;

    /** Pending deliveries to {@code webhooks} due at {@code now}, the longest due first, at most {@code limit}. */
    List<Due> due(Connection c, Instant now, Collection<String> webhooks, int limit) throws SQLException;

    /**
     * Claims a due delivery for one attempt, if it is still as {@code due} saw it: counts the attempt and moves
     * its next attempt to {@code leaseUntil}, so that no other node starts one before then.
     *
     * @return whether this caller claimed it
     */
    boolean claim(Connection c, Due due, Instant now, Instant leaseUntil) throws SQLException;

    /**
     * Records the outcome of attempt number {@code attempt}; ignored if another attempt started since (the lease
     * ran out).
     *
     * @param state     {@link Delivery.State#DELIVERED}, {@link Delivery.State#FAILED}, or
     *                  {@link Delivery.State#PENDING} to retry at {@code nextAttempt}
     * @param status    the HTTP status answered, or {@code null}
     * @param error     why it failed, or {@code null}
     * @param at        when the outcome was known
     */
    void finish(Connection c, long alertId, String webhook, int attempt, Delivery.State state, Integer status,
                String error, Instant at, Instant nextAttempt) throws SQLException;

    /** A delivery due for an attempt: {@code attempts} made so far. */
    record Due(long alertId, String webhook, int attempts, Instant nextAttemptAt) {
    }
}
