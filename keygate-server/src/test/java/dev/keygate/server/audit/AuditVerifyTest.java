package dev.keygate.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.KeygateServer;
import dev.keygate.server.store.Dialect;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.Postgres;
import dev.keygate.server.testing.Race;
import dev.keygate.server.testing.StoreKind;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/audit/verify} end to end: an untouched log verifies; each kind of tampering done to the rows
 * through JDBC, as someone with access to the database would, is found and reported at the right seq; several
 * server nodes writing to one store at once still make one valid chain each.
 */
class AuditVerifyTest extends EndToEndTest {

    // ---- intact --------------------------------------------------------------------------------------------

    @Test
    void verifyWhenLogUntouchedThenIntactAndEveryEventChecked() {
        JsonNode minted = server.principalWithToken(TestServer.unique("verify-ok"), "v.items:read");
        server.verify(minted.get("token").asText(), "v.items:read");
        server.flushAudit();
        long admin = server.count("SELECT COUNT(*) FROM audit_events WHERE chain = 'admin'");
        long verify = server.count("SELECT COUNT(*) FROM audit_events WHERE chain = 'verify'");

        JsonNode report = verify(server);

        assertThat(report.get("intact").asBoolean()).isTrue();
        assertThat(report.get("unchained_events").asLong()).isZero();
        JsonNode adminChain = chain(report, "admin");
        assertThat(adminChain.get("intact").asBoolean()).isTrue();
        assertThat(adminChain.get("first_seq").asLong()).isEqualTo(1);
        // Events appended after the walk began are not counted: at least those before the request.
        assertThat(adminChain.get("events_checked").asLong()).isGreaterThanOrEqualTo(admin);
        assertThat(adminChain.get("last_seq").asLong()).isEqualTo(adminChain.get("head_seq").asLong())
                .isEqualTo(adminChain.get("events_checked").asLong());
        assertThat(adminChain.has("broken")).isFalse();
        assertThat(adminChain.has("checkpoint")).isFalse();
        JsonNode verifyChain = chain(report, "verify");
        assertThat(verifyChain.get("intact").asBoolean()).isTrue();
        assertThat(verifyChain.get("events_checked").asLong()).isGreaterThanOrEqualTo(verify).isPositive();
    }

    @Test
    void verifyWhenCallerLacksAuditReadThen403AndWithoutTokenThen401() {
        String token = server.principalWithToken(TestServer.unique("verify-noperm"), "keygate.roles:read")
                .get("token").asText();

        TestServer.Response forbidden = server.get("/v1/audit/verify", token);
        TestServer.Response anonymous = server.get("/v1/audit/verify", null);

        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.header("Content-Type")).startsWith("application/problem+json");
        assertThat(anonymous.status()).isEqualTo(401);
    }

    @Test
    void verifyWhenCallerHoldsOnlyAuditReadThenAllowed() {
        String token = server.principalWithToken(TestServer.unique("verify-reader"), "keygate.audit:read")
                .get("token").asText();

        assertThat(server.get("/v1/audit/verify", token).status()).isEqualTo(200);
    }

    // ---- tampering -----------------------------------------------------------------------------------------

    @Test
    void verifyWhenAFieldOfAnEventIsUpdatedThenHashMismatchAtThatSeq() throws Exception {
        try (TestServer s = seeded()) {
            long id = idOf(s, "admin", 4);
            execute(s, "UPDATE audit_events SET detail = 'nothing to see' WHERE id = ?", id);

            JsonNode broken = broken(verify(s), "admin");

            assertThat(broken.get("problem").asText()).isEqualTo("hash_mismatch");
            assertThat(broken.get("meaning").asText()).isEqualTo("an event was edited");
            assertThat(broken.get("seq").asLong()).isEqualTo(4);
            assertThat(broken.get("id").asLong()).isEqualTo(id);
            assertThat(chain(verify(s), "admin").get("events_checked").asLong()).isEqualTo(3);
            assertThat(chain(verify(s), "verify").get("intact").asBoolean()).isTrue();
        }
    }

    @Test
    void verifyWhenTheTimeOfAVerifyEventIsMovedThenHashMismatchInTheVerifyChain() throws Exception {
        try (TestServer s = seeded()) {
            execute(s, "UPDATE audit_events SET time = time - 1000 WHERE id = ?", idOf(s, "verify", 2));

            JsonNode report = verify(s);

            assertThat(report.get("intact").asBoolean()).isFalse();
            assertThat(chain(report, "admin").get("intact").asBoolean()).isTrue();
            assertThat(broken(report, "verify").get("problem").asText()).isEqualTo("hash_mismatch");
            assertThat(broken(report, "verify").get("seq").asLong()).isEqualTo(2);
        }
    }

    @Test
    void verifyWhenAnEventIsDeletedThenSeqGapAtTheMissingSeq() throws Exception {
        try (TestServer s = seeded()) {
            execute(s, "DELETE FROM audit_events WHERE id = ?", idOf(s, "admin", 3));

            JsonNode broken = broken(verify(s), "admin");

            assertThat(broken.get("problem").asText()).isEqualTo("seq_gap");
            assertThat(broken.get("meaning").asText()).isEqualTo("events were deleted");
            assertThat(broken.get("seq").asLong()).isEqualTo(3);
            assertThat(broken.has("id")).isFalse();
            assertThat(broken.get("detail").asText()).isEqualTo("event 3 is missing");
        }
    }

    @Test
    void verifyWhenTwoEventsSwapTheirRowsThenOutOfOrderAtTheEarlierSeq() throws Exception {
        try (TestServer s = seeded()) {
            // Everything but the id trades places: each row checks out alone, but they are stored in the wrong order.
            swapRows(s, idOf(s, "admin", 2), idOf(s, "admin", 5), true);

            JsonNode broken = broken(verify(s), "admin");

            assertThat(broken.get("problem").asText()).isEqualTo("out_of_order");
            assertThat(broken.get("seq").asLong()).isEqualTo(2);
        }
    }

    @Test
    void verifyWhenTwoEventsSwapTheirContentThenHashMismatchAtTheEarlierSeq() throws Exception {
        try (TestServer s = seeded()) {
            swapRows(s, idOf(s, "admin", 4), idOf(s, "admin", 6), false);

            JsonNode broken = broken(verify(s), "admin");

            assertThat(broken.get("problem").asText()).isEqualTo("hash_mismatch");
            assertThat(broken.get("seq").asLong()).isEqualTo(4);
        }
    }

    @Test
    void verifyWhenTheNewestEventsAreDeletedThenTruncatedAtTheFirstMissingSeq() throws Exception {
        try (TestServer s = seeded()) {
            long head = headSeq(s, "admin");
            execute(s, "DELETE FROM audit_events WHERE chain = 'admin' AND seq > ?", head - 2);

            JsonNode report = verify(s);
            JsonNode broken = broken(report, "admin");

            assertThat(broken.get("problem").asText()).isEqualTo("truncated");
            assertThat(broken.get("seq").asLong()).isEqualTo(head - 1);
            assertThat(chain(report, "admin").get("last_seq").asLong()).isEqualTo(head - 2);
        }
    }

    @Test
    void verifyWhenTheNewestEventIsRewrittenWithAFreshHashThenHeadMismatch() throws Exception {
        try (TestServer s = seeded()) {
            long head = headSeq(s, "admin");
            AuditEvent last = eventAt(s, AuditChain.ADMIN, head);
            AuditEvent before = eventAt(s, AuditChain.ADMIN, head - 1);
            AuditEvent forged = new AuditEvent(null, last.time(), last.action(), last.actorTokenId(),
                    last.actorPrincipal(), "someone-else", last.permission(), last.decision(), last.code(),
                    last.clientIp(), last.userAgent(), last.detail(), last.requestIp());
            // Whoever knows the format can re-hash the row; only the head, which they left alone, gives it away.
            String hash = new ChainHash().next(before.hash(), AuditChain.ADMIN, head, forged);
            execute(s, "UPDATE audit_events SET target = 'someone-else', hash = ? WHERE id = ?", hash, last.id());

            JsonNode broken = broken(verify(s), "admin");

            assertThat(broken.get("problem").asText()).isEqualTo("head_mismatch");
            assertThat(broken.get("seq").asLong()).isEqualTo(head);
        }
    }

    @Test
    void verifyWhenAnEventIsInsertedBeyondTheHeadThenBeyondHead() throws Exception {
        try (TestServer s = seeded()) {
            long head = headSeq(s, "admin");
            execute(s, "INSERT INTO audit_events (time, action, actor_principal, decision, code, chain, seq, hash) "
                    + "VALUES (0, 'role.create', 'admin', 'allow', 'OK', 'admin', ?, ?)", head + 1, "ab".repeat(32));

            JsonNode broken = broken(verify(s), "admin");

            assertThat(broken.get("problem").asText()).isEqualTo("beyond_head");
            assertThat(broken.get("seq").asLong()).isEqualTo(head + 1);
        }
    }

    @Test
    void verifyWhenAnEventOutsideEveryChainIsInsertedThenNotIntact() throws Exception {
        try (TestServer s = seeded()) {
            execute(s, "INSERT INTO audit_events (time, action, actor_principal, decision, code) "
                    + "VALUES (0, 'role.create', 'admin', 'allow', 'OK')");
            // In a chain, but where a walk from seq 1 never goes.
            execute(s, "INSERT INTO audit_events (time, action, actor_principal, decision, code, chain, seq, hash) "
                    + "VALUES (0, 'role.create', 'admin', 'allow', 'OK', 'admin', 0, ?)", "ab".repeat(32));
            execute(s, "INSERT INTO audit_events (time, action, actor_principal, decision, code, chain) "
                    + "VALUES (0, 'role.create', 'admin', 'allow', 'OK', 'admin')");

            JsonNode report = verify(s);

            assertThat(report.get("intact").asBoolean()).isFalse();
            assertThat(report.get("unchained_events").asLong()).isEqualTo(3);
            assertThat(chain(report, "admin").get("intact").asBoolean()).isTrue();
        }
    }

    // ---- several nodes -------------------------------------------------------------------------------------

    @Test
    void verifyWhenTwoNodesOnOneStoreWroteAdminAndVerifyEventsAtOnceThenBothChainsAreIntact() throws Exception {
        if (store == StoreKind.POSTGRESQL) {
            Postgres.requireAvailable();
        }
        try (TestServer s = TestServer.start(store);
             KeygateServer other = KeygateServer.start(s.storeConfig())) {
            JsonNode minted = s.principalWithToken(TestServer.unique("two-nodes"), "keygate.roles:write");
            String token = minted.get("token").asText();
            String prefix = TestServer.unique("two-nodes-role");
            List<java.util.concurrent.Callable<Integer>> work = new ArrayList<>();
            for (int node = 0; node < 2; node++) {
                java.net.URI base = node == 0 ? s.baseUri() : other.baseUri();
                for (int t = 0; t < 2; t++) {
                    String names = prefix + "-" + node + "-" + t;
                    work.add(() -> {
                        int created = 0;
                        for (int i = 0; i < 15; i++) {
                            if (post(base, "/v1/roles", token, "{\"name\":\"" + names + "-" + i
                                    + "\",\"permissions\":[\"a:read\"]}") == 201) {
                                created++;
                            }
                            post(base, "/v1/verify", null, "{\"token\":\"" + token + "\"}");
                        }
                        return created;
                    });
                }
            }

            List<Integer> created = Race.all(work);
            s.flushAudit();
            other.close(); // drains its writer

            assertThat(created).containsOnly(15);
            JsonNode report = verify(s);
            assertThat(report.get("intact").asBoolean()).as(report.toString()).isTrue();
            List<List<AuditEvent>> chains = ChainCheck.assertIntactFromGenesis(s);
            assertThat(chains.get(AuditChain.ADMIN.ordinal())).filteredOn(e -> e.target() != null
                    && e.target().startsWith(prefix)).hasSize(60);
            assertThat(chains.get(AuditChain.VERIFY.ordinal()).stream().filter(e -> minted.get("id").asText()
                .equals(e.target())).mapToInt(AuditEvent::count).sum()).isEqualTo(60);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** A server of its own (tampering breaks the store), holding 6 admin events and 3 verify events. */
    private TestServer seeded() {
        TestServer s = TestServer.start(store);
        JsonNode minted = s.principalWithToken("seeded", "s.items:read"); // principal, role, token: 3 + 3 bootstrap
        for (int i = 0; i < 3; i++) {
            s.verify(minted.get("token").asText(), "s.items:read");
            s.flushAudit(); // one batch each, so three events (in one batch: one event that happened 3 times)
        }
        return s;
    }

    static JsonNode verify(TestServer s) {
        return TestServer.expect(s.get("/v1/audit/verify", s.adminToken()), 200);
    }

    static JsonNode chain(JsonNode report, String name) {
        for (JsonNode c : report.get("chains")) {
            if (c.get("chain").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no chain " + name + " in " + report);
    }

    static JsonNode broken(JsonNode report, String name) {
        assertThat(report.get("intact").asBoolean()).as(report.toString()).isFalse();
        JsonNode c = chain(report, name);
        assertThat(c.get("intact").asBoolean()).isFalse();
        return c.get("broken");
    }

    static long idOf(TestServer s, String chain, long seq) throws SQLException {
        try (Connection c = connect(s); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM audit_events WHERE chain = ? AND seq = ?")) {
            ps.setString(1, chain);
            ps.setLong(2, seq);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("%s event %d exists", chain, seq).isTrue();
                return rs.getLong(1);
            }
        }
    }

    static long headSeq(TestServer s, String chain) {
        return s.count("SELECT seq FROM audit_heads WHERE chain = '" + chain + "'");
    }

    static AuditEvent eventAt(TestServer s, AuditChain chain, long seq) throws SQLException {
        try (Connection c = connect(s)) {
            c.setAutoCommit(false);
            List<AuditEvent> page = new JdbcAuditStore(s.kind() == StoreKind.POSTGRESQL
                    ? Dialect.POSTGRESQL : Dialect.SQLITE)
                    .chainPage(c, chain, seq - 1, 1);
            c.rollback();
            return page.getFirst();
        }
    }

    static void execute(TestServer s, String sql, Object... args) throws SQLException {
        try (Connection c = connect(s); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    /** Trades the rows' contents, and with {@code withPlace} their chain, seq and hash too. */
    static void swapRows(TestServer s, long a, long b, boolean withPlace) throws SQLException {
        List<String> columns = new ArrayList<>(List.of("time", "action", "actor_token_id", "actor_principal",
                "target", "permission", "decision", "code", "client_ip", "user_agent", "detail", "request_ip"));
        if (withPlace) {
            columns.addAll(List.of("chain", "seq", "hash"));
        }
        try (Connection c = connect(s)) {
            c.setAutoCommit(false);
            Map<String, Object> rowA = row(c, a, columns);
            Map<String, Object> rowB = row(c, b, columns);
            if (withPlace) {
                // Out of the unique (chain, seq) index's way first.
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE audit_events SET seq = -seq WHERE id IN (?, ?)")) {
                    ps.setLong(1, a);
                    ps.setLong(2, b);
                    ps.executeUpdate();
                }
            }
            write(c, a, columns, rowB);
            write(c, b, columns, rowA);
            c.commit();
        }
    }

    private static Map<String, Object> row(Connection c, long id, List<String> columns) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + String.join(", ", columns)
                + " FROM audit_events WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Map<String, Object> values = new java.util.HashMap<>();
                for (String column : columns) {
                    values.put(column, rs.getObject(column));
                }
                return values;
            }
        }
    }

    private static void write(Connection c, long id, List<String> columns, Map<String, Object> values)
            throws SQLException {
        StringBuilder sql = new StringBuilder("UPDATE audit_events SET ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(columns.get(i)).append(" = ?");
        }
        sql.append(" WHERE id = ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < columns.size(); i++) {
                ps.setObject(i + 1, values.get(columns.get(i)));
            }
            ps.setLong(columns.size() + 1, id);
            ps.executeUpdate();
        }
    }

    static Connection connect(TestServer s) throws SQLException {
        return s.kind() == StoreKind.POSTGRESQL ? DriverManager.getConnection(s.dbUrl(), Postgres.USER, null)
                : DriverManager.getConnection(s.dbUrl());
    }

    private static int post(java.net.URI base, String path, String token, String body) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();
}
