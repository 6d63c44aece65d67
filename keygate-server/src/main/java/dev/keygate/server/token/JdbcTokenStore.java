package dev.keygate.server.token;

import dev.keygate.core.net.AllowedNetworks;
import dev.keygate.core.token.RateLimit;
import dev.keygate.core.token.Rotation;
import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenLimits;
import dev.keygate.core.token.TokenStatus;
import dev.keygate.server.store.Dialect;
import dev.keygate.server.store.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeMap;

/**
 * {@link TokenStore} on SQLite and PostgreSQL. The SQL is the same on both but for row locks: PostgreSQL needs
 * {@code FOR SHARE} to order a child's minting against its parent's revocation, while SQLite's write
 * transactions ({@code BEGIN IMMEDIATE}) already run one at a time.
 */
public final class JdbcTokenStore implements TokenStore {

    /** What {@code expires_at} holds for a permanent token: after every real time (see migration V4). */
    static final long NEVER = Long.MAX_VALUE;

    private static final String COLUMNS = "t.id, t.principal, t.environment, t.name, t.created_at, t.created_by, "
            + "t.expires_at, t.revoked_at, t.revoked_by, t.revoke_reason, t.last_used_at, t.last_used_ip, "
            + "t.parent_id, t.rotated_from, t.rotated_to, t.rotation_ends_at, t.rotate_every_seconds, t.max_uses, "
            + "t.remaining, t.rate_limit, t.rate_window_seconds, t.allowed_cidrs, t.metadata";
    private static final String INSERT = "INSERT INTO tokens (id, hash, principal, environment, name, created_at, "
            + "created_by, expires_at, parent_id, rotated_from, rotate_every_seconds, rotation_due_at, max_uses, "
            + "remaining, rate_limit, rate_window_seconds, allowed_cidrs, metadata) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /**
     * The token and, while its count is null because a rotation moved it on, its successors: the first with a
     * count holds the uses of the whole rotation chain. One parameter: the token's id.
     */
    private static final String COUNT_CHAIN = "WITH RECURSIVE chain (id, remaining, rotated_to, depth) AS ("
            + "SELECT id, remaining, rotated_to, 0 FROM tokens WHERE id = ? "
            + "UNION ALL SELECT t.id, t.remaining, t.rotated_to, chain.depth + 1 FROM tokens t "
            + "JOIN chain ON t.id = chain.rotated_to WHERE chain.remaining IS NULL AND chain.depth < 64) ";
    private static final String COUNTER = "(SELECT id FROM chain WHERE remaining IS NOT NULL ORDER BY depth LIMIT 1)";
    /** Spends uses only if enough are left: one statement, so concurrent spenders can never overdraw. */
    private static final String SPEND = COUNT_CHAIN + "UPDATE tokens SET remaining = remaining - ? "
            + "WHERE id = " + COUNTER + " AND remaining >= ? RETURNING remaining";
    private static final String REMAINING = COUNT_CHAIN
            + "SELECT remaining FROM chain WHERE remaining IS NOT NULL ORDER BY depth LIMIT 1";
    private static final String MOVE_COUNT = "UPDATE tokens SET remaining = NULL WHERE id = ?";

    private static final String INSERT_ROLE = "INSERT INTO token_roles (token_id, role, position) VALUES (?, ?, ?)";
    private static final String ROLES_OF = "SELECT role FROM token_roles WHERE token_id = ? ORDER BY position";
    private static final String REVOKE = "UPDATE tokens SET revoked_at = ?, revoked_by = ?, revoke_reason = ? "
            + "WHERE id = ? AND revoked_at IS NULL";
    /** Live: neither revoked, nor past its rotation grace period, nor expired. Two parameters: now, now. */
    private static final String LIVE = "t.revoked_at IS NULL AND (t.rotation_ends_at IS NULL OR t.rotation_ends_at > ?)"
            + " AND t.expires_at > ?";
    private static final String COUNT_LIVE = "SELECT COUNT(*) FROM tokens t JOIN token_roles r ON r.token_id = t.id "
            + "WHERE r.role = ? AND " + LIVE;
    private static final String LIVE_ENVIRONMENTS = "SELECT DISTINCT t.environment FROM tokens t "
            + "JOIN token_roles r ON r.token_id = t.id WHERE r.role = ? AND " + LIVE + " ORDER BY t.environment";
    private static final String LIVE_BY_ENVIRONMENT = "SELECT t.environment, COUNT(*) FROM tokens t WHERE " + LIVE
            + " GROUP BY t.environment";
    /** Of two uses at the same millisecond, the one recorded last wins, as within a batch. */
    private static final String TOUCH = "UPDATE tokens SET last_used_at = ?, last_used_ip = ? "
            + "WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)";
    private static final String MARK_ROTATED = "UPDATE tokens SET rotated_to = ?, rotation_ends_at = ? "
            + "WHERE id = ? AND rotated_to IS NULL AND revoked_at IS NULL AND expires_at > ?";
    private static final String REPARENT = "UPDATE tokens SET parent_id = ? WHERE parent_id = ? AND revoked_at IS NULL";
    private static final String CHILDREN = "SELECT id FROM tokens WHERE parent_id = ? ORDER BY id";
    private static final String UNREVOKED_OF_PRINCIPAL = "SELECT id FROM tokens WHERE principal = ? "
            + "AND revoked_at IS NULL ORDER BY id";

    /** How many hashes one statement of {@link #findByHashes} looks up. */
    private static final int HASH_CHUNK = 100;

    private final String lockForShare;

    public JdbcTokenStore(Dialect dialect) {
        this.lockForShare = dialect == Dialect.POSTGRESQL ? " FOR SHARE" : "";
    }

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
            ps.setLong(8, token.permanent() ? NEVER : token.expiresAt().toEpochMilli());
            Rows.setString(ps, 9, token.parentId());
            Rows.setString(ps, 10, token.rotation().from());
            Duration every = token.rotation().every();
            Rows.setLong(ps, 11, every == null ? null : every.toSeconds());
            Rows.setInstant(ps, 12, token.rotationDueAt());
            TokenLimits limits = token.limits();
            Rows.setLong(ps, 13, limits.maxUses());
            Rows.setLong(ps, 14, limits.remaining());
            RateLimit rate = limits.rateLimit();
            Rows.setLong(ps, 15, rate == null ? null : rate.limit());
            Rows.setLong(ps, 16, rate == null ? null : rate.window().toSeconds());
            Rows.setString(ps, 17, limits.allowedNetworks() == null ? null : limits.allowedNetworks().toText());
            ps.setString(18, token.metadataJson());
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
    public Optional<Token> findForShare(Connection c, String id) throws SQLException {
        return findOne(c, "SELECT " + COLUMNS + " FROM tokens t WHERE t.id = ?" + lockForShare, id);
    }

    @Override
    public Optional<Token> findByHash(Connection c, String hash) throws SQLException {
        return findOne(c, "SELECT " + COLUMNS + " FROM tokens t WHERE t.hash = ?", hash);
    }

    @Override
    public Map<String, Token> findByHashes(Connection c, Collection<String> hashes) throws SQLException {
        List<String> all = List.copyOf(new LinkedHashSet<>(hashes));
        Map<String, TokenRow> rows = new LinkedHashMap<>();
        // In chunks: SQLite builds before 3.32 allow at most 999 parameters in a statement.
        for (int from = 0; from < all.size(); from += HASH_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + HASH_CHUNK));
            String sql = "SELECT t.hash, " + COLUMNS + " FROM tokens t WHERE t.hash IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString("hash"), TokenRow.read(rs));
                    }
                }
            }
        }
        Map<String, Token> found = new LinkedHashMap<>();
        for (Map.Entry<String, TokenRow> e : rows.entrySet()) {
            found.put(e.getKey(), e.getValue().toToken(rolesOf(c, e.getValue().id)));
        }
        return found;
    }

    @Override
    public List<Token> list(Connection c, TokenQuery q, Instant now) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM tokens t WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        long millis = now.toEpochMilli();
        if (q.principal() != null) {
            sql.append(" AND t.principal = ?");
            args.add(q.principal());
        }
        if (q.status() != null) {
            String notRotatedOut = "(t.rotation_ends_at IS NULL OR t.rotation_ends_at > ?)";
            switch (q.status()) {
                case ACTIVE -> sql.append(" AND t.revoked_at IS NULL AND " + notRotatedOut + " AND t.expires_at > ?");
                case EXPIRED -> sql.append(" AND t.revoked_at IS NULL AND " + notRotatedOut + " AND t.expires_at <= ?");
                case ROTATED -> sql.append(" AND t.revoked_at IS NULL AND t.rotation_ends_at <= ?");
                case REVOKED -> sql.append(" AND t.revoked_at IS NOT NULL");
            }
            int params = switch (q.status()) {
                case ACTIVE, EXPIRED -> 2;
                case ROTATED -> 1;
                case REVOKED -> 0;
            };
            for (int i = 0; i < params; i++) {
                args.add(millis);
            }
        }
        if (q.expiringBy() != null || q.rotationDue()) {
            sql.append(" AND ").append(LIVE);
            args.add(millis);
            args.add(millis);
        }
        if (q.expiringBy() != null) {
            sql.append(" AND t.expires_at <= ?");
            args.add(q.expiringBy().toEpochMilli());
        }
        if (q.rotationDue()) {
            sql.append(" AND t.rotated_to IS NULL AND t.rotation_due_at <= ?");
            args.add(millis);
        }
        if (q.permanent() != null) {
            sql.append(q.permanent() ? " AND t.expires_at = ?" : " AND t.expires_at <> ?");
            args.add(NEVER);
        }
        String order = q.expiringBy() != null ? " ORDER BY t.expires_at, t.id"
                : q.rotationDue() ? " ORDER BY t.rotation_due_at, t.id"
                : " ORDER BY t.created_at DESC, t.id DESC";
        sql.append(order).append(" LIMIT ?");
        args.add(q.limit());
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
    public List<String> children(Connection c, String id) throws SQLException {
        return ids(c, CHILDREN, id);
    }

    @Override
    public List<String> unrevokedOfPrincipal(Connection c, String principal) throws SQLException {
        return ids(c, UNREVOKED_OF_PRINCIPAL, principal);
    }

    @Override
    public boolean markRotated(Connection c, String id, String successorId, Instant endsAt, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MARK_ROTATED)) {
            ps.setString(1, successorId);
            Rows.setInstant(ps, 2, endsAt);
            ps.setString(3, id);
            ps.setLong(4, now.toEpochMilli());
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public int reparentChildren(Connection c, String fromId, String toId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(REPARENT)) {
            ps.setString(1, toId);
            ps.setString(2, fromId);
            return ps.executeUpdate();
        }
    }

    @Override
    public Long spend(Connection c, String id, long cost) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SPEND)) {
            ps.setString(1, id);
            ps.setLong(2, cost);
            ps.setLong(3, cost);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    @Override
    public Long remaining(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(REMAINING)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Rows.longOrNull(rs, "remaining") : null;
            }
        }
    }

    @Override
    public Long takeRemaining(Connection c, String id) throws SQLException {
        Long remaining = remaining(c, id);
        try (PreparedStatement ps = c.prepareStatement(MOVE_COUNT)) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        return remaining;
    }

    @Override
    public int countLiveHolding(Connection c, String role, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COUNT_LIVE)) {
            ps.setString(1, role);
            ps.setLong(2, now.toEpochMilli());
            ps.setLong(3, now.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public List<String> liveEnvironmentsHolding(Connection c, String role, Instant now) throws SQLException {
        List<String> environments = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LIVE_ENVIRONMENTS)) {
            ps.setString(1, role);
            ps.setLong(2, now.toEpochMilli());
            ps.setLong(3, now.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    environments.add(rs.getString(1));
                }
            }
        }
        return environments;
    }

    @Override
    public boolean isEmpty(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tokens LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return !rs.next();
        }
    }

    @Override
    public void touch(Connection c, Map<String, LastUse> lastUseById) throws SQLException {
        if (lastUseById.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(TOUCH)) {
            for (Map.Entry<String, LastUse> e : new TreeMap<>(lastUseById).entrySet()) {
                long millis = e.getValue().at().toEpochMilli();
                ps.setLong(1, millis);
                Rows.setString(ps, 2, e.getValue().ip());
                ps.setString(3, e.getKey());
                ps.setLong(4, millis);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static List<String> ids(Connection c, String sql, String key) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
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
                            String revokeReason, Instant lastUsedAt, String lastUsedIp, String parentId,
                            Rotation rotation, TokenLimits limits, String metadataJson) {

        static TokenRow read(ResultSet rs) throws SQLException {
            long expires = rs.getLong("expires_at");
            Long every = Rows.longOrNull(rs, "rotate_every_seconds");
            Rotation rotation = new Rotation(rs.getString("rotated_from"), rs.getString("rotated_to"),
                    Rows.instant(rs, "rotation_ends_at"), every == null ? null : Duration.ofSeconds(every));
            return new TokenRow(rs.getString("id"), rs.getString("principal"), rs.getString("environment"),
                    rs.getString("name"), Rows.instant(rs, "created_at"), rs.getString("created_by"),
                    expires == NEVER ? null : Instant.ofEpochMilli(expires), Rows.instant(rs, "revoked_at"),
                    rs.getString("revoked_by"), rs.getString("revoke_reason"), Rows.instant(rs, "last_used_at"),
                    rs.getString("last_used_ip"), rs.getString("parent_id"), rotation, limits(rs),
                    rs.getString("metadata"));
        }

        private static TokenLimits limits(ResultSet rs) throws SQLException {
            Long maxUses = Rows.longOrNull(rs, "max_uses");
            Long rate = Rows.longOrNull(rs, "rate_limit");
            String cidrs = rs.getString("allowed_cidrs");
            if (maxUses == null && rate == null && cidrs == null) {
                return TokenLimits.NONE;
            }
            return new TokenLimits(maxUses, Rows.longOrNull(rs, "remaining"),
                    rate == null ? null : new RateLimit(rate, Duration.ofSeconds(rs.getLong("rate_window_seconds"))),
                    cidrs == null ? null : AllowedNetworks.parseText(cidrs));
        }

        Token toToken(List<String> roles) {
            return new Token(id, principal, roles, environment, name, createdAt, createdBy, expiresAt, revokedAt,
                    revokedBy, revokeReason, lastUsedAt, lastUsedIp, parentId, rotation, limits, metadataJson);
        }
    }

    @Override
    public Map<String, Long> countLiveByEnvironment(Connection c, Instant now) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(LIVE_BY_ENVIRONMENT)) {
            ps.setLong(1, now.toEpochMilli());
            ps.setLong(2, now.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }
}
