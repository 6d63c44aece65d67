package dev.keygate.server.principal;

import dev.keygate.core.principal.Principal;
import dev.keygate.core.principal.PrincipalKind;
import dev.keygate.server.store.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link PrincipalStore} on SQLite and PostgreSQL (the SQL is the same on both). */
public final class JdbcPrincipalStore implements PrincipalStore {

    private static final String COLUMNS = "name, kind, description, metadata, created_at";
    private static final String INSERT = "INSERT INTO principals (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?) "
            + "ON CONFLICT (name) DO NOTHING";
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

    @Override
    public Optional<Principal> find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FIND)) {
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
                rs.getString("description"), rs.getString("metadata"), Rows.instant(rs, "created_at"));
    }
}
