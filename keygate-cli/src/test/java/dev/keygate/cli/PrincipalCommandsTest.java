package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keygate.server.testing.MutableClock;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.keygate.cli.TestJson.json;
import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keygate principal create|list|show|disable|enable} against a real server. */
class PrincipalCommandsTest extends CliEndToEndTest {

    @Test
    void principalCreateWhenMetadataThenStoresItAsAnObjectAndPrintsThePrincipal() {
        String name = unique("billing-svc");
        Instant now = pinClock();

        Cli.Result r = cli().run("principal", "create", name, "--kind", "service", "--description", "Billing",
                "--metadata", "{\"team\":\"payments\",\"oncall\":null}");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                name         %s
                kind         service
                description  Billing
                metadata     {"team":"payments","oncall":null}
                created      %s
                """.formatted(name, now));
        assertThat(r.err()).isEmpty();
        assertThat(get("/v1/principals/" + name)).isEqualTo(json("{'name': '" + name + "', 'kind': 'service', "
                + "'description': 'Billing', 'metadata': {'team': 'payments', 'oncall': null}, "
                + "'created_at': '" + now + "', 'disabled': false}"));
    }

    @Test
    void principalCreateWhenJsonThenPrintsThePrincipalAsStored() {
        String name = unique("json-svc");

        Cli.Result r = cli().run("principal", "create", name, "--kind", "integration", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(get("/v1/principals/" + name));
    }

    @Test
    void principalCreateWhenNameIsTakenThenExits1WithTheConflict() {
        String name = unique("taken");
        server.createPrincipal(name, "service");

        Cli.Result r = cli().run("principal", "create", name, "--kind", "user");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("keygate: 409 Conflict: principal '" + name + "' exists already\n");
        assertThat(get("/v1/principals/" + name).get("kind").asText()).isEqualTo("service");
    }

    @Test
    void principalCreateWhenMetadataIsNotAJsonObjectThenExits2WithoutCallingTheServer() {
        Cli.Result r = Cli.offline().run("principal", "create", "p", "--kind", "user", "--metadata", "[1,2]");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--metadata", "must be a JSON object").doesNotContain("cannot reach");
    }

    @Test
    void principalCreateWhenKindIsUnknownThenExits2NamingTheChoices() {
        Cli.Result r = Cli.offline().run("principal", "create", "p", "--kind", "robot");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'robot' is not one of service, integration, user").doesNotContain("cannot reach");
    }

    @Test
    void principalListWhenPrincipalsThenPrintsATableSortedByNameShowingWhenDisabled() {
        // A store of its own, so that the list holds exactly these principals, and a clock at known instants.
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T09:00:00Z"));
        try (TestServer fresh = TestServer.start(store, b -> b.clock(clock))) {
            clock.set(Instant.parse("2026-11-22T09:16:00Z"));
            assertThat(Cli.against(fresh).run("principal", "create", "billing-svc", "--kind", "service")
                    .exitCode()).isZero();
            assertThat(Cli.against(fresh).run("principal", "create", "retired-svc", "--kind", "service")
                    .exitCode()).isZero();
            clock.set(Instant.parse("2026-11-23T10:00:00Z"));
            assertThat(Cli.against(fresh).run("principal", "disable", "retired-svc").exitCode()).isZero();

            Cli.Result r = Cli.against(fresh).run("principal", "list");

            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).isEqualTo("""
                    NAME         KIND     DESCRIPTION                                   CREATED               DISABLED
                    admin        user     Keygate administrator (created at bootstrap)  2026-11-22T09:00:00Z  -
                    billing-svc  service  -                                             2026-11-22T09:16:00Z  -
                    retired-svc  service  -                                             2026-11-22T09:16:00Z  2026-11-23T10:00:00Z
                    """);
            assertThat(r.err()).isEmpty();
        }
    }

    @Test
    void principalListWhenJsonThenPrintsTheItemsAsTheServerSendsThem() {
        server.createPrincipal(unique("listed"), "user");

        Cli.Result r = cli().run("principal", "list", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(get("/v1/principals"));
    }

    @Test
    void principalShowWhenJsonThenPrintsThePrincipal() {
        String name = unique("shown");
        TestServer.expect(server.post("/v1/principals", server.adminToken(),
                Map.of("name", name, "kind", "service", "metadata", Map.of("team", "payments"))), 201);

        Cli.Result r = cli().run("principal", "show", name, "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(get("/v1/principals/" + name));
    }

    @Test
    void principalShowWhenNameHoldsAtSignAndDotThenFindsIt() {
        assertThat(cli().run("principal", "create", "alice@example.com", "--kind", "user").exitCode()).isZero();

        Cli.Result r = cli().run("principal", "show", "alice@example.com");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("name         alice@example.com\nkind         user\n");
    }

    @Test
    void principalDisableWhenItHasLiveTokensThenRevokesThemAndSaysHowMany() {
        String name = unique("retired");
        Instant created = pinClock();
        server.createPrincipal(name, "service");
        server.createRole(name + "-role", "billing.invoices:read");
        JsonNode token = server.mint(name, List.of(name + "-role"), Map.of());
        server.mint(name, List.of(name + "-role"), Map.of());
        server.clock().advance(Duration.ofHours(1));

        Cli.Result r = cli().run("principal", "disable", name, "--reason", "decommissioned");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                name         %s
                kind         service
                description  -
                metadata     -
                created      %s
                disabled     %s
                Revoked 2 tokens.
                """.formatted(name, created, created.plus(Duration.ofHours(1))));
        assertThat(r.err()).isEmpty();
        assertThat(server.verify(token.get("token").asText(), null).get("code").asText()).isEqualTo("REVOKED");
        assertThat(get("/v1/tokens/" + token.get("id").asText()).get("revoke_reason").asText())
                .isEqualTo("decommissioned");
        Cli.Result refused = cli().run("token", "create", "--principal", name, "--role", name + "-role");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).startsWith("keygate: 409 Conflict: principal '" + name + "' is disabled");
    }

    @Test
    void principalDisableWhenJsonThenPrintsThePrincipalAndTheCountAsTheServerSendsThem() {
        String name = unique("json-retired");
        server.createPrincipal(name, "user");
        assertThat(cli().run("principal", "disable", name).exitCode()).isZero();

        Cli.Result again = cli().run("principal", "disable", name, "--json");

        assertThat(again.exitCode()).isZero();
        assertThat(tree(again.out())).isEqualTo(get("/v1/principals/" + name).<ObjectNode>deepCopy()
                .put("revoked_count", 0));
        assertThat(tree(again.out()).get("disabled").asBoolean()).isTrue();
    }

    @Test
    void principalEnableWhenDisabledThenPrintsItEnabledAndItMayBeGivenTokensAgain() {
        String name = unique("returning");
        server.createPrincipal(name, "service");
        server.createRole(name + "-role", "billing.invoices:read");
        assertThat(cli().run("principal", "disable", name).exitCode()).isZero();

        Cli.Result r = cli().run("principal", "enable", name);
        Cli.Result json = cli().run("principal", "enable", name, "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("name         " + name + "\n").doesNotContain("disabled");
        assertThat(json.exitCode()).isZero();
        assertThat(tree(json.out())).isEqualTo(get("/v1/principals/" + name));
        assertThat(tree(json.out()).get("disabled").asBoolean()).isFalse();
        assertThat(cli().run("token", "create", "--principal", name, "--role", name + "-role").exitCode()).isZero();
    }

    @Test
    void principalDisableWhenCallerLacksThePermissionThenExits1AndNothingChanges() {
        String name = unique("kept");
        server.createPrincipal(name, "service");
        String writer = server.principalWithToken(unique("principal-writer"), "keygate.principals:write")
                .get("token").asText();

        Cli.Result r = cliAs(writer).run("principal", "disable", name);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("keygate.principals:disable");
        assertThat(get("/v1/principals/" + name).get("disabled").asBoolean()).isFalse();
    }

    @Test
    void principalShowWhenNotFoundThenExits1() {
        Cli.Result r = cli().run("principal", "show", "nobody");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("keygate: 404 Not found: principal 'nobody' does not exist\n");
    }
}
