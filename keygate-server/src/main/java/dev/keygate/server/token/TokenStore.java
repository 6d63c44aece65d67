package dev.keygate.server.token;

import dev.keygate.core.token.Token;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where tokens are kept: their records and the SHA-256 of their secret, never the secret itself. */
public interface TokenStore {

    /** Inserts a token with the hash of its secret. */
    void insert(Connection c, Token token, String hash) throws SQLException;

    Optional<Token> findById(Connection c, String id) throws SQLException;

    /**
     * The token with this id, share-locked until the transaction ends where the store needs row locks: a
     * concurrent revocation waits for the transaction (and then sees what it wrote), or commits first and is seen.
     */
    Optional<Token> findForShare(Connection c, String id) throws SQLException;

    /** The token whose secret hashes to {@code hash}: the verify path's lookup on a cache miss. */
    Optional<Token> findByHash(Connection c, String hash) throws SQLException;

    /**
     * The tokens whose secrets hash to any of {@code hashes}, by hash; hashes that match no token are absent.
     * Costs the same few statements whatever the hashes are (plus one per token found, for its roles).
     */
    Map<String, Token> findByHashes(Connection c, Collection<String> hashes) throws SQLException;

    /**
     * Tokens, newest first, unless the query orders them otherwise (see {@link TokenQuery}).
     *
     * @param now the instant statuses are computed at
     */
    List<Token> list(Connection c, TokenQuery query, Instant now) throws SQLException;

    /** Marks a token revoked unless it already is; returns whether this call revoked it. */
    boolean revoke(Connection c, String id, Instant at, String by, String reason) throws SQLException;

    /** The ids of the token's children, revoked or not. */
    List<String> children(Connection c, String id) throws SQLException;

    /** The ids of the principal's tokens that are not revoked. */
    List<String> unrevokedOfPrincipal(Connection c, String principal) throws SQLException;

    /**
     * Links a token to its successor and sets when it stops working, if it is still unrotated, unrevoked and
     * unexpired at {@code now}; returns whether it was. Of concurrent rotations of one token, exactly one wins.
     */
    boolean markRotated(Connection c, String id, String successorId, Instant endsAt, Instant now)
            throws SQLException;

    /** Makes the unrevoked children of {@code fromId} children of {@code toId}; returns how many moved. */
    int reparentChildren(Connection c, String fromId, String toId) throws SQLException;

    /** How many tokens that are neither revoked, rotated out nor expired at {@code now} hold {@code role}. */
    int countLiveHolding(Connection c, String role, Instant now) throws SQLException;

    /**
     * Spends {@code cost} uses of a token with {@code max_uses}, if at least that many are left, atomically. The
     * uses of a rotated token are its rotation chain's: they are counted on the successor that holds the count.
     *
     * @return the uses left after spending, or {@code null} if too few were left (nothing was spent)
     */
    Long spend(Connection c, String id, long cost) throws SQLException;

    /** The uses left (of the rotation chain), or {@code null} if the token has no {@code max_uses}. */
    Long remaining(Connection c, String id) throws SQLException;

    /**
     * Moves a rotated token's count on: returns the uses it had left and leaves it without a count of its own, so
     * that its uses during the grace period are spent from its successor's, which the caller gives the count to.
     */
    Long takeRemaining(Connection c, String id) throws SQLException;

    /** The distinct environments of the tokens live at {@code now} that hold {@code role}. */
    List<String> liveEnvironmentsHolding(Connection c, String role, Instant now) throws SQLException;

    /** Whether no token was ever stored: the mark of a fresh store. */
    boolean isEmpty(Connection c) throws SQLException;

    /**
     * A token's last use.
     *
     * @param ip the address it was used from ({@code context.ip} when the service gave one, else the service's
     *           own address), or {@code null} when unknown
     */
    record LastUse(Instant at, String ip) {
    }

    /**
     * Records last uses, keeping the later of the stored and the given use for each token id (of two at the same
     * instant, the given one): its time and its address together, in one statement per token. Tokens are updated in id order, so that the audit writers of
     * several nodes lock their rows in the same order.
     */
    void touch(Connection c, Map<String, LastUse> lastUseById) throws SQLException;

    /** How many live tokens each environment has (environments with none are absent). */
    Map<String, Long> countLiveByEnvironment(Connection c, Instant now) throws SQLException;
}
