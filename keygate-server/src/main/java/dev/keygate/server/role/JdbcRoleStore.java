package dev.keygate.server.role;

import dev.keygate.core.permission.Permission;
import dev.keygate.core.policy.Grant;
import dev.keygate.core.role.Role;
import dev.keygate.server.store.Dialect;
import dev.keygate.server.store.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link RoleStore} on SQLite and PostgreSQL. The SQL is the same on both but for row locks: PostgreSQL needs
 * {@code FOR UPDATE} and {@code FOR SHARE} to order a minting against a role change, while SQLite's write
 * transactions ({@code BEGIN IMMEDIATE}) already run one at a time.
 */
public final class JdbcRoleStore implements RoleStore {

    private static final String COLUMNS = "name, description, permissions, grants, max_ttl_seconds, environments, "
            + "created_at, updated_at";
    private static final String INSERT = "INSERT INTO roles (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (name) DO NOTHING";
    private static final String UPDATE = "UPDATE roles SET description = ?, permissions = ?, grants = ?, max_ttl_seconds = ?, "
            + "environments = ?, updated_at = ? WHERE name = ?";
    private static final String DELETE = "DELETE FROM roles WHERE name = ?";
    private static final String FIND = "SELECT " + COLUMNS + " FROM roles WHERE name = ?";
    private static final String LIST = "SELECT " + COLUMNS + " FROM roles ORDER BY name";

    /**
     * The key of the PostgreSQL advisory lock that {@link #listForChange} takes: "keygate" in ASCII, a constant no
     * other lock of Keygate uses.
     */
    static final long WHOLE_SET_LOCK = 0x6b657967617465L;

    private final boolean rowLocks;
    private final String lockForChange;
    private final String lockForGrant;

    public JdbcRoleStore(Dialect dialect) {
        this.rowLocks = dialect == Dialect.POSTGRESQL;
        this.lockForChange = rowLocks ? " FOR UPDATE" : "";
        this.lockForGrant = rowLocks ? " FOR SHARE" : "";
    }

    @Override
    public boolean insert(Connection c, Role role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, role.name());
            ps.setString(2, role.description());
            ps.setString(3, join(role.permissions()));
            Rows.setString(ps, 4, GrantsColumn.encode(role.grants()));
            setMaxTtl(ps, 5, role);
            Rows.setString(ps, 6, role.environments() == null ? null : String.join(" ", role.environments()));
            Rows.setInstant(ps, 7, role.createdAt());
            Rows.setInstant(ps, 8, role.updatedAt());
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public boolean update(Connection c, Role role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setString(1, role.description());
            ps.setString(2, join(role.permissions()));
            Rows.setString(ps, 3, GrantsColumn.encode(role.grants()));
            setMaxTtl(ps, 4, role);
            Rows.setString(ps, 5, role.environments() == null ? null : String.join(" ", role.environments()));
            Rows.setInstant(ps, 6, role.updatedAt());
            ps.setString(7, role.name());
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public boolean delete(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public Optional<Role> find(Connection c, String name) throws SQLException {
        return find(c, FIND, name);
    }

    @Override
    public Optional<Role> findForChange(Connection c, String name) throws SQLException {
        return find(c, FIND + lockForChange, name);
    }

    private static Optional<Role> find(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<Role> findAll(Connection c, List<String> names) throws SQLException {
        return findAll(c, names, "");
    }

    @Override
    public List<Role> findAllForGrant(Connection c, List<String> names) throws SQLException {
        return findAll(c, names, lockForGrant);
    }

    private static List<Role> findAll(Connection c, List<String> names, String lock) throws SQLException {
        if (names.isEmpty()) {
            return List.of();
        }
        // Sorted by name so that concurrent lockers take their row locks in one order and never deadlock.
        String sql = "SELECT " + COLUMNS + " FROM roles WHERE name IN ("
                + String.join(", ", Collections.nCopies(names.size(), "?")) + ") ORDER BY name" + lock;
        Map<String, Role> byName = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String name : names) {
                ps.setString(i++, name);
            }
            for (Role role : readAll(ps)) {
                byName.put(role.name(), role);
            }
        }
        List<Role> ordered = new ArrayList<>(byName.size());
        for (String name : names) {
            Role role = byName.remove(name);
            if (role != null) {
                ordered.add(role);
            }
        }
        return ordered;
    }

    @Override
    public List<Role> list(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LIST)) {
            return readAll(ps);
        }
    }

    @Override
    public List<Role> listForChange(Connection c) throws SQLException {
        if (rowLocks) {
            // Row locks alone would let a second caller, blocked on them, miss the roles the first one inserted:
            // a statement's snapshot is taken before it waits. Callers queue on this lock first, and only then
            // read, with a snapshot that holds everything the previous caller committed. (SQLite runs write
            // transactions one at a time anyway.)
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                ps.setLong(1, WHOLE_SET_LOCK);
                ps.execute();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(LIST + lockForChange)) {
            return readAll(ps);
        }
    }

    private static List<Role> readAll(PreparedStatement ps) throws SQLException {
        List<Role> roles = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                roles.add(read(rs));
            }
        }
        return roles;
    }

    private static Role read(ResultSet rs) throws SQLException {
        String stored = rs.getString("grants");
        List<Grant> grants = stored != null ? GrantsColumn.decode(stored)
                : Arrays.stream(rs.getString("permissions").split(" "))
                        .filter(s -> !s.isEmpty())
                        .map(s -> Grant.allow(Permission.parse(s)))
                        .toList();
        long seconds = rs.getLong("max_ttl_seconds");
        Duration maxTtl = rs.wasNull() ? null : Duration.ofSeconds(seconds);
        String environments = rs.getString("environments");
        return new Role(rs.getString("name"), rs.getString("description"), grants, maxTtl,
                environments == null ? null : List.of(environments.split(" ")), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }

    private static void setMaxTtl(PreparedStatement ps, int index, Role role) throws SQLException {
        if (role.maxTtl() == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, role.maxTtl().toSeconds());
        }
    }

    private static String join(List<Permission> permissions) {
        StringBuilder sb = new StringBuilder();
        for (Permission p : permissions) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(p);
        }
        return sb.toString();
    }
}
