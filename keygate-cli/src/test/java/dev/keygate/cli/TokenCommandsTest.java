package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static dev.keygate.cli.TestJson.json;
import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keygate token create|list|show|revoke} against a real server. */
class TokenCommandsTest extends CliEndToEndTest {

    @Test
    void tokenCreateWhenHumanModeThenPrintsOnlyTheSecretToStdoutAndTheRestToStderr() {
        server.createPrincipal("billing-svc", "service");
        server.createRole("billing-reader", "billing.invoices:read");
        server.createRole("audit-reader", "billing.audit:read");
        Instant now = pinClock();

        Cli.Result r = cli().run("token", "create", "--principal", "billing-svc",
                "--role", "billing-reader", "--role", "audit-reader", "--name", "ci", "--env", "live", "--ttl", "36h");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).matches(SECRET);
        String secret = r.out().strip();
        String id = get("/v1/tokens?principal=billing-svc").get("items").get(0).get("id").asText();
        assertThat(r.err()).isEqualTo("""
                Created token %s for billing-svc (roles: billing-reader, audit-reader; environment: live; expires %s).
                The secret is shown only this once: store it now, e.g. in your secret manager.
                """.formatted(id, now.plus(Duration.ofHours(36))));
        JsonNode stored = get("/v1/tokens/" + id);
        assertThat(stored.get("roles")).isEqualTo(json("['billing-reader', 'audit-reader']"));
        assertThat(stored.get("name").asText()).isEqualTo("ci");
        assertThat(stored.get("expires_at").asText()).isEqualTo(now.plus(Duration.ofHours(36)).toString());
        JsonNode verified = server.verify(secret, "billing.audit:read");
        assertThat(verified.get("code").asText()).isEqualTo("VALID");
        assertThat(verified.get("token_id").asText()).isEqualTo(id);
    }

    @Test
    void tokenCreateWhenJsonThenPrintsTheStoredTokenWithItsSecret() {
        server.createPrincipal("json-svc", "service");
        server.createRole("json-reader", "billing.invoices:read");
        Instant expires = pinClock().plus(Duration.ofHours(3));
        String withOffset = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(expires.atOffset(ZoneOffset.ofHours(1)));

        Cli.Result r = cli().run("token", "create", "--principal", "json-svc", "--role", "json-reader",
                "--expires-at", withOffset, "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode printed = tree(r.out());
        String secret = printed.get("token").asText();
        ObjectNode expected = get("/v1/tokens/" + printed.get("id").asText()).deepCopy();
        expected.put("token", secret);
        assertThat(printed).isEqualTo(expected);
        assertThat(printed.get("expires_at").asText()).isEqualTo(expires.toString());
        assertThat(server.verify(secret, "billing.invoices:read").get("code").asText()).isEqualTo("VALID");
    }

    @Test
    void tokenCreateWhenTtlAndExpiresAtBothGivenThenExits2WithoutCallingTheServer() {
        Cli.Result r = Cli.offline().run("token", "create", "--principal", "p", "--role", "r",
                "--ttl", "1h", "--expires-at", "2030-01-01T00:00:00Z");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("mutually exclusive").doesNotContain("cannot reach");
    }

    @Test
    void tokenCreateWhenTtlIsMalformedThenExits2WithTheRule() {
        Cli.Result r = Cli.offline().run("token", "create", "--principal", "p", "--role", "r", "--ttl", "1 week");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'1 week' must be a positive whole number followed by s, m, h or d")
                .doesNotContain("cannot reach");
    }

    @Test
    void tokenCreateWhenCallerMayNotGrantTheRoleThenExits1AndPrintsNoSecret() {
        String minter = server.principalWithToken("minter", "keygate.tokens:create").get("token").asText();
        server.createPrincipal("escalation-target", "service");

        Cli.Result r = cliAs(minter).run("token", "create", "--principal", "escalation-target",
                "--role", "keygate-admin");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("keygate: 403 Forbidden: cannot grant role 'keygate-admin'")
                .doesNotContain("kg_live_");
        assertThat(get("/v1/tokens?principal=escalation-target").get("items")).isEmpty();
    }

    @Test
    void tokenCreateWhenPrincipalIsUnknownThenExits1WithTheFieldError() {
        server.createRole("orphan-role", "billing.invoices:read");

        Cli.Result r = cli().run("token", "create", "--principal", "nobody", "--role", "orphan-role");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("""
                keygate: 400 Invalid request: principal: principal 'nobody' does not exist
                  principal: principal 'nobody' does not exist
                """);
    }

    @Test
    void tokenListWhenPrincipalGivenThenPrintsItsTokensNewestFirst() {
        server.createPrincipal("list-svc", "service");
        server.createRole("list-role", "billing.invoices:read");
        Instant now = pinClock();
        String older = server.mint("list-svc", List.of("list-role"), Map.of("name", "ci", "ttl", "1h"))
                .get("id").asText();
        server.clock().advance(Duration.ofSeconds(1));
        String newer = server.mint("list-svc", List.of("list-role"), Map.of("environment", "staging", "ttl", "2h"))
                .get("id").asText();

        Cli.Result r = cli().run("token", "list", "--principal", "list-svc");

        assertThat(r.exitCode()).isZero();
        // Token ids are random, always 24 characters.
        assertThat(r.out()).isEqualTo("""
                ID                        PRINCIPAL  ROLES      ENV      STATUS  EXPIRES               NAME
                %s  list-svc   list-role  staging  active  %s  -
                %s  list-svc   list-role  live     active  %s  ci
                """.formatted(newer, now.plus(Duration.ofSeconds(1)).plus(Duration.ofHours(2)),
                older, now.plus(Duration.ofHours(1))));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void tokenListWhenStatusAndLimitGivenThenPrintsWhatTheServerSelects() {
        server.createPrincipal("filter-svc", "service");
        server.createRole("filter-role", "billing.invoices:read");
        String revoked = server.mint("filter-svc", List.of("filter-role"), Map.of()).get("id").asText();
        server.mint("filter-svc", List.of("filter-role"), Map.of());
        server.clock().advance(Duration.ofSeconds(1));
        String newestActive = server.mint("filter-svc", List.of("filter-role"), Map.of()).get("id").asText();
        assertThat(cli().run("token", "revoke", revoked).exitCode()).isZero();

        Cli.Result byStatus = cli().run("token", "list", "--principal", "filter-svc", "--status", "revoked", "--json");
        Cli.Result byLimit = cli().run("token", "list", "--principal", "filter-svc", "--status", "active",
                "--limit", "1", "--json");

        assertThat(byStatus.exitCode()).isZero();
        assertThat(tree(byStatus.out())).isEqualTo(get("/v1/tokens?principal=filter-svc&status=revoked"));
        assertThat(tree(byStatus.out()).get("items")).extracting(t -> t.get("id").asText()).containsExactly(revoked);
        assertThat(byLimit.exitCode()).isZero();
        assertThat(tree(byLimit.out()).get("items")).extracting(t -> t.get("id").asText())
                .containsExactly(newestActive);
    }

    @Test
    void tokenListWhenExpiringWithinGivenThenPrintsTheActiveTokensDueSoonestFirst() {
        server.createPrincipal("due-svc", "service");
        server.createRole("due-role", "billing.invoices:read");
        String inTwoDays = server.mint("due-svc", List.of("due-role"), Map.of("ttl", "2d")).get("id").asText();
        String inOneHour = server.mint("due-svc", List.of("due-role"), Map.of("ttl", "1h")).get("id").asText();
        server.mint("due-svc", List.of("due-role"), Map.of("ttl", "30d"));

        Cli.Result due = cli().run("token", "list", "--principal", "due-svc", "--expiring-within", "7d", "--json");

        assertThat(due.exitCode()).isZero();
        assertThat(tree(due.out()).get("items")).extracting(t -> t.get("id").asText())
                .containsExactly(inOneHour, inTwoDays);
    }

    @Test
    void tokenListWhenStatusIsUnknownThenExits2() {
        Cli.Result r = Cli.offline().run("token", "list", "--status", "dead");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'dead' is not one of active, expired, revoked").doesNotContain("cannot reach");
    }

    @Test
    void tokenRevokeWhenReasonThenShowsTheRevokedTokenAndVerifyAnswersRevoked() {
        server.createPrincipal("revoked-svc", "service");
        server.createRole("revoked-role", "billing.invoices:read");
        Instant created = pinClock();
        JsonNode minted = server.mint("revoked-svc", List.of("revoked-role"), Map.of("name", "ci"));
        String id = minted.get("id").asText();
        String admin = idOf(server.adminToken());
        server.clock().advance(Duration.ofHours(1));

        Cli.Result r = cli().run("token", "revoke", id, "--reason", "leaked");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                id           %s
                name         ci
                principal    revoked-svc
                roles        revoked-role
                environment  live
                status       revoked
                created      %s
                created by   %s
                expires      %s
                last used    -
                revoked      %s
                revoked by   %s
                reason       leaked
                """.formatted(id, created, admin, created.plus(Duration.ofHours(24)),
                created.plus(Duration.ofHours(1)), admin));
        Cli.Result verify = Cli.bare().env("KEYGATE_URL", server.baseUri().toString())
                .stdin(minted.get("token").asText()).run("verify");
        assertThat(verify.exitCode()).isEqualTo(3);
        assertThat(verify.out()).isEqualTo("""
                allowed  false
                valid    false
                code     REVOKED
                """);
    }

    @Test
    void tokenRevokeWhenAlreadyRevokedThenSucceedsAndKeepsTheFirstRevocation() {
        server.createPrincipal("twice-svc", "service");
        server.createRole("twice-role", "billing.invoices:read");
        String id = server.mint("twice-svc", List.of("twice-role"), Map.of()).get("id").asText();
        assertThat(cli().run("token", "revoke", id, "--reason", "leaked").exitCode()).isZero();
        JsonNode first = get("/v1/tokens/" + id);
        server.clock().advance(Duration.ofMinutes(5));

        Cli.Result r = cli().run("token", "revoke", id, "--reason", "again", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(first.<ObjectNode>deepCopy().put("revoked_count", 0));
        assertThat(first.get("revoke_reason").asText()).isEqualTo("leaked");
    }

    @Test
    void tokenRevokeWhenGivenASecretInsteadOfAnIdThenExits2WithoutSendingOrEchoingIt() {
        String secret = server.principalWithToken("pasted-svc", "billing.invoices:read").get("token").asText();

        Cli.Result r = cli().run("token", "revoke", secret);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("token secret, not a token id").doesNotContain(secret);
        assertThat(server.verify(secret, null).get("code").asText()).isEqualTo("VALID");
    }

    @Test
    void tokenRevokeWhenTokenIsUnknownThenExits1() {
        Cli.Result r = cli().run("token", "revoke", "tok_00000000000000000000");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("keygate: 404 Not found: token 'tok_00000000000000000000' does not exist\n");
    }

    @Test
    void tokenShowWhenJsonThenPrintsTheToken() {
        String id = server.principalWithToken("shown-svc", "billing.invoices:read").get("id").asText();

        Cli.Result r = cli().run("token", "show", id, "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(get("/v1/tokens/" + id));
    }

    @Test
    void tokenCreateWhenMetadataPairsGivenThenStoresThemAsStringsAndShowPrintsThem() {
        server.createPrincipal("metadata-svc", "service");
        server.createRole("metadata-role", "billing.invoices:read");

        Cli.Result r = cli().run("token", "create", "--principal", "metadata-svc", "--role", "metadata-role",
                "--metadata", "team=billing", "--metadata", "tier=2", "--metadata", "query=a=b");
        String id = idOf(r.out().strip());
        Cli.Result show = cli().run("token", "show", id);
        Cli.Result showJson = cli().run("token", "show", id, "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(get("/v1/tokens/" + id).get("metadata"))
                .isEqualTo(json("{'team': 'billing', 'tier': '2', 'query': 'a=b'}"));
        assertThat(show.out()).contains("\nmetadata     {\"team\":\"billing\",\"tier\":\"2\",\"query\":\"a=b\"}\n");
        assertThat(tree(showJson.out())).isEqualTo(get("/v1/tokens/" + id));
    }

    @Test
    void tokenCreateWhenMetadataJsonGivenThenKeepsItsTypesAndJsonPrintsIt() {
        server.createPrincipal("metadata-json-svc", "service");
        server.createRole("metadata-json-role", "billing.invoices:read");

        Cli.Result r = cli().run("token", "create", "--principal", "metadata-json-svc", "--role", "metadata-json-role",
                "--metadata-json", "{\"tier\": 2, \"tags\": [\"pci\"], \"owner\": {\"team\": \"billing\"}}",
                "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode printed = tree(r.out());
        ObjectNode expected = get("/v1/tokens/" + printed.get("id").asText()).deepCopy();
        expected.put("token", printed.get("token").asText());
        assertThat(printed).isEqualTo(expected);
        assertThat(printed.get("metadata"))
                .isEqualTo(json("{'tier': 2, 'tags': ['pci'], 'owner': {'team': 'billing'}}"));
    }

    @Test
    void tokenShowWhenTheTokenWasUsedThenLastUsedNamesTheTimeAndTheAddressOfTheVerification() {
        JsonNode minted = server.principalWithToken(unique("last-ip-svc"), "billing.invoices:read");
        String id = minted.get("id").asText();
        Instant now = pinClock();
        assertThat(cli().run("token", "show", id).out()).containsPattern("\nlast used +-\n");

        TestServer.expect(server.post("/v1/verify", null, Map.of("token", minted.get("token").asText(),
                "context", Map.of("ip", "203.0.113.61"))), 200);
        server.flushAudit();
        Cli.Result show = cli().run("token", "show", id);
        Cli.Result showJson = cli().run("token", "show", id, "--json");

        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).containsPattern("\nlast used +" + now.truncatedTo(ChronoUnit.SECONDS)
                + " from 203\\.0\\.113\\.61\n");
        assertThat(tree(showJson.out()).get("last_used_ip").asText()).isEqualTo("203.0.113.61");
        assertThat(tree(showJson.out())).isEqualTo(get("/v1/tokens/" + id));
    }

    @Test
    void tokenShowWhenNoMetadataThenPrintsNoMetadataLine() {
        String id = server.principalWithToken("plain-metadata-svc", "billing.invoices:read").get("id").asText();

        Cli.Result r = cli().run("token", "show", id);

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).doesNotContain("\nmetadata ");
        assertThat(get("/v1/tokens/" + id).get("metadata")).isEqualTo(json("{}"));
    }

    @Test
    void tokenCreateWhenMetadataIsMalformedOrGivenBothWaysThenExits2WithoutCallingTheServer() {
        Cli.Result both = Cli.offline().run("token", "create", "--principal", "p", "--role", "r",
                "--metadata", "team=billing", "--metadata-json", "{}");
        Cli.Result notAPair = Cli.offline().run("token", "create", "--principal", "p", "--role", "r",
                "--metadata", "team");
        Cli.Result notAnObject = Cli.offline().run("token", "create", "--principal", "p", "--role", "r",
                "--metadata-json", "[\"team\"]");

        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive").doesNotContain("cannot reach");
        assertThat(notAPair.exitCode()).isEqualTo(2);
        assertThat(notAPair.err()).contains("KEY=VALUE").doesNotContain("cannot reach");
        assertThat(notAnObject.exitCode()).isEqualTo(2);
        assertThat(notAnObject.err()).contains("must be a JSON object").doesNotContain("cannot reach");
    }

    @Test
    void tokenCreateWhenMetadataIsOver4KibThenExits1WithTheServersFieldError() {
        server.createPrincipal("big-metadata-svc", "service");
        server.createRole("big-metadata-role", "billing.invoices:read");

        Cli.Result r = cli().run("token", "create", "--principal", "big-metadata-svc", "--role", "big-metadata-role",
                "--metadata", "blob=" + "x".repeat(5000));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("keygate: 400 Invalid request: ").contains("\n  metadata: ");
    }
}
