package dev.keygate.server.token;

import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenStatus;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where tokens are kept: their records and the SHA-256 of their secret, never the secret itself. */
public interface TokenStore {

    /** Inserts a token with the hash of its secret. */
    void insert(Connection c, Token token, String hash) throws SQLException;

    Optional<Token> findById(Connection c, String id) throws SQLException;

    /** The token whose secret hashes to {@code hash}: the verify path's lookup on a cache miss. */
    Optional<Token> findByHash(Connection c, String hash) throws SQLException;

    /**
     * Tokens, newest first, at most {@code limit}; with {@code expiringBy}, only the active ones that expire by
     * then, soonest first.
     *
     * @param principal  only this principal's tokens, or {@code null} for all
     * @param status     only tokens in this status at {@code now}, or {@code null} for all
     * @param expiringBy only tokens active at {@code now} that expire at or before this instant, or {@code null}
     */
    List<Token> list(Connection c, String principal, TokenStatus status, Instant expiringBy, Instant now, int limit)
            throws SQLException;

    /** Marks a token revoked unless it already is; returns whether this call revoked it. */
    boolean revoke(Connection c, String id, Instant at, String by, String reason) throws SQLException;

    /** How many tokens that are neither revoked nor expired at {@code now} hold {@code role}. */
    int countLiveHolding(Connection c, String role, Instant now) throws SQLException;

    /** Whether no token was ever stored: the mark of a fresh store. */
    boolean isEmpty(Connection c) throws SQLException;

    /** Records last use times, keeping the later of the stored and the given time for each token id. */
    void touch(Connection c, Map<String, Instant> lastUsedById) throws SQLException;
}
