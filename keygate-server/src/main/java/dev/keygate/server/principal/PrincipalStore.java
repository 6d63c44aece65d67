package dev.keygate.server.principal;

import dev.keygate.core.principal.Principal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Where principals are kept. Every method runs on the caller's connection. */
public interface PrincipalStore {

    /** Inserts a principal; returns false if one with that name exists already. */
    boolean insert(Connection c, Principal principal) throws SQLException;

    Optional<Principal> find(Connection c, String name) throws SQLException;

    /** Every principal, sorted by name. */
    List<Principal> list(Connection c) throws SQLException;
}
