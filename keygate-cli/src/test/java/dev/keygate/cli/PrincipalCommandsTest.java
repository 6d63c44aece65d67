package dev.keygate.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static dev.keygate.cli.TestJson.json;
import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

class PrincipalCommandsTest {

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
    void principalCreateWhenMetadataThenSendsItAsAnObject() {
        server.on("POST", "/v1/principals", 201, Fixtures.PRINCIPAL);

        Cli.Result r = Cli.against(server).run("principal", "create", "billing-svc", "--kind", "service",
                "--description", "Billing", "--metadata", "{\"team\":\"payments\",\"oncall\":null}");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(server.lastRequest().body())).isEqualTo(json("{'name': 'billing-svc', 'kind': 'service', "
                + "'description': 'Billing', 'metadata': {'team': 'payments', 'oncall': null}}"));
        assertThat(r.out()).isEqualTo("""
                name         billing-svc
                kind         service
                description  Billing
                metadata     {"team":"payments"}
                created      2026-11-22T09:15:00Z
                """);
    }

    @Test
    void principalCreateWhenMetadataIsNotAJsonObjectThenExits2() {
        Cli.Result r = Cli.against(server).run("principal", "create", "p", "--kind", "user", "--metadata", "[1,2]");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--metadata", "must be a JSON object");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void principalCreateWhenKindIsUnknownThenExits2NamingTheChoices() {
        Cli.Result r = Cli.against(server).run("principal", "create", "p", "--kind", "robot");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'robot' is not one of service, integration, user");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void principalListWhenPrincipalsThenPrintsATable() {
        server.on("GET", "/v1/principals", 200, "{\"items\":[" + Fixtures.PRINCIPAL + "]}");

        Cli.Result r = Cli.against(server).run("principal", "list");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                NAME         KIND     DESCRIPTION  CREATED
                billing-svc  service  Billing      2026-11-22T09:15:00Z
                """);
    }

    @Test
    void principalShowWhenJsonThenPrintsThePrincipal() {
        server.on("GET", "/v1/principals/billing-svc", 200, Fixtures.PRINCIPAL);

        Cli.Result r = Cli.against(server).run("principal", "show", "billing-svc", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(tree(Fixtures.PRINCIPAL));
    }
}
