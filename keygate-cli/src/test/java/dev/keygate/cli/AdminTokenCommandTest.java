package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.Postgres;
import dev.keygate.server.testing.StoreKind;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keygate admin-token}: recovery straight in a real store, as docs/cli.md describes it, while the server
 * keeps running on that store.
 */
class AdminTokenCommandTest extends CliEndToEndTest {

    @Test
    void adminTokenWhenServerRunsThenPrintsOnlyTheSecretToStdoutAndTheTokenWorks() {
        Cli.Result r = recoveryOn(server);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).matches(SECRET);
        String secret = r.out().strip();
        assertThat(r.err()).contains("shown only once").doesNotContain(secret);
        Cli.Result roles = cliAs(secret).run("role", "list");
        assertThat(roles.exitCode()).as(roles.err()).isZero();
        assertThat(roles.out()).contains("\nkeygate-admin ");
    }

    @Test
    void adminTokenWhenRecoveringThenTheAuditLogShowsItAsASystemEvent() {
        String secret = recoveryOn(server).out().strip();

        Cli.Result r = cliAs(secret).run("audit", "--principal", "system", "--action", "token.create", "--limit", "1",
                "--json");

        assertThat(r.exitCode()).isZero();
        JsonNode event = tree(r.out()).get("items").get(0);
        assertThat(event.get("target").asText()).isEqualTo(idOf(secret));
        assertThat(event.get("detail").asText()).contains("recovery");
    }

    @Test
    void adminTokenWhenEveryAdminTokenIsRevokedThenMintsOneThatGetsBackIn() {
        // A server of its own: this test locks its admin out.
        try (TestServer locked = TestServer.start(store)) {
            String lostId = locked.verify(locked.adminToken(), null).get("token_id").asText();
            assertThat(Cli.against(locked).run("token", "revoke", lostId, "--reason", "lost").exitCode()).isZero();
            assertThat(Cli.against(locked).run("role", "list").exitCode()).isEqualTo(1);

            Cli.Result r = recoveryOn(locked);

            assertThat(r.exitCode()).as(r.err()).isZero();
            String secret = r.out().strip();
            Cli.Result tokens = Cli.as(locked, secret).run("token", "list", "--principal", "admin", "--json");
            assertThat(tokens.exitCode()).as(tokens.err()).isZero();
            assertThat(tree(tokens.out()).get("items"))
                    .extracting(t -> t.get("id").asText() + " " + t.get("status").asText())
                    .containsExactlyInAnyOrder(lostId + " revoked",
                            locked.verify(secret, null).get("token_id").asText() + " active");
        }
    }

    /** Runs {@code keygate admin-token} on {@code target}'s store, named as an operator would name it. */
    private static Cli.Result recoveryOn(TestServer target) {
        if (target.kind() == StoreKind.SQLITE) {
            return Cli.bare().run("admin-token", "--data-dir", target.dir().resolve("data").toString());
        }
        return Cli.bare().env("KEYGATE_DB_USER", Postgres.USER).run("admin-token", "--db-url", target.dbUrl());
    }
}
