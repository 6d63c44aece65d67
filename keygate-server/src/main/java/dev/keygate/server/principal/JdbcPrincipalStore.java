package dev.keygate.server.principal;

import dev.keygate.core.principal.Principal;
import dev.keygate.core.principal.PrincipalKind;
import dev.keygate.server.store.Dialect;
import dev.keygate.server.store.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link PrincipalStore} on SQLite and PostgreSQL. The SQL is the same on both but for row locks, which only
 * PostgreSQL needs (SQLite's write transactions run one at a time).
 */
public final class JdbcPrincipalStore implements PrincipalStore {

    private static final String COLUMNS = "name, kind, description, metadata, created_at, disabled_at";
    private static final String INSERT = "INSERT INTO principals (name, kind, description, metadata, created_at) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING";
    private static final String DISABLE = "UPDATE principals SET disabled_at = ?, disabled_by = ? "
            + "WHERE name = ? AND disabled_at IS NULL";
    private static final String ENABLE = "UPDATE principals SET disabled_at = NULL, disabled_by = NULL "
            + "WHERE name = ? AND disabled_at IS NOT NULL";
    private static final String FIND = "SELECT " + COLUMNS + " FROM principals WHERE name = ?";
    private static final String LIST = "SELECT " + COLUMNS + " FROM principals ORDER BY name";

    @Override
    public boolean insert(Connection c, Principal p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, p.name());
            ps.setString(2, p.kind().apiName());
            ps.setString(3, p.description());
            ps.setString(4, p.metadataJson());
            Rows.setInstant(ps, 5, p.createdAt());
            return ps.executeUpdate() == 1;
        }
    }

    private final String lockForShare;

    public JdbcPrincipalStore(Dialect dialect) {
        this.lockForShare = dialect == Dialect.POSTGRESQL ? " FOR SHARE" : "";
    }

    @Override
    public Optional<Principal> find(Connection c, String name) throws SQLException {
        return findOne(c, FIND, name);
    }

    @Override
    public Optional<Principal> findForShare(Connection c, String name) throws SQLException {
        return findOne(c, FIND + lockForShare, name);
    }

    @Override
    public boolean setDisabled(Connection c, String name, Instant at, String by) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(at == null ? ENABLE : DISABLE)) {
            if (at == null) {
                ps.setString(1, name);
            } else {
                Rows.setInstant(ps, 1, at);
                Rows.setString(ps, 2, by);
                ps.setString(3, name);
            }
            return ps.executeUpdate() == 1;
        }
    }

    private static Optional<Principal> findOne(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<Principal> list(Connection c) throws SQLException {
        List<Principal> all = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LIST); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                all.add(read(rs));
            }
        }
        return all;
    }

    private static Principal read(ResultSet rs) throws SQLException {
        return new Principal(rs.getString("name"), PrincipalKind.fromApiName(rs.getString("kind")),
                rs.getString("description"), rs.getString("metadata"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "disabled_at"));
    }
}
