package dev.keygate.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

class AuditCommandTest {

    static final String EVENT = "{\"id\":42,\"time\":\"2026-11-22T09:15:00.123Z\",\"action\":\"token.revoke\","
            + "\"actor_token_id\":\"tok_a\",\"actor_principal\":\"admin\",\"target\":\"tok_1\","
            + "\"permission\":\"keygate.tokens:revoke\",\"decision\":\"allow\",\"code\":\"OK\","
            + "\"client_ip\":\"127.0.0.1\",\"user_agent\":\"keygate-client/0.1.0-SNAPSHOT\",\"detail\":\"leaked\"}";

    FakeKeygate server;

    @BeforeEach
    void start() throws IOException {
        server = FakeKeygate.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void auditWhenNextCursorThenPrintsTheTableAndTheCursorToStderr() {
        server.on("GET", "/v1/audit", 200, "{\"items\":[" + EVENT + "],\"next_cursor\":\"abc123\"}");

        Cli.Result r = Cli.against(server).run("audit");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                ID  TIME                  ACTION        TOKEN  PRINCIPAL  TARGET  PERMISSION             DECISION  CODE  DETAIL
                42  2026-11-22T09:15:00Z  token.revoke  tok_a  admin      tok_1   keygate.tokens:revoke  allow     OK    leaked
                """);
        assertThat(r.err()).isEqualTo("next page: --cursor abc123\n");
    }

    @Test
    void auditWhenLastPageThenPrintsNoCursor() {
        server.on("GET", "/v1/audit", 200, "{\"items\":[],\"next_cursor\":null}");

        Cli.Result r = Cli.against(server).run("audit");

        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void auditWhenFiltersThenSendsEachInTheQuery() {
        server.on("GET", "/v1/audit", 200, "{\"items\":[],\"next_cursor\":null}");

        Cli.Result r = Cli.against(server).run("audit", "--token-id", "tok_a", "--principal", "admin",
                "--action", "verify", "--since", "2026-11-22T00:00:00Z", "--limit", "50", "--cursor", "abc");

        assertThat(r.exitCode()).isZero();
        assertThat(server.lastRequest().rawQuery()).isEqualTo(
                "token_id=tok_a&principal=admin&action=verify&since=2026-11-22T00%3A00%3A00Z&limit=50&cursor=abc");
    }

    @Test
    void auditWhenJsonThenPrintsItemsAndNextCursorEvenWhenNull() {
        server.on("GET", "/v1/audit", 200, "{\"items\":[" + EVENT + "],\"next_cursor\":null}");

        Cli.Result r = Cli.against(server).run("audit", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(tree("{\"items\":[" + EVENT + "],\"next_cursor\":null}"));
    }

    @Test
    void auditWhenSinceIsNotATimeThenExits2() {
        Cli.Result r = Cli.against(server).run("audit", "--since", "yesterday");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'yesterday' is not an RFC 3339 time");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void auditWhenLimitIsOutOfRangeThenExits2() {
        Cli.Result r = Cli.against(server).run("audit", "--limit", "5000");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--limit must be between 1 and 1000");
        assertThat(server.requests()).isEmpty();
    }
}
