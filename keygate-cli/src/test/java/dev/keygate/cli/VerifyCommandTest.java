package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.keygate.cli.TestJson.json;
import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keygate verify} against a real server: the token comes from stdin or the environment, never an argument. */
class VerifyCommandTest extends CliEndToEndTest {

    /** Verify needs no admin token: only the URL. */
    private static Cli verifier() {
        return Cli.bare().env("KEYGATE_URL", server.baseUri().toString());
    }

    @Test
    void verifyWhenTokenOnStdinThenVerifiesTheFirstLineTrimmedAndExits0() {
        Instant now = pinClock();
        JsonNode minted = server.principalWithToken("stdin-svc", "billing.invoices:read", "billing.refunds:read");
        String secret = minted.get("token").asText();

        Cli.Result r = verifier().stdin("  " + secret + "  \nsecond line\n")
                .run("verify", "--permission", "billing.invoices:read", "--env", "live");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                allowed      true
                valid        true
                code         VALID
                token id     %s
                principal    stdin-svc
                roles        stdin-svc-role
                permissions  billing.invoices:read, billing.refunds:read
                environment  live
                expires      %s
                """.formatted(minted.get("id").asText(), now.plus(Duration.ofHours(24))));
        assertThat(r.out() + r.err()).doesNotContain(secret);
    }

    @Test
    void verifyWhenKeygateVerifyTokenIsSetThenVerifiesItAndIgnoresStdin() {
        JsonNode fromEnv = server.principalWithToken("env-svc", "billing.invoices:read");
        String onStdin = server.principalWithToken("stdin-ignored-svc", "billing.invoices:read").get("token").asText();

        Cli.Result r = verifier().env("KEYGATE_VERIFY_TOKEN", fromEnv.get("token").asText()).stdin(onStdin + "\n")
                .run("verify", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out()).get("token_id").asText()).isEqualTo(fromEnv.get("id").asText());
    }

    @Test
    void verifyWhenPermissionIsNotGrantedThenExits3AndPrintsTheCode() {
        String secret = server.principalWithToken("reader-svc", "billing.invoices:read").get("token").asText();

        Cli.Result r = verifier().stdin(secret).run("verify", "--permission", "billing.invoices:write");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).contains("allowed      false\n", "valid        true\n", "code         FORBIDDEN\n",
                "principal    reader-svc\n");
    }

    @Test
    void verifyWhenValidAndJsonThenPrintsTheServersAnswer() {
        String secret = server.principalWithToken("json-svc", "billing.invoices:read").get("token").asText();

        Cli.Result r = verifier().stdin(secret).run("verify", "--permission", "billing.invoices:read", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(server.verify(secret, "billing.invoices:read"));
    }

    @Test
    void verifyWhenTokenIsUnknownAndJsonThenPrintsTheCodeAloneAndExits3() {
        Cli.Result r = verifier().stdin(Cli.ADMIN + "\n").run("verify", "--json");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(tree(r.out())).isEqualTo(json("{'valid': false, 'allowed': false, 'code': 'NOT_FOUND'}"));
    }

    @Test
    void verifyWhenTokenHasExpiredThenExits3WithExpired() {
        server.createPrincipal("short-lived-svc", "service");
        server.createRole("short-lived-role", "billing.invoices:read");
        String secret = server.mint("short-lived-svc", List.of("short-lived-role"), Map.of("ttl", "90s"))
                .get("token").asText();
        server.clock().advance(Duration.ofSeconds(91));

        Cli.Result r = verifier().stdin(secret).run("verify");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("""
                allowed  false
                valid    false
                code     EXPIRED
                """);
    }

    @Test
    void verifyWhenEnvironmentDiffersThenExits3WithEnvironmentMismatch() {
        server.createPrincipal("staging-svc", "service");
        server.createRole("staging-role", "billing.invoices:read");
        String secret = server.mint("staging-svc", List.of("staging-role"), Map.of("environment", "staging"))
                .get("token").asText();

        Cli.Result r = verifier().env("KEYGATE_VERIFY_TOKEN", secret).run("verify", "--env", "live");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).contains("code     ENVIRONMENT_MISMATCH\n");
    }

    @Test
    void verifyWhenPermissionIsMalformedThenPrintsTheServersProblemAndExits1() {
        String secret = server.principalWithToken("malformed-svc", "billing.invoices:read").get("token").asText();

        Cli.Result r = verifier().stdin(secret).run("verify", "--permission", "billing:");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("""
                keygate: 400 Invalid request: permission: invalid permission 'billing:': action must not be empty
                  permission: invalid permission 'billing:': action must not be empty
                """);
    }

    @Test
    void verifyWhenNoTokenAnywhereThenExplainsAndExits1WithoutCallingTheServer() {
        Cli.Result r = Cli.offline().stdin("").run("verify");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no token to verify", "KEYGATE_VERIFY_TOKEN").doesNotContain("cannot reach");
    }

    @Test
    void verifyWhenTokenGivenAsAnArgumentThenRefusesItWithoutEchoingItAndExits2() {
        Cli.Result r = Cli.offline().run("verify", Cli.ADMIN);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).doesNotContain(Cli.ADMIN).contains("kg_***").doesNotContain("cannot reach");
    }

    @Test
    void verifyWhenTokenGivenAsAnOptionThenExits2WithoutEchoingIt() {
        Cli.Result r = Cli.offline().run("verify", "--token", Cli.ADMIN);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).doesNotContain(Cli.ADMIN).doesNotContain("cannot reach");
    }

    @Test
    void verifyWhenResourceGivenAsPairsOrJsonThenTheServerTakesItAndAnswersAsBefore() {
        String secret = server.principalWithToken("resource-svc", "billing.invoices:read").get("token").asText();

        Cli.Result pairs = verifier().stdin(secret).run("verify", "--permission", "billing.invoices:read",
                "--resource", "owner=billing-svc", "--resource", "region=eu");
        Cli.Result json = verifier().stdin(secret).run("verify", "--permission", "billing.invoices:write",
                "--resource-json", "{\"amount\": 120.5, \"tags\": [\"eu\"], \"reviewer\": null}");

        assertThat(pairs.exitCode()).as(pairs.err()).isZero();
        assertThat(pairs.out()).contains("code         VALID\n");
        assertThat(json.exitCode()).as(json.err()).isEqualTo(3);
        assertThat(json.out()).contains("code         FORBIDDEN\n");
    }

    @Test
    void verifyWhenResourceIsMalformedOrGivenBothWaysThenExits2WithoutCallingTheServer() {
        Cli.Result both = Cli.offline().stdin(Cli.ADMIN).run("verify", "--resource", "a=b", "--resource-json", "{}");
        Cli.Result notAPair = Cli.offline().stdin(Cli.ADMIN).run("verify", "--resource", "owner");
        Cli.Result notAnObject = Cli.offline().stdin(Cli.ADMIN).run("verify", "--resource-json", "\"owner\"");

        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive").doesNotContain("cannot reach");
        assertThat(notAPair.exitCode()).isEqualTo(2);
        assertThat(notAPair.err()).contains("KEY=VALUE").doesNotContain("cannot reach");
        assertThat(notAnObject.exitCode()).isEqualTo(2);
        assertThat(notAnObject.err()).contains("must be a JSON object").doesNotContain("cannot reach");
    }
}
