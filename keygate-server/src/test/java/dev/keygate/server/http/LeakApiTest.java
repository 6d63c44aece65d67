package dev.keygate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.server.alert.Alert;
import dev.keygate.server.alert.AlertSink;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.LogCapture;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/leaks}: strings reported as found in public, in GitHub's secret-scanning partner format. A real
 * token is revoked with its descendants, reason {@code leaked}, a {@code token.leaked} event and an alert raised in
 * the same transaction; the answer is the same whatever was reported.
 */
class LeakApiTest extends EndToEndTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void reportWhenTokenIsLiveThenItAndItsDescendantsAreRevokedAsLeakedAuditedAndAlerted() {
        RecordingSink alerts = new RecordingSink();
        try (TestServer s = TestServer.start(store, b -> { }, alerts)) {
            JsonNode parent = mintWith(s, "leak-parent", "orders.items:read", "keygate.tokens:create");
            String childRole = s.newRole("leak-child", "orders.items:read");
            JsonNode child = TestServer.expect(s.post("/v1/tokens", parent.get("token").asText(), Map.of(
                    "principal", parent.get("principal").asText(), "roles", List.of(childRole), "child", true)), 201);
            String reporter = reporter(s);

            TestServer.Response r = s.post("/v1/leaks", reporter, List.of(Map.of(
                    "token", parent.get("token").asText(), "type", "keygate_api_token",
                    "url", "https://github.com/octo/repo/blob/0123abc/config.yml", "source", "content")));

            assertThat(r.status()).as(r.text()).isEqualTo(202);
            assertThat(r.json()).isEqualTo(TestJson.parse("{\"received\": 1}"));
            for (JsonNode t : List.of(parent, child)) {
                assertThat(s.verify(t.get("token").asText(), null).get("code").asText()).isEqualTo("REVOKED");
                JsonNode stored = TestServer.expect(s.get("/v1/tokens/" + id(t), s.adminToken()), 200);
                assertThat(stored.get("revoke_reason").asText()).isEqualTo("leaked");
                assertThat(stored.get("revoked_by").asText()).isEqualTo(s.verify(reporter, null).get("token_id")
                        .asText());
            }
            JsonNode leaked = events(s, id(parent), "token.leaked");
            assertThat(leaked).hasSize(1);
            assertThat(leaked.get(0).get("permission").asText()).isEqualTo("keygate.leaks:report");
            assertThat(leaked.get(0).get("detail").asText()).isEqualTo("type=keygate_api_token source=content "
                    + "url=https://github.com/octo/repo/blob/0123abc/config.yml revoked=2");
            assertThat(events(s, id(parent), "token.revoke").get(0).get("detail").asText()).isEqualTo("reason=leaked");
            JsonNode childEvent = events(s, id(child), "token.revoke").get(0);
            assertThat(childEvent.get("detail").asText()).isEqualTo("ancestor=" + id(parent) + " reason=leaked");
            assertThat(childEvent.get("permission").asText()).isEqualTo("keygate.leaks:report");

            assertThat(alerts.raised).hasSize(1);
            RecordingSink.Raised alert = alerts.raised.getFirst();
            assertThat(alert.alert().rule()).isEqualTo(Alert.TOKEN_LEAKED);
            assertThat(alert.alert().tokenId()).isEqualTo(id(parent));
            assertThat(alert.alert().principal()).isEqualTo(parent.get("principal").asText());
            assertThat(alert.alert().detail()).contains("reported leaked").contains("source=content")
                    .contains("revoked it and 1 more").doesNotContain(parent.get("token").asText());
            assertThat(alert.revokeReasonSeen()).as("raised in the revoking transaction").isEqualTo("leaked");
            assertThat(alert.leakEventsSeen()).as("raised in the transaction holding the event").isEqualTo(1);
        }
    }

    @Test
    void reportWhenAnythingIsReportedThenTheAnswerIsTheSameWhetherOrNotItIsALiveToken() {
        String live = minted("leak-same-live").get("token").asText();
        JsonNode revokedToken = minted("leak-same-revoked");
        TestServer.expect(server.post("/v1/tokens/" + id(revokedToken) + "/revoke", server.adminToken(),
                Map.of("reason", "rotated by hand")), 200);
        String unknown = TokenFormat.mint("live", RANDOM);
        String badChecksum = live.substring(0, live.length() - 1) + (live.endsWith("A") ? "B" : "A");
        String reporter = reporter(server);
        List<String> reported = List.of(live, revokedToken.get("token").asText(), unknown, badChecksum,
                "kg_live_short", "ghp_not-ours", "\u00e9\u0000 no token at all");

        List<TestServer.Response> answers = new ArrayList<>();
        for (String text : reported) {
            answers.add(server.post("/v1/leaks", reporter, List.of(Map.of("token", text, "type", "keygate_api_token",
                    "url", "https://github.com/o/r/blob/abc/f.txt", "source", "commit"))));
        }

        for (TestServer.Response r : answers) {
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            assertThat(r.text()).isEqualTo("{\"received\":1}");
            assertThat(r.header("Content-Type")).isEqualTo(answers.getFirst().header("Content-Type"));
            assertThat(r.headers().keySet()).isEqualTo(answers.getFirst().headers().keySet());
        }
        assertThat(server.verify(live, null).get("code").asText()).isEqualTo("REVOKED");
        JsonNode already = TestServer.expect(server.get("/v1/tokens/" + id(revokedToken), server.adminToken()), 200);
        assertThat(already.get("revoke_reason").asText()).as("the first revocation stands")
                .isEqualTo("rotated by hand");
        assertThat(events(server, id(revokedToken), "token.leaked")).as("a leak of a dead token is still recorded")
                .hasSize(1);
        assertThat(events(server, id(revokedToken), "token.revoke")).as("no second revocation").hasSize(1);
        TestServer.Response batch = server.post("/v1/leaks", reporter, reported.stream()
                .map(t -> Map.of("token", t, "type", "keygate_api_token")).toList());
        assertThat(batch.status()).isEqualTo(202);
        assertThat(batch.text()).isEqualTo("{\"received\":" + reported.size() + "}");
    }

    @Test
    void reportWhenOneTokenIsReportedSeveralTimesInOneCallThenItIsHandledOnce() {
        RecordingSink alerts = new RecordingSink();
        try (TestServer s = TestServer.start(store, b -> { }, alerts)) {
            JsonNode t = mintWith(s, "leak-twice", "orders.items:read");
            String secret = t.get("token").asText();

            TestServer.Response r = s.post("/v1/leaks", reporter(s), List.of(
                    Map.of("token", secret, "type", "keygate_api_token", "url", "https://github.com/o/r/blob/a/x"),
                    Map.of("token", secret, "type", "keygate_api_token", "url", "https://github.com/o/r/blob/b/y")));

            assertThat(r.text()).isEqualTo("{\"received\":2}");
            JsonNode leaked = events(s, id(t), "token.leaked");
            assertThat(leaked).hasSize(1);
            assertThat(leaked.get(0).get("detail").asText())
                    .isEqualTo("type=keygate_api_token url=https://github.com/o/r/blob/a/x reports=2 revoked=1");
            assertThat(alerts.raised).hasSize(1);
        }
    }

    /** As a revocation by id: a reported successor ends its rotation line, the predecessor in its grace included. */
    @Test
    void reportWhenTokenIsASuccessorThenItsPredecessorInGraceIsRevokedToo() {
        JsonNode old = minted("leak-rotated");
        JsonNode successor = TestServer.expect(server.post("/v1/tokens/" + id(old) + "/rotate", server.adminToken(),
                Map.of("grace", "1h")), 201);

        TestServer.Response r = server.post("/v1/leaks", reporter(server), List.of(Map.of(
                "token", successor.get("token").asText(), "type", "keygate_api_token")));

        assertThat(r.status()).isEqualTo(202);
        assertThat(server.verify(successor.get("token").asText(), null).get("code").asText()).isEqualTo("REVOKED");
        assertThat(server.verify(old.get("token").asText(), null).get("code").asText()).isEqualTo("REVOKED");
        assertThat(events(server, id(old), "token.revoke").get(0).get("detail").asText())
                .isEqualTo("reason=leaked");
        assertThat(events(server, id(successor), "token.leaked").get(0).get("detail").asText())
                .endsWith(" revoked=2");
    }

    /** Fail closed: an alert that cannot be raised undoes the revocation, and the reporter is told to retry. */
    @Test
    void reportWhenTheAlertCannotBeRaisedThenNothingIsRevokedAndTheAnswerIs503() {
        RecordingSink alerts = new RecordingSink();
        try (TestServer s = TestServer.start(store, b -> { }, alerts)) {
            JsonNode t = mintWith(s, "leak-alert-down", "orders.items:read");
            String secret = t.get("token").asText();
            String reporter = reporter(s);
            List<Map<String, String>> body = List.of(Map.of("token", secret, "type", "keygate_api_token"));
            alerts.failing = true;

            TestServer.Response failed = s.post("/v1/leaks", reporter, body);

            assertThat(failed.status()).as(failed.text()).isEqualTo(503);
            assertThat(failed.text()).doesNotContain(secret);
            assertThat(s.verify(secret, null).get("code").asText()).isEqualTo("VALID");
            assertThat(events(s, id(t), "token.leaked")).isEmpty();
            assertThat(events(s, id(t), "token.revoke")).isEmpty();

            alerts.failing = false;
            assertThat(s.post("/v1/leaks", reporter, body).status()).isEqualTo(202);
            assertThat(s.verify(secret, null).get("code").asText()).isEqualTo("REVOKED");
        }
    }

    @Test
    void reportWhenBodyIsInvalidThen400NamingTheFieldAndNothingIsRevoked() {
        String live = minted("leak-invalid").get("token").asText();
        String reporter = reporter(server);
        Map<String, Object> good = Map.of("token", live, "type", "keygate_api_token");

        assertField(server.post("/v1/leaks", reporter, Map.of("token", live, "type", "t")), "body");
        assertField(server.post("/v1/leaks", reporter, List.of()), "body");
        assertField(server.post("/v1/leaks", reporter, Collections.nCopies(101, Map.of("token", "x", "type", "t"))),
                "body");
        assertField(server.post("/v1/leaks", reporter, List.of(good, with(good, "extra", "x"))), "[1].extra");
        assertField(server.post("/v1/leaks", reporter, List.of(good, Map.of("type", "t"))), "[1].token");
        assertField(server.post("/v1/leaks", reporter, List.of(good, Map.of("token", "", "type", "t"))), "[1].token");
        assertField(server.post("/v1/leaks", reporter, List.of(good, Map.of("token", "x".repeat(513), "type", "t"))),
                "[1].token");
        assertField(server.post("/v1/leaks", reporter, List.of(good, Map.of("token", 12, "type", "t"))), "[1].token");
        assertField(server.post("/v1/leaks", reporter, List.of(good, Map.of("token", "x"))), "[1].type");
        assertField(server.post("/v1/leaks", reporter, List.of(good, with(good, "type", "t".repeat(101)))),
                "[1].type");
        assertField(server.post("/v1/leaks", reporter, List.of(good, with(good, "url", "u".repeat(2049)))),
                "[1].url");
        assertField(server.post("/v1/leaks", reporter, List.of(good, with(good, "source", "s".repeat(101)))),
                "[1].source");
        assertField(server.send("POST", "/v1/leaks", reporter, "[" + TestJson.write(good) + ", null]",
                "application/json"), "[1]");
        TestServer.Response malformed = server.send("POST", "/v1/leaks", reporter, "[{\"token\": ", "application/json");
        assertField(server.send("POST", "/v1/leaks", reporter, "null", "application/json"), "body");
        TestServer.Response text = server.send("POST", "/v1/leaks", reporter, "[]", "text/plain");

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("code").asText()).isEqualTo("malformed_json");
        assertThat(text.status()).isEqualTo(415);
        assertThat(server.verify(live, null).get("code").asText()).as("no half-done batch").isEqualTo("VALID");
    }

    @Test
    void reportWhenCallerLacksLeaksReportThen403AndWithoutATokenThen401() {
        JsonNode t = minted("leak-perm");
        String secret = t.get("token").asText();
        String reader = minted("leak-perm-reader", "keygate.tokens:read", "keygate.tokens:revoke").get("token")
                .asText();
        List<Map<String, String>> body = List.of(Map.of("token", secret, "type", "keygate_api_token"));

        TestServer.Response forbidden = server.post("/v1/leaks", reader, body);
        TestServer.Response anonymous = server.post("/v1/leaks", null, body);

        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("detail").asText()).contains("keygate.leaks:report");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(server.verify(secret, null).get("code").asText()).isEqualTo("VALID");
        assertThat(server.get("/v1/tokens", reporter(server)).status())
                .as("the reporter's token can do nothing else").isEqualTo(403);
    }

    @Test
    void reportWhenLoggedThenNoReportedStringAppearsInLogsResponsesOrStore() throws SQLException {
        try (LogCapture logs = LogCapture.attach(); TestServer s = TestServer.start(store)) {
            String live = mintWith(s, "leak-logs", "orders.items:read").get("token").asText();
            String unknown = TokenFormat.mint("live", RANDOM);
            String badChecksum = unknown.substring(0, unknown.length() - 1) + (unknown.endsWith("A") ? "B" : "A");
            String reporter = reporter(s);
            StringBuilder responses = new StringBuilder();
            for (String text : List.of(live, unknown, badChecksum)) {
                responses.append(s.post("/v1/leaks", reporter, List.of(Map.of("token", text,
                        "type", "keygate_api_token", "url", "https://example.com/?t=" + text))).text());
                responses.append(s.post("/v1/leaks", reporter, List.of(Map.of("token", text, "type", 1))).text());
                responses.append(s.post("/v1/leaks", reporter, List.of(Map.of("token", text, text, "x"))).text());
            }
            s.flushAudit();
            responses.append(s.get("/v1/audit?limit=1000", s.adminToken()).text());

            String storeText = dumpStore(s.dbUrl());
            assertThat(storeText).contains("token.leaked").contains("url=https://example.com/?t=kg_***");
            for (String secret : List.of(live, unknown, badChecksum)) {
                String random = secret.substring(secret.length() - 30);
                assertThat(logs.text()).doesNotContain(random);
                assertThat(responses.toString()).doesNotContain(random);
                assertThat(storeText).doesNotContain(random);
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /**
     * Records {@code token_leaked} alerts, and what the raising transaction had written when each was raised. The
     * server's observer also sees the alerts its rules raise (presenting a revoked token is one): those are not this
     * test's subject and are ignored.
     */
    static final class RecordingSink implements AlertSink {
        record Raised(Alert alert, String revokeReasonSeen, int leakEventsSeen) {
        }

        final List<Raised> raised = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public void raise(Connection c, Alert alert) throws SQLException {
            if (!Alert.TOKEN_LEAKED.equals(alert.rule())) {
                return;
            }
            if (failing) {
                throw new SQLException("the alert store is down (test)");
            }
            String reason;
            try (PreparedStatement ps = c.prepareStatement("SELECT revoke_reason FROM tokens WHERE id = ?")) {
                ps.setString(1, alert.tokenId());
                try (ResultSet rs = ps.executeQuery()) {
                    reason = rs.next() ? rs.getString(1) : null;
                }
            }
            int events;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM audit_events WHERE action = 'token.leaked' AND target = ?")) {
                ps.setString(1, alert.tokenId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    events = rs.getInt(1);
                }
            }
            raised.add(new Raised(alert, reason, events));
        }
    }

    /** A token holding only {@code keygate.leaks:report}, as a secret-scanning partner would get. */
    static String reporter(TestServer s) {
        String principal = s.newPrincipal("leak-reporter");
        String role = s.newRole("leak-reporter", "keygate.leaks:report");
        return s.mint(principal, List.of(role), Map.of()).get("token").asText();
    }

    private static JsonNode minted(String base, String... permissions) {
        return mintWith(server, base, permissions.length == 0 ? new String[] {"orders.items:read"} : permissions);
    }

    private static JsonNode mintWith(TestServer s, String base, String... permissions) {
        String principal = s.newPrincipal(base);
        return s.mint(principal, List.of(s.newRole(base, permissions)), Map.of());
    }

    private static String id(JsonNode token) {
        return token.get("id").asText();
    }

    private static JsonNode events(TestServer s, String tokenId, String action) {
        return TestServer.expect(s.get("/v1/audit?token_id=" + tokenId + "&action=" + action, s.adminToken()), 200)
                .get("items");
    }

    private static Map<String, Object> with(Map<String, Object> base, String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        copy.put(field, value);
        return copy;
    }

    private static void assertField(TestServer.Response r, String field) {
        RotationApiTest.assertValidationError(r, field);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    }

    /** Every value of the tokens and audit tables, as text. */
    private static String dumpStore(String url) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Connection c = url.startsWith("jdbc:postgresql:")
                ? DriverManager.getConnection(url, "postgres", null) : DriverManager.getConnection(url);
             Statement st = c.createStatement()) {
            for (String table : List.of("tokens", "audit_events")) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            sb.append(rs.getString(i)).append('|');
                        }
                        sb.append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    /** JSON helpers for bodies the harness cannot build from maps. */
    static final class TestJson {
        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                new com.fasterxml.jackson.databind.ObjectMapper();

        static JsonNode parse(String text) {
            try {
                return MAPPER.readTree(text);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        static String write(Object value) {
            try {
                return MAPPER.writeValueAsString(value);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
