package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keygate explain} against a real server: the token by id, or its secret from the environment or stdin
 * (never an argument); the decision, the reason and every grant that bears on the permission; exit 0 when the
 * token would be allowed, 3 when not.
 */
class ExplainCommandTest extends CliEndToEndTest {

    @Test
    void explainWhenADenyDecidesThenListsEachMatchingGrantMarksTheDeciderAndExits3() {
        JsonNode token = guarded("deny-decides", Map.of());

        Cli.Result r = cli().run("explain", "--token-id", id(token), "--permission", "billing.refunds:write");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out()).isEqualTo("""
                decision     deny
                code         FORBIDDEN
                token id     %s
                principal    deny-decides
                roles        deny-decides-all, deny-decides-guard
                environment  live
                reason       billing.refunds:write denied by role 'deny-decides-guard', grant 0 (deny billing.refunds:*)

                billing.refunds:write: denied
                   ROLE                GRANT  RULE                    OUTCOME
                   deny-decides-all    0      allow billing.*:*       applies
                >  deny-decides-guard  0      deny billing.refunds:*  applies
                """.formatted(id(token)));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void explainWhenAllowedAndSecretOnStdinThenExits0AndJsonIsTheServersAnswer() {
        JsonNode token = guarded("stdin-allowed", Map.of());
        String secret = token.get("token").asText();

        Cli.Result human = cli().stdin(secret + "\nsecond line\n")
                .run("explain", "--permission", "billing.invoices:read");
        Cli.Result json = cli().stdin(secret + "\n").run("explain", "--permission", "billing.invoices:read", "--json");

        assertThat(human.exitCode()).as(human.err()).isZero();
        assertThat(human.out()).contains("decision     allow\n", "code         VALID\n", """
                billing.invoices:read: allowed
                   ROLE               GRANT  RULE               OUTCOME
                >  stdin-allowed-all  0      allow billing.*:*  applies
                """);
        assertThat(human.out() + human.err()).doesNotContain(secret);
        assertThat(json.exitCode()).isZero();
        assertThat(tree(json.out())).isEqualTo(explain(Map.of("token", secret, "permission", "billing.invoices:read")));
    }

    @Test
    void explainWhenKeygateExplainTokenIsSetThenExplainsItAndIgnoresStdin() {
        JsonNode fromEnv = guarded("env-explained", Map.of());
        JsonNode onStdin = guarded("stdin-ignored", Map.of());

        Cli.Result r = cli().env("KEYGATE_EXPLAIN_TOKEN", fromEnv.get("token").asText())
                .stdin(onStdin.get("token").asText() + "\n").run("explain", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out()).get("token_id").asText()).isEqualTo(id(fromEnv));
        assertThat(tree(r.out()).get("permissions")).isEmpty();
    }

    @Test
    void explainWhenNoGrantMatchesThenSaysSoAndJsonIsTheServersAnswer() {
        JsonNode token = guarded("nothing-matches", Map.of());

        Cli.Result r = cli().run("explain", "--token-id", id(token), "--permission", "crm.leads:read");
        Cli.Result json = cli().run("explain", "--token-id", id(token), "--permission", "crm.leads:read", "--json");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out()).endsWith("""
                reason       no grant of the token's roles allows crm.leads:read

                crm.leads:read: denied
                  no grant of the token's roles matches it
                """);
        assertThat(tree(json.out())).isEqualTo(explain(Map.of("token_id", id(token), "permission", "crm.leads:read")));
    }

    @Test
    void explainWhenTheTokenIsRevokedThenShowsTheReasonAloneAndExits3() {
        JsonNode token = guarded("revoked-explained", Map.of());
        assertThat(cli().run("token", "revoke", id(token), "--reason", "leaked in a log").exitCode()).isZero();

        Cli.Result r = cli().stdin(token.get("token").asText()).run("explain", "--permission", "billing.invoices:read");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out()).startsWith("decision     deny\ncode         REVOKED\ntoken id     " + id(token) + "\n")
                .contains("reason       the token was revoked at ").endsWith(" (leaked in a log)\n");
    }

    @Test
    void explainWhenTheTokenHasLimitsThenNotesThemSpendsNothingAndTakesTheIpAndResource() {
        JsonNode token = guarded("limited-explained", Map.of("max_uses", 1, "allowed_cidrs", List.of("10.0.0.0/8")));

        Cli.Result r = cli().run("explain", "--token-id", id(token), "--permission", "billing.invoices:read",
                "--ip", "10.1.2.3", "--resource", "owner=billing-svc", "--resource", "region=eu");
        Cli.Result json = cli().run("explain", "--token-id", id(token), "--permission", "billing.invoices:read",
                "--ip", "10.1.2.3", "--resource-json", "{\"amount\": 120.5, \"tags\": [\"eu\"]}");
        Cli.Result outside = cli().run("explain", "--token-id", id(token), "--ip", "192.0.2.1");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).endsWith("""

                note: usage limit not checked (explain spends nothing); uses left when the token was read: 1
                """);
        assertThat(json.exitCode()).isZero();
        assertThat(outside.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(outside.out()).contains("code         IP_NOT_ALLOWED\n", "192.0.2.1");
        assertThat(get("/v1/tokens/" + id(token)).get("remaining").asLong()).isEqualTo(1);
    }

    @Test
    void explainWhenNoTokenAnywhereThenExits1WithoutCallingTheServer() {
        Cli.Result r = Cli.offline().stdin("").run("explain", "--permission", "a.b:read");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err()).contains("no token to explain", "--token-id", "KEYGATE_EXPLAIN_TOKEN")
                .doesNotContain("cannot reach");
    }

    @Test
    void explainWhenASecretIsGivenAsAnArgumentOrAsTheIdThenExits2WithoutEchoingIt() {
        Cli.Result asArgument = Cli.offline().run("explain", Cli.ADMIN);
        Cli.Result asId = Cli.offline().run("explain", "--token-id", Cli.ADMIN);

        assertThat(asArgument.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(asArgument.err()).doesNotContain(Cli.ADMIN).contains("kg_***").doesNotContain("cannot reach");
        assertThat(asId.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(asId.err()).contains("token secret, not a token id").doesNotContain(Cli.ADMIN);
    }

    @Test
    void explainWhenResourceAndResourceJsonBothGivenThenExits2WithoutCallingTheServer() {
        Cli.Result both = Cli.offline().run("explain", "--token-id", "tok_1", "--resource", "a=b",
                "--resource-json", "{}");
        Cli.Result notAnObject = Cli.offline().run("explain", "--token-id", "tok_1", "--resource-json", "[1]");

        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("mutually exclusive").doesNotContain("cannot reach");
        assertThat(notAnObject.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(notAnObject.err()).contains("must be a JSON object");
    }

    @Test
    void explainWhenTheCallerLacksPolicyExplainOrTheIdIsUnknownThenExits1WithTheServersProblem() {
        JsonNode token = guarded("caller-refused", Map.of());
        String reader = server.principalWithToken("explain-reader", "keygate.tokens:read").get("token").asText();

        Cli.Result forbidden = cliAs(reader).run("explain", "--token-id", id(token));
        Cli.Result unknown = cli().run("explain", "--token-id", "tok_00000000000000000000");

        assertThat(forbidden.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(forbidden.out()).isEmpty();
        assertThat(forbidden.err()).startsWith("keygate: 403 Forbidden: ").contains("keygate.policy:explain");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(unknown.err())
                .isEqualTo("keygate: 404 Not found: token 'tok_00000000000000000000' does not exist\n");
    }

    @Test
    void explainHelpWhenAskedThenNamesItsPermissionTheTokenSourcesAndExitCodes() {
        Cli.Result r = Cli.bare().run("help", "explain");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("keygate.policy:explain", "--token-id", "KEYGATE_EXPLAIN_TOKEN",
                "  0  the token would be allowed", "  3  the token would be refused");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    @Test
    void explainWhenConditionsThenShowsEachOutcomeWithItsErrorAndTheResourceDecides() {
        server.createPrincipal("cond-explained", "service");
        TestServer.expect(server.post("/v1/roles", server.adminToken(), Map.of("name", "cond-explained-refunds",
                "grants", List.of(Map.of("permission", "billing.refunds:create", "effect", "allow"),
                        Map.of("permission", "billing.refunds:create", "effect", "deny",
                                "condition", "resource.amount_cents > 100000")))), 201);
        JsonNode token = server.mint("cond-explained", List.of("cond-explained-refunds"), Map.of());

        Cli.Result small = cli().run("explain", "--token-id", id(token), "--permission", "billing.refunds:create",
                "--resource-json", "{\"amount_cents\": 5000}");
        Cli.Result missing = cli().run("explain", "--token-id", id(token), "--permission", "billing.refunds:create");

        assertThat(small.exitCode()).as(small.err()).isZero();
        assertThat(small.out()).contains("""
                   ROLE                    GRANT  RULE                                                           OUTCOME
                >  cond-explained-refunds  0      allow billing.refunds:create                                   applies
                   cond-explained-refunds  1      deny billing.refunds:create if resource.amount_cents > 100000  condition false
                """);
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(missing.out()).contains(">  cond-explained-refunds  1      deny billing.refunds:create if "
                + "resource.amount_cents > 100000  condition failed: ").contains("amount_cents");
    }

    /**
     * A principal {@code name} and a token for it holding {@code <name>-all} (allows {@code billing.*:*}) and
     * {@code <name>-guard} (denies {@code billing.refunds:*}), minted with {@code extra}: the server's answer.
     */
    private static JsonNode guarded(String name, Map<String, Object> extra) {
        server.createPrincipal(name, "service");
        server.createRole(name + "-all", "billing.*:*");
        TestServer.expect(server.post("/v1/roles", server.adminToken(), Map.of("name", name + "-guard",
                "grants", List.of(Map.of("permission", "billing.refunds:*", "effect", "deny")))), 201);
        return server.mint(name, List.of(name + "-all", name + "-guard"), extra);
    }

    /** The server's answer to {@code POST /v1/explain} with {@code body}, as the admin. */
    private static JsonNode explain(Map<String, Object> body) {
        return TestServer.expect(server.post("/v1/explain", server.adminToken(), body), 200);
    }
}
