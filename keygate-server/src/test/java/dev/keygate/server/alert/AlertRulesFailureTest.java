package dev.keygate.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.LogCapture;
import dev.keygate.server.testing.Postgres;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static dev.keygate.server.alert.AlertTesting.verifyTimes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules share the audit writer's transaction: when their part fails, only their writes are undone, and the
 * batch's verify events are still written. The failure is real: a table the rules write to is dropped from the
 * store of a server of this test's own.
 */
class AlertRulesFailureTest extends EndToEndTest {

    private static void execute(TestServer s, String sql) {
        String url = s.dbUrl();
        try (Connection c = url.startsWith("jdbc:postgresql:") ? DriverManager.getConnection(url, Postgres.USER, null)
                : DriverManager.getConnection(url);
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Test
    void rulesWhenTheirStoreWritesFailThenTheVerifyEventsAreWrittenAnywayAndTheFailureIsLogged() {
        try (LogCapture logs = LogCapture.attach(); TestServer s = TestServer.start(store)) {
            JsonNode token = s.principalWithToken(TestServer.unique("alr-broken"), "alerts.broken:read");
            String id = token.get("id").asText();
            TestServer.expect(s.post("/v1/tokens/" + id + "/revoke", s.adminToken(), Map.of()), 200);
            execute(s, "DROP TABLE alert_suppressions");

            verifyTimes(s, 1, token.get("token").asText(), null, "192.0.2.77");

            JsonNode events = TestServer.expect(s.get("/v1/audit?action=verify&token_id=" + id, s.adminToken()), 200)
                    .get("items");
            assertThat(events).singleElement()
                    .satisfies(e -> assertThat(e.get("code").asText()).isEqualTo("REVOKED"));
            assertThat(s.server().auditWriter().dropped()).isZero();
            assertThat(AlertTesting.alertsOfToken(s, id)).isEmpty();
            assertThat(logs.text()).contains("alert rules failed on a batch of 1 verify events; its alerts are lost");
        }
    }
}
