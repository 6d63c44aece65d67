package dev.keygate.server.principal;

import dev.keygate.core.principal.Principal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where principals are kept. Every method runs on the caller's connection. */
public interface PrincipalStore {

    /** Inserts a principal; returns false if one with that name exists already. */
    boolean insert(Connection c, Principal principal) throws SQLException;

    Optional<Principal> find(Connection c, String name) throws SQLException;

    /**
     * The principal, share-locked until the transaction ends where the store needs row locks: a concurrent
     * disabling waits for the transaction (and then sees the token it minted), or commits first and is seen.
     */
    Optional<Principal> findForShare(Connection c, String name) throws SQLException;

    /**
     * Disables the principal ({@code at} non-null) or enables it ({@code at} null); returns whether its state
     * changed.
     */
    boolean setDisabled(Connection c, String name, Instant at, String by) throws SQLException;

    /** Every principal, sorted by name. */
    List<Principal> list(Connection c) throws SQLException;
}
