package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.Postgres;
import dev.keygate.server.testing.StoreKind;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keygate audit verify} against a real server: exit 0 when the log is intact, 4 when it was tampered with. */
class AuditVerifyCommandTest extends CliEndToEndTest {

    @Test
    void auditVerifyWhenLogIntactThenPrintsEachChainAndExits0() {
        server.verify(server.principalWithToken(unique("averify-ok"), "a.b:read").get("token").asText(), "a.b:read");
        server.flushAudit();

        Cli.Result r = cli().run("audit", "verify");

        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().toList()).hasSize(3);
        assertThat(r.out()).containsPattern("(?m)^admin: intact, \\d+ events checked \\(seq 1 to (\\d+)\\), "
                + "head at seq \\d+$");
        assertThat(r.out()).containsPattern("(?m)^verify: intact, \\d+ events? checked \\(seq 1 to \\d+\\), "
                + "head at seq \\d+$");
        assertThat(r.out()).endsWith("The audit log is intact.\n");
    }

    @Test
    void auditVerifyWhenAnEventWasDeletedThenShowsTheFirstBrokenLinkAndExits4() throws SQLException {
        try (TestServer s = TestServer.start(store)) {
            s.createRole(unique("averify-r1"), "a:read");
            s.createRole(unique("averify-r2"), "a:read");
            sql(s, "DELETE FROM audit_events WHERE chain = 'admin' AND seq = 4");
            Cli cli = Cli.against(s);

            Cli.Result human = cli.run("audit", "verify");
            Cli.Result json = cli.run("audit", "verify", "--json");

            assertThat(human.exitCode()).isEqualTo(4);
            assertThat(human.out()).contains("admin: BROKEN at seq 4: events were deleted (seq_gap): event 4 is "
                    + "missing; 3 events checked (seq 1 to 3), head at seq 5\n");
            assertThat(human.out()).endsWith("The audit log is NOT intact.\n");
            assertThat(json.exitCode()).isEqualTo(4);
            JsonNode report = tree(json.out());
            assertThat(report.get("intact").asBoolean()).isFalse();
            JsonNode admin = report.get("chains").get(0);
            assertThat(admin.get("chain").asText()).isEqualTo("admin");
            assertThat(admin.get("broken").get("problem").asText()).isEqualTo("seq_gap");
            assertThat(admin.get("broken").get("seq").asLong()).isEqualTo(4);
        }
    }

    @Test
    void auditVerifyWhenCallerLacksAuditReadThenExits1() {
        String token = server.principalWithToken(unique("averify-noperm"), "keygate.roles:read").get("token").asText();

        Cli.Result r = cliAs(token).run("audit", "verify");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("keygate.audit:read");
    }

    private static void sql(TestServer s, String sql) throws SQLException {
        try (Connection c = s.kind() == StoreKind.POSTGRESQL
                ? DriverManager.getConnection(s.dbUrl(), Postgres.USER, null) : DriverManager.getConnection(s.dbUrl());
             Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }
}
