package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.keygate.cli.TestJson.json;
import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keygate role create|update --grant 'EFFECT PERMISSION [if CONDITION]'} against a real server, and how
 * {@code role show} and {@code role list} show grants. Conditions are only sent: what they decide is the server's.
 */
class RoleGrantsCommandsTest extends CliEndToEndTest {

    @Test
    void roleCreateWhenGrantsGivenThenShowsEachGrantOnItsLineAndTheDenyWinsInVerify() {
        String name = unique("billing-operator");
        Instant now = pinClock();

        Cli.Result r = cli().run("role", "create", name, "--permission", "billing.*:*",
                "--grant", "deny billing.refunds:write");
        server.createPrincipal(name, "service");
        String secret = server.mint(name, List.of(name), Map.of()).get("token").asText();

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                name         %s
                description  -
                permissions  billing.*:*
                grants       allow billing.*:*
                             deny billing.refunds:write
                created      %s
                updated      %s
                """.formatted(name, now, now));
        assertThat(get("/v1/roles/" + name).get("grants")).isEqualTo(json("[{'permission': 'billing.*:*', "
                + "'effect': 'allow'}, {'permission': 'billing.refunds:write', 'effect': 'deny'}]"));
        assertThat(server.verify(secret, "billing.refunds:write").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(server.verify(secret, "billing.refunds:read").get("code").asText()).isEqualTo("VALID");
    }

    @Test
    void roleCreateWhenOnlyGrantsThenNeedsNoPermissionAndItsUnconditionalAllowsShowAsPermissions() {
        String guard = unique("refund-guard");
        String mixed = unique("refund-guard-reader");

        Cli.Result denyOnly = cli().run("role", "create", guard, "--grant", "deny billing.refunds:*");
        Cli.Result withAllow = cli().run("role", "create", mixed, "--grant", "deny billing.refunds:*",
                "--grant", "  allow   billing.invoices:read  ");

        assertThat(denyOnly.exitCode()).as(denyOnly.err()).isZero();
        assertThat(denyOnly.out()).contains("""
                permissions  -
                grants       deny billing.refunds:*
                """);
        assertThat(withAllow.exitCode()).as(withAllow.err()).isZero();
        assertThat(withAllow.out()).contains("""
                permissions  billing.invoices:read
                grants       deny billing.refunds:*
                             allow billing.invoices:read
                """);
        assertThat(get("/v1/roles/" + guard).get("permissions")).isEqualTo(json("[]"));
        assertThat(get("/v1/roles/" + mixed).get("permissions")).isEqualTo(json("['billing.invoices:read']"));
    }

    @Test
    void roleShowAndListWhenJsonThenPrintTheServersJsonGrantsIncluded() {
        String name = roleWithGrants("json-grants", List.of("orders.*:read"), List.of(deny("orders.secrets:read")));

        Cli.Result show = cli().run("role", "show", name, "--json");
        Cli.Result list = cli().run("role", "list", "--json");

        assertThat(show.exitCode()).isZero();
        assertThat(tree(show.out())).isEqualTo(get("/v1/roles/" + name));
        assertThat(tree(list.out())).isEqualTo(get("/v1/roles"));
    }

    @Test
    void roleListWhenRolesHaveDeniesThenCountsThemBesideThePermissions() {
        String guarded = roleWithGrants("list-guarded", List.of("orders.*:*"),
                List.of(deny("orders.items:delete"), deny("orders.items:purge")));
        String denyOnly = roleWithGrants("list-deny-only", List.of(), List.of(deny("orders.items:delete")));
        String plain = roleWithGrants("list-plain", List.of("orders.items:read"), List.of());

        Cli.Result r = cli().run("role", "list");

        assertThat(r.exitCode()).isZero();
        assertThat(line(r.out(), guarded)).contains("  orders.*:* (+2 other grants)  ");
        assertThat(line(r.out(), denyOnly)).contains("  (1 grant)  ");
        assertThat(line(r.out(), plain)).contains("  orders.items:read  ").doesNotContain("grant");
    }

    @Test
    void roleUpdateWhenNeitherPermissionNorGrantGivenThenKeepsTheGrants() {
        String name = roleWithGrants("keeps-grants", List.of("orders.*:*"), List.of(deny("orders.items:delete")));
        JsonNode before = get("/v1/roles/" + name).get("grants");

        Cli.Result r = cli().run("role", "update", name, "--description", "orders, never deletes");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("description  orders, never deletes\n",
                "\n             deny orders.items:delete\n");
        assertThat(get("/v1/roles/" + name).get("grants")).isEqualTo(before);
    }

    @Test
    void roleUpdateWhenGrantsGivenThenTheyReplaceAllAndNarrowingReachesLiveTokens() {
        String name = roleWithGrants("narrowed-grants", List.of("orders.*:*"), List.of(deny("orders.items:delete")));
        server.createPrincipal(name, "service");
        String secret = server.mint(name, List.of(name), Map.of()).get("token").asText();

        Cli.Result r = cli().run("role", "update", name, "--permission", "orders.*:*",
                "--grant", "deny orders.items:delete", "--grant", "deny orders.items:write", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(tree(r.out())).isEqualTo(get("/v1/roles/" + name));
        assertThat(tree(r.out()).get("grants")).extracting(g -> g.get("effect").asText() + " "
                + g.get("permission").asText())
                .containsExactly("allow orders.*:*", "deny orders.items:delete", "deny orders.items:write");
        assertThat(server.verify(secret, "orders.items:write").get("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(server.verify(secret, "orders.items:read").get("code").asText()).isEqualTo("VALID");
    }

    @Test
    void roleUpdateWhenItWouldDropADenyHeldByLiveTokensThenExits1WithTheConflict() {
        String name = roleWithGrants("held-deny", List.of("orders.*:*"), List.of(deny("orders.items:delete")));
        server.createPrincipal(name, "service");
        server.mint(name, List.of(name), Map.of());

        Cli.Result r = cli().run("role", "update", name, "--permission", "orders.*:*");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("keygate: 409 Conflict: ").contains("no longer deny orders.items:delete");
        assertThat(get("/v1/roles/" + name).get("grants")).hasSize(2);
    }

    @Test
    void roleCreateWhenGrantIsMalformedThenExits2NamingTheFormWithoutCallingTheServer() {
        for (String grant : List.of("permit billing.refunds:write", "deny", "allow a.b:read if",
                "allow a.b:read when x", "deny a.b:read c.d:read", "Allow a.b:read")) {
            Cli.Result r = Cli.offline().run("role", "create", "r", "--grant", grant);

            assertThat(r.exitCode()).as(grant).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(grant).contains("--grant", "EFFECT PERMISSION [if CONDITION]")
                    .doesNotContain("cannot reach");
        }
        Cli.Result update = Cli.offline().run("role", "update", "r", "--grant", "deny");
        assertThat(update.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(update.err())
                .contains("'deny' must be 'EFFECT PERMISSION [if CONDITION]' with EFFECT allow or deny");
    }

    @Test
    void roleCreateWhenGrantHasAConditionThenSendsItAndShowsTheServersErrorNamingTheGrant() {
        String name = unique("conditional");

        Cli.Result r = cli().run("role", "create", name, "--permission", "crm.accounts:read",
                "--grant", "allow crm.*:read if request.enviroment == 'live'");

        // Only that the condition travels as given, in grants[0] (after the --permission ones, which are apart);
        // with CEL in, a misspelt attribute is what the server refuses.
        assertThat(r.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("keygate: 400 Invalid request: ")
                .contains("\n  grants[0].condition: 'request.enviroment == 'live'' ");
        assertThat(server.get("/v1/roles/" + name, server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void roleCreateWhenAGrantsPermissionIsInvalidThenExits1WithTheServersFieldError() {
        Cli.Result r = cli().run("role", "create", unique("bad-grant"), "--grant", "deny a.b:read",
                "--grant", "deny Billing:read");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err()).contains("\n  grants[1].permission: ");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static Map<String, Object> deny(String permission) {
        return Map.of("permission", permission, "effect", "deny");
    }

    /** Creates a role named after {@code base} through the API; returns its name. */
    private static String roleWithGrants(String base, List<String> permissions, List<Map<String, Object>> grants) {
        String name = unique(base);
        TestServer.expect(server.post("/v1/roles", server.adminToken(),
                Map.of("name", name, "permissions", permissions, "grants", grants)), 201);
        return name;
    }

    /** The table line of {@code name}. */
    private static String line(String table, String name) {
        return table.lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow() + "\n";
    }
}
