package dev.keygate.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static dev.keygate.cli.TestJson.json;
import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

class RoleCommandsTest {

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
    void roleListWhenRolesThenPrintsAnAlignedTable() {
        server.on("GET", "/v1/roles", 200, "{\"items\":[" + Fixtures.ROLE + "," + Fixtures.ROLE_OPS + "]}");

        Cli.Result r = Cli.against(server).run("role", "list");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                NAME            PERMISSIONS                                  DESCRIPTION     UPDATED
                billing-reader  billing.invoices:read, billing.refunds:read  Reads invoices  2026-11-22T10:00:00Z
                ops             keygate.tokens:read                          -               2026-11-22T09:15:00Z
                """);
        assertThat(r.err()).isEmpty();
        assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer " + Cli.ADMIN);
    }

    @Test
    void roleListWhenJsonThenPrintsTheItemsAsTheServerSentThem() {
        server.on("GET", "/v1/roles", 200, "{\"items\":[" + Fixtures.ROLE + "]}");

        Cli.Result r = Cli.against(server).run("role", "list", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(tree("{\"items\":[" + Fixtures.ROLE + "]}"));
    }

    @Test
    void roleCreateWhenPermissionsThenPostsThemAndPrintsTheRole() {
        server.on("POST", "/v1/roles", 201, Fixtures.ROLE);

        Cli.Result r = Cli.against(server).run("role", "create", "billing-reader",
                "--permission", "billing.invoices:read", "--permission", "billing.refunds:read",
                "--description", "Reads invoices");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(server.lastRequest().body())).isEqualTo(json("{'name': 'billing-reader', "
                + "'description': 'Reads invoices', 'permissions': ['billing.invoices:read', 'billing.refunds:read']}"));
        assertThat(r.out()).isEqualTo("""
                name         billing-reader
                description  Reads invoices
                permissions  billing.invoices:read, billing.refunds:read
                created      2026-11-22T09:15:00Z
                updated      2026-11-22T10:00:00Z
                """);
    }

    @Test
    void roleCreateWhenNoPermissionThenExits2WithoutCallingTheServer() {
        Cli.Result r = Cli.against(server).run("role", "create", "billing-reader");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--permission=PERMISSION'");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void roleCreateWhenServerRejectsAFieldThenPrintsTheProblemAndEachFieldAndExits1() {
        server.problem("POST", "/v1/roles", 400, Fixtures.VALIDATION_PROBLEM);

        Cli.Result r = Cli.against(server).run("role", "create", "r", "--permission", "billing:");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("""
                keygate: 400 Invalid request: permissions[0]: invalid permission 'billing:': action must not be empty
                  permissions[0]: action must not be empty
                """);
    }

    @Test
    void roleShowWhenNotFoundThenExits1() {
        server.problem("GET", "/v1/roles/ghost", 404, "{\"title\":\"Not found\",\"status\":404,"
                + "\"detail\":\"no role named 'ghost'\",\"code\":\"not_found\"}");

        Cli.Result r = Cli.against(server).run("role", "show", "ghost");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("keygate: 404 Not found: no role named 'ghost'\n");
    }

    @Test
    void roleShowWhenJsonThenPrintsTheRole() {
        server.on("GET", "/v1/roles/billing-reader", 200, Fixtures.ROLE);

        Cli.Result r = Cli.against(server).run("role", "show", "billing-reader", "--json");

        assertThat(tree(r.out())).isEqualTo(tree(Fixtures.ROLE));
    }

    @Test
    void roleUpdateWhenNoDescriptionThenKeepsTheCurrentOne() {
        server.on("GET", "/v1/roles/billing-reader", 200, Fixtures.ROLE);
        server.on("PUT", "/v1/roles/billing-reader", 200, Fixtures.ROLE);

        Cli.Result r = Cli.against(server).run("role", "update", "billing-reader", "--permission", "billing.invoices:read");

        assertThat(r.exitCode()).isZero();
        assertThat(server.lastRequest().method()).isEqualTo("PUT");
        assertThat(tree(server.lastRequest().body())).isEqualTo(json(
                "{'description': 'Reads invoices', 'permissions': ['billing.invoices:read']}"));
    }

    @Test
    void roleUpdateWhenDescriptionGivenThenSendsItWithoutReadingTheRole() {
        server.on("PUT", "/v1/roles/billing-reader", 200, Fixtures.ROLE);

        Cli.Result r = Cli.against(server).run("role", "update", "billing-reader", "--permission", "a.b:read",
                "--description", "");

        assertThat(r.exitCode()).isZero();
        assertThat(server.requests()).hasSize(1);
        assertThat(tree(server.lastRequest().body())).isEqualTo(json("{'description': '', 'permissions': ['a.b:read']}"));
    }

    @Test
    void roleDeleteWhenDeletedThenConfirmsAndExits0() {
        server.on("DELETE", "/v1/roles/ops", 204, null);

        Cli.Result r = Cli.against(server).run("role", "delete", "ops");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("Deleted role ops.\n");
    }

    @Test
    void roleDeleteWhenHeldByLiveTokensThenExits1WithTheConflict() {
        server.problem("DELETE", "/v1/roles/ops", 409, "{\"title\":\"Conflict\",\"status\":409,"
                + "\"detail\":\"role 'ops' is held by 2 live tokens\",\"code\":\"conflict\"}");

        Cli.Result r = Cli.against(server).run("role", "delete", "ops", "--json");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("keygate: 409 Conflict: role 'ops' is held by 2 live tokens");
    }

    @Test
    void roleListWhenServerDataHoldsControlCharactersThenPrintsThemHarmlessly() {
        server.on("GET", "/v1/roles", 200, "{\"items\":[" + Fixtures.ROLE.replace("Reads invoices",
                "evil\\u001b[2J\\nline") + "]}");

        Cli.Result r = Cli.against(server).run("role", "list");

        assertThat(r.out()).doesNotContain("\u001b").contains("evil?[2J?line");
    }
}
