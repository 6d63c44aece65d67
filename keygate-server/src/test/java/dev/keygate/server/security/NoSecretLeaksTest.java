package dev.keygate.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.LogCapture;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full scenario (bootstrap, roles, principals, tokens, verifications of every outcome, bad requests,
 * revocation, audit reads, restart) with every log line captured: no minted secret may appear in the logs,
 * in any response but its creation, or anywhere in the store.
 */
class NoSecretLeaksTest extends EndToEndTest {

    @Test
    void fullScenarioWhenLoggedThenNoSecretAppearsInLogsResponsesOrStore() throws SQLException {
        List<String> secrets = new ArrayList<>();
        StringBuilder responses = new StringBuilder();
        try (LogCapture logs = LogCapture.attach(); TestServer s = TestServer.start(store)) {
            secrets.add(s.adminToken());
            s.createRole("leak-reader", "leak.items:read");
            s.createPrincipal("leak-svc", "service");
            JsonNode live = s.mint("leak-svc", List.of("leak-reader"), Map.of("name", "live one"));
            JsonNode staging = s.mint("leak-svc", List.of("leak-reader"), Map.of("environment", "staging"));
            JsonNode doomed = s.mint("leak-svc", List.of("leak-reader"), Map.of("ttl", "1h"));
            for (JsonNode created : List.of(live, staging, doomed)) {
                secrets.add(created.get("token").asText());
            }
            String liveSecret = live.get("token").asText();
            String doomedSecret = doomed.get("token").asText();

            responses.append(s.verify(liveSecret, "leak.items:read"));
            responses.append(s.verify(liveSecret, "leak.items:write"));
            responses.append(s.post("/v1/verify", null, Map.of("token", liveSecret, "environment", "test")).text());
            responses.append(s.post("/v1/verify", null, Map.of("token", liveSecret, "permission", "bad")).text());
            responses.append(s.verify(liveSecret.substring(0, liveSecret.length() - 1) + "x", null));
            responses.append(s.post("/v1/tokens/" + doomed.get("id").asText() + "/revoke", s.adminToken(),
                    Map.of("reason", "leak test")).text());
            responses.append(s.verify(doomedSecret, null));
            // Rotation: the successor's secret is shown once, to the rotating caller, and never again.
            JsonNode rotating = s.mint("leak-svc", List.of("leak-reader"), Map.of("max_uses", 5,
                    "allowed_cidrs", List.of("10.0.0.0/8")));
            secrets.add(rotating.get("token").asText());
            JsonNode successor = TestServer.expect(s.post("/v1/tokens/" + rotating.get("id").asText() + "/rotate",
                    s.adminToken(), Map.of("grace", "1m")), 201);
            secrets.add(successor.get("token").asText());
            responses.append(s.post("/v1/verify", null, Map.of("token", successor.get("token").asText(),
                    "context", Map.of("ip", "192.0.2.1"))).text());
            responses.append(s.post("/v1/verify", null, Map.of("token", rotating.get("token").asText(),
                    "context", Map.of("ip", successor.get("token").asText()))).text());
            responses.append(s.post("/v1/principals/leak-svc/disable", s.adminToken(), Map.of()).text());
            // Revoked and wrong credentials on admin routes, and a token pasted into the wrong field.
            responses.append(s.get("/v1/tokens", doomedSecret).text());
            responses.append(s.get("/v1/tokens", liveSecret).text());
            responses.append(s.post("/v1/roles", s.adminToken(),
                    Map.of("name", liveSecret, "permissions", List.of("a:b"))).text());
            responses.append(s.post("/v1/principals", s.adminToken(),
                    Map.of("name", "x", "kind", liveSecret)).text());
            responses.append(s.get("/v1/tokens", s.adminToken()).text());
            responses.append(s.get("/v1/tokens/" + live.get("id").asText(), s.adminToken()).text());
            s.flushAudit();
            responses.append(s.get("/v1/audit?limit=1000", s.adminToken()).text());
            s.restart();
            responses.append(s.verify(liveSecret, "leak.items:read"));

            String storeText = dumpStore(s.dbUrl());
            String logText = logs.text();
            assertThat(logText).as("the scenario logged something").isNotEmpty();
            for (String secret : secrets) {
                assertThat(logText).doesNotContain(secret);
                assertThat(responses.toString()).doesNotContain(secret);
                assertThat(storeText).doesNotContain(secret);
                // Not even a large piece of the random part.
                assertThat(storeText).doesNotContain(secret.substring(secret.length() - 30));
            }
            assertThat(storeText).as("the store holds the hashes and the audit trail").contains("token.revoke");
        }
    }

    /**
     * Regression: a secret pasted where an id, a name or a permission belongs was quoted back in the problem
     * document ({@code token 'kg_live_…' does not exist}, {@code invalid permission 'kg_live_…'}), where proxies and
     * clients log it.
     */
    @Test
    void problemWhenASecretIsSentWhereAnIdNameOrPermissionBelongsThenItIsNotQuotedBack() {
        String secret = server.principalWithToken(unique(), "leak.items:read").get("token").asText();
        String admin = server.adminToken();

        List<TestServer.Response> problems = List.of(
                server.get("/v1/tokens/" + secret, admin),
                server.post("/v1/tokens/" + secret + "/revoke", admin, Map.of()),
                server.get("/v1/roles/" + secret, admin),
                server.put("/v1/roles/" + secret, admin, Map.of("permissions", List.of("a:read"))),
                server.delete("/v1/roles/" + secret, admin),
                server.get("/v1/principals/" + secret, admin),
                server.post("/v1/roles", admin, Map.of("name", "leak-pasted", "permissions", List.of(secret))),
                server.post("/v1/verify", null, Map.of("token", secret, "permission", secret)),
                server.post("/v1/verify", null, Map.of(secret, "unknown field")));

        for (TestServer.Response r : problems) {
            assertThat(r.status()).as(r.text()).isIn(400, 404);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.text()).doesNotContain(secret).doesNotContain(secret.substring(secret.length() - 30));
        }
        assertThat(problems.getFirst().json().get("detail").asText()).isEqualTo("token 'kg_***' does not exist");
    }

    private static String unique() {
        return "leak-pasted-" + System.nanoTime();
    }

    /** Every value of every table of the store, as text. */
    private static String dumpStore(String url) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Connection c = url.startsWith("jdbc:postgresql:")
                ? DriverManager.getConnection(url, "postgres", null) : DriverManager.getConnection(url);
             Statement st = c.createStatement()) {
            for (String table : List.of("roles", "principals", "tokens", "token_roles", "audit_events")) {
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
}
