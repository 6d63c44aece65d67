package dev.keygate.server.hygiene;

import dev.keygate.server.store.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link HygieneStore} on SQLite and PostgreSQL: the same SQL on both. A read model of the tokens table, kept here
 * rather than in the token store because only the report reads tokens this way; it reads whole columns in three
 * statements rather than each token's roles one by one.
 */
public final class JdbcHygieneStore implements HygieneStore {

    /** What {@code expires_at} holds for a permanent token (migration V4). */
    private static final long NEVER = Long.MAX_VALUE;
    /** Active: as {@code TokenStatus.ACTIVE} and the token store's list. Two parameters: now, now. */
    private static final String ACTIVE = "t.revoked_at IS NULL AND (t.rotation_ends_at IS NULL "
            + "OR t.rotation_ends_at > ?) AND t.expires_at > ?";
    private static final String TOKENS = "SELECT t.id, t.principal, t.name, t.environment, t.created_at, "
            + "t.expires_at, t.last_used_at, t.rotation_due_at, t.rotated_to, t.allowed_cidrs FROM tokens t WHERE "
            + ACTIVE + " ORDER BY t.created_at, t.id";
    private static final String ROLES = "SELECT r.token_id, r.role FROM token_roles r JOIN tokens t "
            + "ON t.id = r.token_id WHERE " + ACTIVE + " ORDER BY r.token_id, r.position";
    private static final String LINES = "WITH RECURSIVE line (token_id, id, rotated_from, created_at, depth) AS ("
            + "SELECT t.id, t.id, t.rotated_from, t.created_at, 0 FROM tokens t WHERE " + ACTIVE
            + " AND t.rotated_from IS NOT NULL "
            + "UNION ALL SELECT line.token_id, p.id, p.rotated_from, p.created_at, line.depth + 1 FROM tokens p "
            + "JOIN line ON p.id = line.rotated_from WHERE line.depth < 64) "
            + "SELECT token_id, id, created_at FROM line WHERE depth > 0 ORDER BY token_id, depth";

    @Override
    public List<ActiveToken> activeTokens(Connection c, Instant now) throws SQLException {
        Map<String, List<String>> roles = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(ROLES)) {
            bindNow(ps, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    roles.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        List<ActiveToken> tokens = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(TOKENS)) {
            bindNow(ps, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString("id");
                    long expires = rs.getLong("expires_at");
                    tokens.add(new ActiveToken(id, rs.getString("principal"), rs.getString("name"),
                            rs.getString("environment"), Rows.instant(rs, "created_at"),
                            expires == NEVER ? null : Instant.ofEpochMilli(expires), Rows.instant(rs, "last_used_at"),
                            Rows.instant(rs, "rotation_due_at"), rs.getString("rotated_to") != null,
                            rs.getString("allowed_cidrs") != null, List.copyOf(roles.getOrDefault(id, List.of()))));
                }
            }
        }
        return tokens;
    }

    @Override
    public Map<String, List<Predecessor>> predecessors(Connection c, Instant now) throws SQLException {
        Map<String, List<Predecessor>> lines = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LINES)) {
            bindNow(ps, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.computeIfAbsent(rs.getString("token_id"), k -> new ArrayList<>())
                            .add(new Predecessor(rs.getString("id"), Rows.instant(rs, "created_at")));
                }
            }
        }
        return lines;
    }

    /** Binds the two parameters of {@link #ACTIVE}. */
    private static void bindNow(PreparedStatement ps, Instant now) throws SQLException {
        ps.setLong(1, now.toEpochMilli());
        ps.setLong(2, now.toEpochMilli());
    }
}
