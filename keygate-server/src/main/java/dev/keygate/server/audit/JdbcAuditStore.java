package dev.keygate.server.audit;

import dev.keygate.server.store.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@link AuditStore} on SQLite and PostgreSQL (the SQL is the same on both). */
public final class JdbcAuditStore implements AuditStore {

    private static final String COLUMNS = "time, action, actor_token_id, actor_principal, target, permission, "
            + "decision, code, client_ip, user_agent, detail, request_ip";
    private static final String INSERT = "INSERT INTO audit_events (" + COLUMNS + ") "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    @Override
    public void append(Connection c, List<AuditEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (AuditEvent e : events) {
                Rows.setInstant(ps, 1, e.time());
                ps.setString(2, e.action());
                Rows.setString(ps, 3, e.actorTokenId());
                Rows.setString(ps, 4, e.actorPrincipal());
                Rows.setString(ps, 5, e.target());
                Rows.setString(ps, 6, e.permission());
                ps.setString(7, e.decision());
                ps.setString(8, e.code());
                Rows.setString(ps, 9, e.clientIp());
                Rows.setString(ps, 10, e.userAgent());
                Rows.setString(ps, 11, e.detail());
                Rows.setString(ps, 12, e.requestIp());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public List<AuditEvent> query(Connection c, AuditQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, ").append(COLUMNS).append(" FROM audit_events WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.tokenId() != null) {
            sql.append(" AND (actor_token_id = ? OR target = ?)");
            args.add(q.tokenId());
            args.add(q.tokenId());
        }
        if (q.principal() != null) {
            sql.append(" AND actor_principal = ?");
            args.add(q.principal());
        }
        if (q.action() != null) {
            sql.append(" AND action = ?");
            args.add(q.action());
        }
        if (q.since() != null) {
            sql.append(" AND time >= ?");
            args.add(q.since().toEpochMilli());
        }
        if (q.beforeId() != null) {
            sql.append(" AND id < ?");
            args.add(q.beforeId());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.limit());
        List<AuditEvent> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new AuditEvent(rs.getLong("id"), Rows.instant(rs, "time"), rs.getString("action"),
                            rs.getString("actor_token_id"), rs.getString("actor_principal"), rs.getString("target"),
                            rs.getString("permission"), rs.getString("decision"), rs.getString("code"),
                            rs.getString("client_ip"), rs.getString("user_agent"), rs.getString("detail"),
                            rs.getString("request_ip")));
                }
            }
        }
        return events;
    }
}
