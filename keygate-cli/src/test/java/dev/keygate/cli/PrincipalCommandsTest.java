package dev.keygate.cli;

import dev.keygate.server.testing.MutableClock;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static dev.keygate.cli.TestJson.json;
import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keygate principal create|list|show} against a real server. */
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
                + "'created_at': '" + now + "'}"));
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
    void principalListWhenPrincipalsThenPrintsATableSortedByName() {
        // A store of its own, so that the list holds exactly these principals, and a clock at known instants.
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T09:00:00Z"));
        try (TestServer fresh = TestServer.start(store, b -> b.clock(clock))) {
            clock.set(Instant.parse("2026-11-22T09:16:00Z"));
            assertThat(Cli.against(fresh).run("principal", "create", "billing-svc", "--kind", "service")
                    .exitCode()).isZero();

            Cli.Result r = Cli.against(fresh).run("principal", "list");

            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).isEqualTo("""
                    NAME         KIND     DESCRIPTION                                   CREATED
                    admin        user     Keygate administrator (created at bootstrap)  2026-11-22T09:00:00Z
                    billing-svc  service  -                                             2026-11-22T09:16:00Z
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
    void principalShowWhenNotFoundThenExits1() {
        Cli.Result r = cli().run("principal", "show", "nobody");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("keygate: 404 Not found: principal 'nobody' does not exist\n");
    }
}
