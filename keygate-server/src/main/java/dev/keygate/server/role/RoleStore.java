package dev.keygate.server.role;

import dev.keygate.core.role.Role;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Where roles are kept. Every method runs on the caller's connection, inside the caller's transaction. */
public interface RoleStore {

    /** Inserts a role; returns false if a role with that name exists already. */
    boolean insert(Connection c, Role role) throws SQLException;

    /** Replaces the description, grants, max_ttl and environments of an existing role; returns false if there is none. */
    boolean update(Connection c, Role role) throws SQLException;

    /** Deletes a role; returns false if there was none. */
    boolean delete(Connection c, String name) throws SQLException;

    Optional<Role> find(Connection c, String name) throws SQLException;

    /**
     * Finds a role and locks it until the transaction ends, so that no token can be minted with it while the
     * caller decides whether to change or delete it.
     */
    Optional<Role> findForChange(Connection c, String name) throws SQLException;

    /** The roles with these names that exist, in the order of {@code names}. */
    List<Role> findAll(Connection c, List<String> names) throws SQLException;

    /**
     * The roles with these names that exist, in the order of {@code names}, share-locked until the transaction
     * ends so that none can be widened or deleted before the token that is granted them is committed.
     */
    List<Role> findAllForGrant(Connection c, List<String> names) throws SQLException;

    /** Every role, sorted by name. */
    List<Role> list(Connection c) throws SQLException;

    /**
     * Every role, sorted by name, each locked as by {@link #findForChange} until the transaction ends; and no
     * other caller of this method gets past it before then, so that it sees all that the previous caller committed
     * (roles it created included) and two callers that replace the whole set of roles run one after the other.
     */
    List<Role> listForChange(Connection c) throws SQLException;
}
