package dev.keygate.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static dev.keygate.cli.TestJson.json;
import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

class VerifyCommandTest {

    FakeKeygate server;

    @BeforeEach
    void start() throws IOException {
        server = FakeKeygate.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Verify needs no admin token: only the URL. */
    private Cli cli() {
        return Cli.bare().env("KEYGATE_URL", server.baseUri().toString());
    }

    @Test
    void verifyWhenTokenOnStdinThenSendsTheFirstLineTrimmedAndExits0() {
        server.on("POST", "/v1/verify", 200, Fixtures.VALID);

        Cli.Result r = cli().stdin("  " + Fixtures.SECRET + "  \nsecond line\n")
                .run("verify", "--permission", "billing.invoices:read", "--env", "live");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(server.lastRequest().body())).isEqualTo(json("{'token': '" + Fixtures.SECRET + "', "
                + "'permission': 'billing.invoices:read', 'environment': 'live'}"));
        assertThat(server.lastRequest().header("Authorization")).isNull();
        assertThat(r.out()).isEqualTo("""
                allowed      true
                valid        true
                code         VALID
                token id     tok_1
                principal    billing-svc
                roles        billing-reader
                permissions  billing.invoices:read
                environment  live
                expires      2026-11-23T09:15:00Z
                """);
        assertThat(r.out() + r.err()).doesNotContain(Fixtures.SECRET);
    }

    @Test
    void verifyWhenKeygateVerifyTokenIsSetThenUsesItAndIgnoresStdin() {
        server.on("POST", "/v1/verify", 200, Fixtures.VALID);

        Cli.Result r = cli().env("KEYGATE_VERIFY_TOKEN", Fixtures.SECRET).stdin("kg_live_other\n").run("verify");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(server.lastRequest().body())).isEqualTo(json("{'token': '" + Fixtures.SECRET + "'}"));
    }

    @Test
    void verifyWhenPermissionIsNotGrantedThenExits3AndPrintsTheCode() {
        server.on("POST", "/v1/verify", 200, Fixtures.FORBIDDEN);

        Cli.Result r = cli().stdin(Fixtures.SECRET).run("verify", "--permission", "billing.invoices:write");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).contains("allowed      false", "code         FORBIDDEN");
    }

    @Test
    void verifyWhenTokenIsUnknownAndJsonThenPrintsTheServersJsonAndExits3() {
        server.on("POST", "/v1/verify", 200, Fixtures.NOT_FOUND);

        Cli.Result r = cli().stdin(Fixtures.SECRET + "\n").run("verify", "--json");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(tree(r.out())).isEqualTo(tree(Fixtures.NOT_FOUND));
    }

    @Test
    void verifyWhenValidJsonThenPrintsEveryField() {
        server.on("POST", "/v1/verify", 200, Fixtures.VALID);

        Cli.Result r = cli().stdin(Fixtures.SECRET).run("verify", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(tree(Fixtures.VALID));
    }

    @Test
    void verifyWhenNoTokenAnywhereThenExplainsAndExits1() {
        Cli.Result r = cli().stdin("").run("verify");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no token to verify", "KEYGATE_VERIFY_TOKEN");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void verifyWhenTokenGivenAsAnArgumentThenRefusesItWithoutEchoingItAndExits2() {
        Cli.Result r = cli().run("verify", Fixtures.SECRET);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).doesNotContain(Fixtures.SECRET).contains("kg_***");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void verifyWhenTokenGivenAsAnOptionThenExits2() {
        Cli.Result r = cli().run("verify", "--token", Fixtures.SECRET);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).doesNotContain(Fixtures.SECRET);
    }

    @Test
    void verifyWhenPermissionIsMalformedThenPrintsTheServersProblemAndExits1() {
        server.problem("POST", "/v1/verify", 400, Fixtures.VALIDATION_PROBLEM.replace("permissions[0]", "permission"));

        Cli.Result r = cli().stdin(Fixtures.SECRET).run("verify", "--permission", "billing:");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("keygate: 400 Invalid request", "  permission: action must not be empty");
    }
}
