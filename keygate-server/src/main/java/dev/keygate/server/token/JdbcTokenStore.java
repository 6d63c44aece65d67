package dev.keygate.server.token;

import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenStatus;
import dev.keygate.server.store.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link TokenStore} on SQLite and PostgreSQL (the SQL is the same on both). */
public final class JdbcTokenStore implements TokenStore {

    private static final String COLUMNS = "t.id, t.principal, t.environment, t.name, t.created_at, t.created_by, "
            + "t.expires_at, t.revoked_at, t.revoked_by, t.revoke_reason, t.last_used_at";
    private static final String INSERT = "INSERT INTO tokens (id, hash, principal, environment, name, created_at, "
            + "created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_ROLE = "INSERT INTO token_roles (token_id, role, position) VALUES (?, ?, ?)";
    private static final String ROLES_OF = "SELECT role FROM token_roles WHERE token_id = ? ORDER BY position";
    private static final String REVOKE = "UPDATE tokens SET revoked_at = ?, revoked_by = ?, revoke_reason = ? "
            + "WHERE id = ? AND revoked_at IS NULL";
    private static final String COUNT_LIVE = "SELECT COUNT(*) FROM tokens t JOIN token_roles r ON r.token_id = t.id "
            + "WHERE r.role = ? AND t.revoked_at IS NULL AND t.expires_at > ?";
    private static final String TOUCH = "UPDATE tokens SET last_used_at = ? "
            + "WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)";

    @Override
    public void insert(Connection c, Token token, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, token.id());
            ps.setString(2, hash);
            ps.setString(3, token.principal());
            ps.setString(4, token.environment());
            Rows.setString(ps, 5, token.name());
            Rows.setInstant(ps, 6, token.createdAt());
            Rows.setString(ps, 7, token.createdBy());
            Rows.setInstant(ps, 8, token.expiresAt());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_ROLE)) {
            int position = 0;
            for (String role : token.roles()) {
                ps.setString(1, token.id());
                ps.setString(2, role);
                ps.setInt(3, position++);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public Optional<Token> findById(Connection c, String id) throws SQLException {
        return findOne(c, "SELECT " + COLUMNS + " FROM tokens t WHERE t.id = ?", id);
    }

    @Override
    public Optional<Token> findByHash(Connection c, String hash) throws SQLException {
        return findOne(c, "SELECT " + COLUMNS + " FROM tokens t WHERE t.hash = ?", hash);
    }

    @Override
    public List<Token> list(Connection c, String principal, TokenStatus status, Instant expiringBy, Instant now,
                            int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM tokens t WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (principal != null) {
            sql.append(" AND t.principal = ?");
            args.add(principal);
        }
        if (status != null) {
            switch (status) {
                case ACTIVE -> sql.append(" AND t.revoked_at IS NULL AND t.expires_at > ?");
                case EXPIRED -> sql.append(" AND t.revoked_at IS NULL AND t.expires_at <= ?");
                case REVOKED -> sql.append(" AND t.revoked_at IS NOT NULL");
            }
            if (status != TokenStatus.REVOKED) {
                args.add(now.toEpochMilli());
            }
        }
        if (expiringBy != null) {
            sql.append(" AND t.revoked_at IS NULL AND t.expires_at > ? AND t.expires_at <= ?");
            args.add(now.toEpochMilli());
            args.add(expiringBy.toEpochMilli());
        }
        sql.append(expiringBy != null ? " ORDER BY t.expires_at, t.id" : " ORDER BY t.created_at DESC, t.id DESC")
                .append(" LIMIT ?");
        args.add(limit);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            Map<String, TokenRow> rows = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TokenRow row = TokenRow.read(rs);
                    rows.put(row.id, row);
                }
            }
            List<Token> tokens = new ArrayList<>(rows.size());
            for (TokenRow row : rows.values()) {
                tokens.add(row.toToken(rolesOf(c, row.id)));
            }
            return tokens;
        }
    }

    @Override
    public boolean revoke(Connection c, String id, Instant at, String by, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(REVOKE)) {
            Rows.setInstant(ps, 1, at);
            Rows.setString(ps, 2, by);
            Rows.setString(ps, 3, reason);
            ps.setString(4, id);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public int countLiveHolding(Connection c, String role, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COUNT_LIVE)) {
            ps.setString(1, role);
            ps.setLong(2, now.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public boolean isEmpty(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tokens LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return !rs.next();
        }
    }

    @Override
    public void touch(Connection c, Map<String, Instant> lastUsedById) throws SQLException {
        if (lastUsedById.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(TOUCH)) {
            for (Map.Entry<String, Instant> e : lastUsedById.entrySet()) {
                long millis = e.getValue().toEpochMilli();
                ps.setLong(1, millis);
                ps.setString(2, e.getKey());
                ps.setLong(3, millis);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private Optional<Token> findOne(Connection c, String sql, String key) throws SQLException {
        TokenRow row;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                row = TokenRow.read(rs);
            }
        }
        return Optional.of(row.toToken(rolesOf(c, row.id)));
    }

    private static List<String> rolesOf(Connection c, String id) throws SQLException {
        List<String> roles = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(ROLES_OF)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    roles.add(rs.getString(1));
                }
            }
        }
        return roles;
    }

    /** A row of the tokens table before its roles are attached. */
    private record TokenRow(String id, String principal, String environment, String name, Instant createdAt,
                            String createdBy, Instant expiresAt, Instant revokedAt, String revokedBy,
                            String revokeReason, Instant lastUsedAt) {

        static TokenRow read(ResultSet rs) throws SQLException {
            return new TokenRow(rs.getString("id"), rs.getString("principal"), rs.getString("environment"),
                    rs.getString("name"), Rows.instant(rs, "created_at"), rs.getString("created_by"),
                    Rows.instant(rs, "expires_at"), Rows.instant(rs, "revoked_at"), rs.getString("revoked_by"),
                    rs.getString("revoke_reason"), Rows.instant(rs, "last_used_at"));
        }

        Token toToken(List<String> roles) {
            return new Token(id, principal, roles, environment, name, createdAt, createdBy, expiresAt, revokedAt,
                    revokedBy, revokeReason, lastUsedAt);
        }
    }
}
