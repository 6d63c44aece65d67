package dev.keygate.server.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where audit events are kept: appended to their hash chain, never changed; only retention deletes, and only a
 * prefix of a pruned chain after writing its {@link Checkpoint}.
 */
public interface AuditStore {

    /**
     * Appends events in order, each to the end of its chain ({@link AuditChain#of} its action), on the caller's
     * connection and transaction. Locks the head of each chain it appends to until the transaction ends (heads in
     * {@link AuditChain} order), so call it after every other row lock the transaction takes: a transaction that
     * locks rows while holding a head can deadlock with the audit writer, which locks tokens first.
     *
     * @throws IllegalStateException if {@code c} is in auto-commit mode: the head would be unlocked before the
     *                               events are committed, and another writer could fork the chain
     */
    void append(Connection c, List<AuditEvent> events) throws SQLException;

    /** The events matching {@code query}, in its order, at most {@code query.limit()}. */
    List<AuditEvent> query(Connection c, AuditQuery query) throws SQLException;

    /** The head of {@code chain} as committed now (not locked). */
    ChainHead head(Connection c, AuditChain chain) throws SQLException;

    /** The head of {@code chain} and the largest seq stored in it, read in one statement (one snapshot). */
    ChainTail tail(Connection c, AuditChain chain) throws SQLException;

    /** Events of {@code chain} with a seq above {@code afterSeq}, by seq, at most {@code limit}. */
    List<AuditEvent> chainPage(Connection c, AuditChain chain, long afterSeq, int limit) throws SQLException;

    /**
     * How many events no chain walk reaches (no chain or an unknown one, no seq or one below 1): 0 once those
     * written before chaining existed are chained; any other was inserted by hand.
     */
    long countUnchained(Connection c) throws SQLException;

    /**
     * Chains up to {@code limit} events that belong to no chain (written before chaining existed), in id order,
     * in the caller's transaction, locking both heads.
     *
     * @return how many were chained; 0 when none is left
     */
    int chainUnchained(Connection c, int limit) throws SQLException;

    /** The latest checkpoint of {@code chain}, if it was ever pruned. */
    Optional<Checkpoint> checkpoint(Connection c, AuditChain chain) throws SQLException;

    /**
     * Serializes retention across nodes: holds until the caller's transaction ends. Appending does not wait on
     * it. (SQLite's write transactions are serialized already.)
     */
    void lockRetention(Connection c, AuditChain chain) throws SQLException;

    /**
     * Stores {@code checkpoint} as its chain's latest, dropping the one it supersedes, and deletes every event of
     * the chain up to its seq, in the caller's transaction.
     *
     * @return how many events were deleted
     */
    int prune(Connection c, Checkpoint checkpoint) throws SQLException;

    /** Replaces the key id and signature of the checkpoint of {@code checkpoint}'s chain and seq. */
    void resign(Connection c, Checkpoint checkpoint) throws SQLException;

    /** The audit key generated and kept in the store (base64), if there is one. */
    Optional<String> generatedKey(Connection c) throws SQLException;

    /** Stores a generated audit key unless one is stored already (then the stored one stays). */
    void insertGeneratedKey(Connection c, String base64, Instant now) throws SQLException;

    /** Deletes the generated audit key; returns whether there was one. */
    boolean deleteGeneratedKey(Connection c) throws SQLException;

    /** The last seq and hash of a chain; seq 0 and {@link ChainHash#GENESIS} before its first event. */
    record ChainHead(long seq, String hash) {
    }

    /** A chain's head and the largest seq of its events ({@code null} when it has none). */
    record ChainTail(ChainHead head, Long maxSeq) {
    }
}
