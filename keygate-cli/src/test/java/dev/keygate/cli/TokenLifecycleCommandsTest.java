package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keygate token rotate}, the lifecycle options of {@code token create} ({@code --permanent}, {@code --child},
 * {@code --rotate-every}) and {@code token list --rotation-due}, and how revocation of a token tree and the
 * rotation links are shown, against a real server.
 */
class TokenLifecycleCommandsTest extends CliEndToEndTest {

    // ---- token rotate --------------------------------------------------------------------------------------

    @Test
    void tokenRotateWhenGraceGivenThenPrintsOnlyTheNewSecretToStdoutAndTheRestToStderr() {
        String principal = unique("rotated-svc");
        String role = principalWithRole(principal, "billing.invoices:read");
        JsonNode old = server.mint(principal, List.of(role), Map.of("ttl", "2h"));
        Instant now = pinClock();

        Cli.Result r = cli().run("token", "rotate", id(old), "--grace", "1h");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).matches(SECRET);
        String secret = r.out().strip();
        String successor = idOf(secret);
        assertThat(r.err()).isEqualTo("""
                Rotated token %s into token %s for %s (roles: %s; environment: live; expires %s).
                %s keeps working for 1h, then verification answers ROTATED.
                The secret is shown only this once: store it now, e.g. in your secret manager.
                """.formatted(id(old), successor, principal, role, now.plus(Duration.ofHours(2)), id(old)));
        assertThat(get("/v1/tokens/" + id(old)).get("rotated_to").asText()).isEqualTo(successor);
        assertThat(code(old.get("token").asText())).isEqualTo("VALID");
        server.clock().advance(Duration.ofHours(1));
        assertThat(code(old.get("token").asText())).isEqualTo("ROTATED");
        assertThat(code(secret)).isEqualTo("VALID");
    }

    @Test
    void tokenRotateWhenJsonThenPrintsTheStoredSuccessorWithItsSecretAndTheOldTokenIsRotated() {
        JsonNode old = minted("json-rotated", Map.of());

        Cli.Result r = cli().run("token", "rotate", id(old), "--json");
        Cli.Result rotated = cli().run("token", "list", "--principal", principalOf(old), "--status", "rotated",
                "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode printed = tree(r.out());
        ObjectNode expected = get("/v1/tokens/" + printed.get("id").asText()).deepCopy();
        expected.put("token", printed.get("token").asText());
        assertThat(printed).isEqualTo(expected);
        assertThat(printed.get("rotated_from").asText()).isEqualTo(id(old));
        assertThat(rotated.exitCode()).isZero();
        assertThat(tree(rotated.out()).get("items")).extracting(t -> t.get("id").asText()).containsExactly(id(old));
        assertThat(code(old.get("token").asText())).isEqualTo("ROTATED");
    }

    @Test
    void tokenRotateWhenNoGraceThenSaysTheOldTokenStoppedWorking() {
        JsonNode old = minted("rotated-now", Map.of());

        Cli.Result r = cli().run("token", "rotate", id(old), "--grace", "0");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("\n" + id(old) + " stopped working: verification answers ROTATED.\n");
        assertThat(code(old.get("token").asText())).isEqualTo("ROTATED");
    }

    @Test
    void tokenRotateWhenRotatedAlreadyThenExits1WithTheConflictAndPrintsNoSecret() {
        JsonNode old = minted("rotated-twice", Map.of());
        assertThat(cli().run("token", "rotate", id(old), "--grace", "1h").exitCode()).isZero();

        Cli.Result r = cli().run("token", "rotate", id(old));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("keygate: 409 Conflict: ").contains("rotated already")
                .doesNotContain("kg_live_");
    }

    @Test
    void tokenRotateWhenGraceIsMalformedThenExits2WithoutCallingTheServer() {
        Cli.Result r = Cli.offline().run("token", "rotate", "tok_00000000000000000000", "--grace", "1 hour");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'1 hour' must be a positive whole number followed by s, m, h or d")
                .contains("or 0").doesNotContain("cannot reach");
    }

    @Test
    void tokenRotateWhenGivenASecretInsteadOfAnIdThenExits2WithoutSendingOrEchoingIt() {
        String secret = minted("rotated-pasted", Map.of()).get("token").asText();

        Cli.Result r = cli().run("token", "rotate", secret);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("token secret, not a token id").doesNotContain(secret);
        assertThat(code(secret)).isEqualTo("VALID");
    }

    // ---- token show: links ---------------------------------------------------------------------------------

    @Test
    void tokenShowWhenChildOnAScheduleThatWasRotatedThenShowsParentScheduleAndLinks() {
        JsonNode parent = delegator("show-parent");
        String principal = principalOf(parent);
        Instant created = pinClock();
        Cli.Result minted = mintChild(parent, "--rotate-every", "7d", "--ttl", "12h", "--json");
        assertThat(minted.exitCode()).as(minted.err()).isZero();
        String child = tree(minted.out()).get("id").asText();
        server.clock().advance(Duration.ofHours(1));
        String successor = idOf(cli().run("token", "rotate", child, "--grace", "30m").out().strip());

        Cli.Result r = cli().run("token", "show", child);

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                id             %s
                name           -
                principal      %s
                roles          %s-role
                environment    live
                status         active
                created        %s
                created by     %s
                expires        %s
                parent         %s
                rotate every   7d
                rotation due   %s
                rotated to     %s
                rotation ends  %s
                last used      -
                """.formatted(child, principal, principal, created, id(parent), created.plus(Duration.ofHours(12)),
                id(parent), created.plus(Duration.ofDays(7)), successor,
                created.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(30))));
        assertThat(cli().run("token", "show", successor).out()).contains("\nrotated from  " + child + "\n");
    }

    // ---- token create --child, --rotate-every; token list --rotation-due -----------------------------------

    @Test
    void tokenCreateWhenChildThenTheCallingTokenIsItsParentAndRevokingThatSaysHowManyWent() {
        JsonNode parent = delegator("parent-svc");
        String principal = principalOf(parent);

        Cli.Result created = mintChild(parent);
        Cli.Result revoked = cli().run("token", "revoke", id(parent), "--reason", "agent retired");

        assertThat(created.exitCode()).as(created.err()).isZero();
        String child = created.out().strip();
        assertThat(get("/v1/tokens?principal=" + principal).get("items")).extracting(t -> t.path("parent_id").asText())
                .containsExactlyInAnyOrder(id(parent), "");
        assertThat(revoked.exitCode()).isZero();
        assertThat(revoked.out()).endsWith("reason       agent retired\n"
                + "Revoked 2 tokens: this one and 1 more (its descendants, and the tokens it replaced by rotation "
                + "still in their grace period).\n");
        assertThat(code(child)).isEqualTo("REVOKED");
    }

    @Test
    void tokenRevokeWhenJsonThenPrintsTheTokenAndHowManyTokensWereRevoked() {
        JsonNode parent = delegator("json-parent");
        Cli.Result child = mintChild(parent);
        assertThat(child.exitCode()).as(child.err()).isZero();

        Cli.Result r = cli().run("token", "revoke", id(parent), "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(get("/v1/tokens/" + id(parent)).<ObjectNode>deepCopy()
                .put("revoked_count", 2));
    }

    @Test
    void tokenListWhenRotationDueThenPrintsOnlyTheScheduledTokensPastTheirDueTime() {
        String principal = unique("due-rotation");
        String role = principalWithRole(principal, "billing.invoices:read");
        Cli.Result scheduled = cli().run("token", "create", "--principal", principal, "--role", role,
                "--ttl", "90d", "--rotate-every", "30d");
        server.mint(principal, List.of(role), Map.of("ttl", "90d"));
        assertThat(scheduled.exitCode()).as(scheduled.err()).isZero();
        String id = idOf(scheduled.out().strip());

        Cli.Result early = cli().run("token", "list", "--principal", principal, "--rotation-due", "--json");
        server.clock().advance(Duration.ofDays(30));
        Cli.Result due = cli().run("token", "list", "--principal", principal, "--rotation-due", "--json");

        assertThat(tree(early.out()).get("items")).isEmpty();
        assertThat(due.exitCode()).isZero();
        assertThat(tree(due.out())).isEqualTo(get("/v1/tokens?principal=" + principal + "&rotation_due=true"));
        assertThat(tree(due.out()).get("items")).extracting(t -> t.get("id").asText()).containsExactly(id);
        assertThat(get("/v1/tokens/" + id).get("rotate_every").asText()).isEqualTo("30d");
    }

    @Test
    void tokenCreateWhenRotateEveryIsMalformedThenExits2WithoutCallingTheServer() {
        Cli.Result r = Cli.offline().run("token", "create", "--principal", "p", "--role", "r",
                "--rotate-every", "monthly");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'monthly' must be a positive whole number").doesNotContain("cannot reach");
    }

    // ---- permanent tokens ----------------------------------------------------------------------------------

    @Test
    void tokenCreateWhenPermanentThenItNeverExpiresAndEveryViewSaysNever() {
        try (TestServer allowing = TestServer.start(store, b -> b.allowPermanentTokens(true))) {
            allowing.createPrincipal("forever-svc", "service");
            allowing.createRole("forever-role", "billing.invoices:read");
            Cli cli = Cli.against(allowing);

            Cli.Result created = cli.run("token", "create", "--principal", "forever-svc", "--role", "forever-role",
                    "--permanent");

            assertThat(created.exitCode()).as(created.err()).isZero();
            assertThat(created.err()).startsWith("Created token ").contains("; expires never).\n");
            String secret = created.out().strip();
            String id = allowing.verify(secret, null).get("token_id").asText();
            allowing.flushAudit(); // the verification's last use is written after its answer
            JsonNode stored = TestServer.expect(allowing.get("/v1/tokens/" + id, allowing.adminToken()), 200);
            assertThat(stored.get("permanent").asBoolean()).isTrue();
            assertThat(stored.has("expires_at")).isFalse();
            assertThat(cli.run("token", "list", "--principal", "forever-svc").out()).contains("  active  never    -\n");
            assertThat(cli.run("token", "show", id).out()).contains("\nexpires      never\n");
            assertThat(tree(cli.run("token", "show", id, "--json").out())).isEqualTo(stored);
            assertThat(cli.stdin(secret).run("verify").out()).endsWith("expires      never\n");
        }
    }

    @Test
    void tokenCreateWhenPermanentButTheServerDoesNotAllowItThenExits1NamingTheFlag() {
        String principal = unique("not-forever");
        String role = principalWithRole(principal, "billing.invoices:read");

        Cli.Result r = cli().run("token", "create", "--principal", principal, "--role", role, "--permanent");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("keygate: 400 ").contains("--allow-permanent-tokens");
    }

    @Test
    void tokenCreateWhenPermanentAndTtlBothGivenThenExits2WithoutCallingTheServer() {
        Cli.Result r = Cli.offline().run("token", "create", "--principal", "p", "--role", "r",
                "--permanent", "--ttl", "1h");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("mutually exclusive").doesNotContain("cannot reach");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** A new principal with a token that may mint tokens (the admin's answer, secret included). */
    private static JsonNode delegator(String base) {
        return server.principalWithToken(unique(base), "billing.invoices:read", "keygate.tokens:create");
    }

    /** Runs {@code token create --child} as {@code parent}, for its own principal and role, with {@code more}. */
    private static Cli.Result mintChild(JsonNode parent, String... more) {
        List<String> args = new ArrayList<>(List.of("token", "create", "--principal", principalOf(parent),
                "--role", principalOf(parent) + "-role", "--child"));
        args.addAll(List.of(more));
        return cliAs(parent.get("token").asText()).run(args.toArray(String[]::new));
    }

    private static String code(String secret) {
        return server.verify(secret, null).get("code").asText();
    }
}
