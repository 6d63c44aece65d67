package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.MutableClock;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.keygate.cli.TestJson.json;
import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keygate role create|list|show|update|delete} against a real server. */
class RoleCommandsTest extends CliEndToEndTest {

    @Test
    void roleListWhenRolesThenPrintsAnAlignedTableSortedByName() {
        // A store of its own, so that the list holds exactly these roles, and a clock at known instants.
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T09:00:00Z"));
        try (TestServer fresh = TestServer.start(store, b -> b.clock(clock))) {
            clock.set(Instant.parse("2026-11-22T09:15:00Z"));
            assertThat(Cli.against(fresh).run("role", "create", "ops", "--permission", "keygate.tokens:read")
                    .exitCode()).isZero();
            assertThat(Cli.against(fresh).run("role", "create", "billing-reader", "--permission", "billing.invoices:read",
                    "--permission", "billing.refunds:write", "--description", "Reads invoices").exitCode()).isZero();
            clock.set(Instant.parse("2026-11-22T10:00:00Z"));
            assertThat(Cli.against(fresh).run("role", "update", "billing-reader", "--permission", "billing.invoices:read",
                    "--permission", "billing.refunds:read", "--environment", "live", "--environment", "staging")
                    .exitCode()).isZero();

            Cli.Result r = Cli.against(fresh).run("role", "list");

            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).isEqualTo("""
                    NAME            PERMISSIONS                                  ENVIRONMENTS   DESCRIPTION                     UPDATED
                    billing-reader  billing.invoices:read, billing.refunds:read  live, staging  Reads invoices                  2026-11-22T10:00:00Z
                    keygate-admin   keygate.*:*                                  all            Full control of Keygate itself  2026-11-22T09:00:00Z
                    ops             keygate.tokens:read                          all            -                               2026-11-22T09:15:00Z
                    """);
            assertThat(r.err()).isEmpty();
        }
    }

    @Test
    void roleListWhenJsonThenPrintsTheItemsAsTheServerSendsThem() {
        server.createRole(unique("listed"), "billing.invoices:read");

        Cli.Result r = cli().run("role", "list", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(get("/v1/roles"));
    }

    @Test
    void roleCreateWhenPermissionsThenCreatesTheRoleAndPrintsIt() {
        String name = unique("billing-reader");
        Instant now = pinClock();

        Cli.Result r = cli().run("role", "create", name, "--permission", "billing.invoices:read",
                "--permission", "billing.refunds:read", "--description", "Reads invoices");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                name         %s
                description  Reads invoices
                permissions  billing.invoices:read, billing.refunds:read
                created      %s
                updated      %s
                """.formatted(name, now, now));
        assertThat(r.err()).isEmpty();
        assertThat(get("/v1/roles/" + name)).isEqualTo(json("{'name': '" + name + "', 'description': 'Reads invoices', "
                + "'permissions': ['billing.invoices:read', 'billing.refunds:read'], "
                + "'grants': [{'permission': 'billing.invoices:read', 'effect': 'allow'}, "
                + "{'permission': 'billing.refunds:read', 'effect': 'allow'}], "
                + "'created_at': '" + now + "', 'updated_at': '" + now + "'}"));
    }

    @Test
    void roleCreateWhenMaxTtlGivenThenTheRoleCapsItsTokensAndShowsTheCap() {
        String name = unique("deployer");
        Instant now = pinClock();

        Cli.Result r = cli().run("role", "create", name, "--permission", "deploy.releases:write", "--max-ttl", "1h");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                name         %s
                description  -
                permissions  deploy.releases:write
                max ttl      1h
                created      %s
                updated      %s
                """.formatted(name, now, now));
        assertThat(get("/v1/roles/" + name).get("max_ttl").asText()).isEqualTo("1h");
        Cli.Result bad = cli().run("role", "create", unique("deployer"), "--permission", "a:b", "--max-ttl", "1w");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(bad.err()).contains("max_ttl");
    }

    @Test
    void roleCreateWhenJsonThenPrintsTheRoleAsStored() {
        String name = unique("json-role");

        Cli.Result r = cli().run("role", "create", name, "--permission", "billing.invoices:read", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(get("/v1/roles/" + name));
    }

    @Test
    void roleCreateWhenNoPermissionNorGrantThenExits1WithTheServersFieldError() {
        String name = unique("grants-nothing");

        Cli.Result r = cli().run("role", "create", name);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("""
                keygate: 400 Invalid request: permissions: must hold at least one permission or grant
                  permissions: must hold at least one permission or grant
                """);
        assertThat(server.get("/v1/roles/" + name, server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void roleCreateWhenServerRejectsAFieldThenPrintsTheProblemAndEachFieldAndExits1() {
        String name = unique("bad-permission");

        Cli.Result r = cli().run("role", "create", name, "--permission", "billing.invoices:read",
                "--permission", "billing:");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("""
                keygate: 400 Invalid request: permissions[1]: invalid permission 'billing:': action must not be empty
                  permissions[1]: invalid permission 'billing:': action must not be empty
                """);
        assertThat(server.get("/v1/roles/" + name, server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void roleCreateWhenNameIsTakenThenExits1WithTheConflict() {
        String name = unique("taken");
        server.createRole(name, "billing.invoices:read");

        Cli.Result r = cli().run("role", "create", name, "--permission", "billing.refunds:read");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("keygate: 409 Conflict: role '" + name + "' exists already\n");
        assertThat(get("/v1/roles/" + name).get("permissions")).isEqualTo(json("['billing.invoices:read']"));
    }

    @Test
    void roleShowWhenNotFoundThenExits1() {
        Cli.Result r = cli().run("role", "show", "ghost");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("keygate: 404 Not found: role 'ghost' does not exist\n");
    }

    @Test
    void roleShowWhenJsonThenPrintsTheRole() {
        String name = unique("shown");
        server.createRole(name, "billing.invoices:read", "billing.refunds:read");

        Cli.Result r = cli().run("role", "show", name, "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(get("/v1/roles/" + name));
    }

    /** Regression: without --description the CLI read the role first, which needed keygate.roles:read too. */
    @Test
    void roleUpdateWhenCallerMayOnlyWriteRolesThenUpdatesAndKeepsTheDescription() {
        String name = unique("write-only");
        TestServer.expect(server.post("/v1/roles", server.adminToken(), Map.of("name", name,
                "description", "Reads invoices", "permissions", List.of("billing.invoices:read"))), 201);
        String writer = server.principalWithToken(unique("role-writer"), "keygate.roles:write").get("token").asText();

        Cli.Result r = Cli.as(server, writer).run("role", "update", name, "--permission", "billing.invoices:read",
                "--max-ttl", "1h");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(get("/v1/roles/" + name).get("description").asText()).isEqualTo("Reads invoices");
    }

    @Test
    void roleUpdateWhenNoDescriptionThenKeepsTheCurrentOneAndReplacesThePermissions() {
        String name = unique("narrowed");
        Instant created = pinClock();
        TestServer.expect(server.post("/v1/roles", server.adminToken(), Map.of("name", name,
                "description", "Reads invoices", "permissions", List.of("billing.invoices:read", "billing.refunds:read"))),
                201);
        server.clock().advance(Duration.ofHours(1));

        Cli.Result r = cli().run("role", "update", name, "--permission", "billing.invoices:read");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                name         %s
                description  Reads invoices
                permissions  billing.invoices:read
                created      %s
                updated      %s
                """.formatted(name, created, created.plus(Duration.ofHours(1))));
        JsonNode stored = get("/v1/roles/" + name);
        assertThat(stored.get("description").asText()).isEqualTo("Reads invoices");
        assertThat(stored.get("permissions")).isEqualTo(json("['billing.invoices:read']"));
    }

    @Test
    void roleUpdateWhenMaxTtlGivenThenChangesItAndOtherwiseKeepsIt() {
        String name = roleWith("recapped", Map.of("max_ttl", "2h"));

        Cli.Result capped = cli().run("role", "update", name, "--permission", "a.b:read", "--max-ttl", "30m");
        Cli.Result kept = cli().run("role", "update", name, "--permission", "a.b:read", "--description", "x",
                "--json");
        Cli.Result bad = cli().run("role", "update", name, "--permission", "a.b:read", "--max-ttl", "1w");

        assertThat(capped.exitCode()).as(capped.err()).isZero();
        assertThat(capped.out()).contains("\nmax ttl      30m\n");
        assertThat(kept.exitCode()).isZero();
        assertThat(tree(kept.out())).isEqualTo(get("/v1/roles/" + name));
        assertThat(tree(kept.out()).get("max_ttl").asText()).isEqualTo("30m");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(bad.err()).contains("max_ttl");
    }

    @Test
    void roleUpdateWhenMaxTtlNoneThenTheCapIsRemoved() {
        String name = roleWith("uncapped", Map.of("max_ttl", "2h"));

        Cli.Result r = cli().run("role", "update", name, "--permission", "a.b:read", "--max-ttl", "none");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("max ttl");
        assertThat(get("/v1/roles/" + name).has("max_ttl")).isFalse();
    }

    // ---- environments --------------------------------------------------------------------------------------

    @Test
    void roleCreateWhenEnvironmentsGivenThenShowsThemAndTokensOfOtherEnvironmentsAreRefused() {
        String name = unique("staging-only");
        Instant now = pinClock();

        Cli.Result r = cli().run("role", "create", name, "--permission", "billing.invoices:read",
                "--environment", "staging", "--environment", "dev");
        server.createPrincipal(name, "service");
        Cli.Result live = cli().run("token", "create", "--principal", name, "--role", name);
        Cli.Result staging = cli().run("token", "create", "--principal", name, "--role", name, "--env", "staging");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                name          %s
                description   -
                permissions   billing.invoices:read
                environments  staging, dev
                created       %s
                updated       %s
                """.formatted(name, now, now));
        assertThat(tree(cli().run("role", "show", name, "--json").out())).isEqualTo(get("/v1/roles/" + name));
        assertThat(get("/v1/roles/" + name).get("environments")).isEqualTo(json("['staging', 'dev']"));
        assertThat(live.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(live.err()).startsWith("keygate: 400 ").contains("roles[0]", "[staging, dev]");
        assertThat(staging.exitCode()).as(staging.err()).isZero();
    }

    @Test
    void roleUpdateWhenAllEnvironmentsThenTheLimitGoesAndWithNeitherFlagItIsKept() {
        String name = roleWith("widened-envs", Map.of("environments", List.of("staging")));

        Cli.Result kept = cli().run("role", "update", name, "--permission", "a.b:read", "--json");
        Cli.Result all = cli().run("role", "update", name, "--permission", "a.b:read", "--all-environments");

        assertThat(tree(kept.out()).get("environments")).isEqualTo(json("['staging']"));
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out()).doesNotContain("environments");
        assertThat(get("/v1/roles/" + name).has("environments")).isFalse();
    }

    @Test
    void roleUpdateWhenEnvironmentsWouldExcludeLiveTokensThenExits1WithTheConflict() {
        String name = roleWith("narrowed-envs", Map.of("environments", List.of("staging", "dev")));
        server.createPrincipal(name, "service");
        server.mint(name, List.of(name), Map.of("environment", "staging"));

        Cli.Result r = cli().run("role", "update", name, "--permission", "a.b:read", "--environment", "dev");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("keygate: 409 Conflict: ").contains("[staging]");
        assertThat(get("/v1/roles/" + name).get("environments")).isEqualTo(json("['staging', 'dev']"));
    }

    @Test
    void roleUpdateWhenEnvironmentAndAllEnvironmentsBothGivenThenExits2WithoutCallingTheServer() {
        Cli.Result r = Cli.offline().run("role", "update", "r", "--permission", "a.b:read", "--environment", "dev",
                "--all-environments");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("mutually exclusive").doesNotContain("cannot reach");
    }

    @Test
    void roleUpdateWhenDescriptionGivenThenSetsItWithoutReadingTheRole() {
        String name = roleWith("described", Map.of("description", "Old text"));
        // This caller may change roles but not read them: the update succeeds only if it sends no GET.
        String writer = server.principalWithToken(unique("role-writer"), "keygate.roles:write").get("token").asText();

        Cli.Result r = cliAs(writer).run("role", "update", name, "--permission", "a.b:read", "--description", "");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("description  -");
        assertThat(get("/v1/roles/" + name).get("description").asText()).isEmpty();
    }

    @Test
    void roleUpdateWhenItWouldWidenARoleHeldByLiveTokensThenExits1WithTheConflict() {
        String holder = unique("holder");
        server.principalWithToken(holder, "billing.invoices:read");

        Cli.Result r = cli().run("role", "update", holder + "-role", "--permission", "billing.invoices:read",
                "--permission", "billing.invoices:write");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("keygate: 409 Conflict: role '" + holder + "-role' is held by 1 live token(s)");
        assertThat(get("/v1/roles/" + holder + "-role").get("permissions")).isEqualTo(json("['billing.invoices:read']"));
    }

    @Test
    void roleDeleteWhenDeletedThenConfirmsAndTheRoleIsGone() {
        String name = unique("ops");
        server.createRole(name, "keygate.tokens:read");

        Cli.Result r = cli().run("role", "delete", name);

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("Deleted role " + name + ".\n");
        assertThat(server.get("/v1/roles/" + name, server.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void roleDeleteWhenHeldByLiveTokensThenExits1WithTheConflictAndPrintsNothing() {
        String holder = unique("held");
        server.principalWithToken(holder, "keygate.tokens:read");

        Cli.Result r = cli().run("role", "delete", holder + "-role", "--json");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("keygate: 409 Conflict: ").contains(holder + "-role");
        assertThat(server.get("/v1/roles/" + holder + "-role", server.adminToken()).status()).isEqualTo(200);
    }

    @Test
    void roleShowWhenStoredTextHoldsControlCharactersThenPrintsThemHarmlessly() {
        String name = roleWith("evil", Map.of("description", "evil\u001b[2J\nline"));

        Cli.Result r = cli().run("role", "show", name);

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).doesNotContain("\u001b").contains("description  evil?[2J?line\n");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** Creates a role named after {@code base} granting {@code a.b:read}, with {@code fields}; returns its name. */
    private static String roleWith(String base, Map<String, Object> fields) {
        String name = unique(base);
        Map<String, Object> body = new HashMap<>(fields);
        body.put("name", name);
        body.put("permissions", List.of("a.b:read"));
        TestServer.expect(server.post("/v1/roles", server.adminToken(), body), 201);
        return name;
    }
}
