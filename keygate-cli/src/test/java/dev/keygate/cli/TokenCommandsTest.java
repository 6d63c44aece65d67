package dev.keygate.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static dev.keygate.cli.TestJson.json;
import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

class TokenCommandsTest {

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
    void tokenCreateWhenHumanModeThenPrintsOnlyTheSecretToStdout() {
        server.on("POST", "/v1/tokens", 201, Fixtures.TOKEN_CREATED);

        Cli.Result r = Cli.against(server).run("token", "create", "--principal", "billing-svc",
                "--role", "billing-reader", "--role", "audit-reader", "--name", "ci", "--env", "live", "--ttl", "24h");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo(Fixtures.SECRET + "\n");
        assertThat(r.err()).doesNotContain(Fixtures.SECRET)
                .contains("tok_4Jd8kq0AbCdEfGhIjKlM", "billing-svc", "2026-11-23T09:15:00Z", "shown only this once");
        assertThat(tree(server.lastRequest().body())).isEqualTo(json("{'principal': 'billing-svc', "
                + "'roles': ['billing-reader', 'audit-reader'], 'name': 'ci', 'environment': 'live', 'ttl': '24h'}"));
    }

    @Test
    void tokenCreateWhenJsonThenPrintsTheFullAnswerWithTheSecret() {
        server.on("POST", "/v1/tokens", 201, Fixtures.TOKEN_CREATED);

        Cli.Result r = Cli.against(server).run("token", "create", "--principal", "billing-svc", "--role", "r",
                "--expires-at", "2026-11-23T10:15:00+01:00", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(tree(Fixtures.TOKEN_CREATED));
        assertThat(r.err()).isEmpty();
        assertThat(tree(server.lastRequest().body())).isEqualTo(json(
                "{'principal': 'billing-svc', 'roles': ['r'], 'expires_at': '2026-11-23T09:15:00Z'}"));
    }

    @Test
    void tokenCreateWhenTtlAndExpiresAtBothGivenThenExits2() {
        Cli.Result r = Cli.against(server).run("token", "create", "--principal", "p", "--role", "r",
                "--ttl", "1h", "--expires-at", "2030-01-01T00:00:00Z");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("mutually exclusive");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void tokenCreateWhenTtlIsMalformedThenExits2WithTheRule() {
        Cli.Result r = Cli.against(server).run("token", "create", "--principal", "p", "--role", "r", "--ttl", "1 week");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'1 week' must be a positive whole number followed by s, m, h or d");
    }

    @Test
    void tokenCreateWhenCallerMayNotGrantTheRoleThenExits1AndPrintsNoSecret() {
        server.problem("POST", "/v1/tokens", 403, "{\"title\":\"Forbidden\",\"status\":403,\"code\":\"forbidden\","
                + "\"detail\":\"role 'admin' grants keygate.roles:write, which the caller lacks\"}");

        Cli.Result r = Cli.against(server).run("token", "create", "--principal", "p", "--role", "admin");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("keygate: 403 Forbidden: role 'admin' grants keygate.roles:write");
    }

    @Test
    void tokenListWhenTokensThenPrintsTheColumns() {
        server.on("GET", "/v1/tokens", 200, "{\"items\":[" + Fixtures.TOKEN + "]}");

        Cli.Result r = Cli.against(server).run("token", "list");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                ID                        PRINCIPAL    ROLES           ENV   STATUS  EXPIRES               NAME
                tok_4Jd8kq0AbCdEfGhIjKlM  billing-svc  billing-reader  live  active  2026-11-23T09:15:00Z  ci
                """);
    }

    @Test
    void tokenListWhenFiltersThenSendsThemInTheQuery() {
        server.on("GET", "/v1/tokens", 200, "{\"items\":[]}");

        Cli.Result r = Cli.against(server).run("token", "list", "--principal", "billing-svc", "--status", "revoked",
                "--limit", "500", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(server.lastRequest().rawQuery()).isEqualTo("principal=billing-svc&status=revoked&limit=500");
        assertThat(tree(r.out())).isEqualTo(json("{'items': []}"));
    }

    @Test
    void tokenListWhenStatusIsUnknownThenExits2() {
        Cli.Result r = Cli.against(server).run("token", "list", "--status", "dead");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'dead' is not one of active, expired, revoked");
    }

    @Test
    void tokenRevokeWhenReasonThenPostsItAndShowsTheRevokedToken() {
        server.on("POST", "/v1/tokens/tok_4Jd8kq0AbCdEfGhIjKlM/revoke", 200, Fixtures.TOKEN
                .replace("\"active\"", "\"revoked\"")
                .replace("}", ",\"revoked_at\":\"2026-11-22T12:00:00Z\",\"revoked_by\":\"tok_admin0000000000000\","
                        + "\"revoke_reason\":\"leaked\"}"));

        Cli.Result r = Cli.against(server).run("token", "revoke", "tok_4Jd8kq0AbCdEfGhIjKlM", "--reason", "leaked");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(server.lastRequest().body())).isEqualTo(json("{'reason': 'leaked'}"));
        assertThat(r.out()).contains("status       revoked", "revoked      2026-11-22T12:00:00Z", "reason       leaked");
    }

    @Test
    void tokenRevokeWhenGivenASecretInsteadOfAnIdThenExits2WithoutSendingOrEchoingIt() {
        Cli.Result r = Cli.against(server).run("token", "revoke", Fixtures.SECRET);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("token secret, not a token id").doesNotContain(Fixtures.SECRET);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void tokenShowWhenJsonThenPrintsTheToken() {
        server.on("GET", "/v1/tokens/tok_4Jd8kq0AbCdEfGhIjKlM", 200, Fixtures.TOKEN);

        Cli.Result r = Cli.against(server).run("token", "show", "tok_4Jd8kq0AbCdEfGhIjKlM", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(tree(Fixtures.TOKEN));
    }
}
