package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.verify.VerifyService;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keygate audit} against a real server, reading the events that other commands caused. */
class AuditCommandTest extends CliEndToEndTest {

    @Test
    void auditWhenMoreEventsThanTheLimitThenPrintsTheNewestAndTheNextCursorToStderr() {
        JsonNode auditor = server.principalWithToken("auditor", "keygate.roles:write", "keygate.audit:read");
        Cli asAuditor = cliAs(auditor.get("token").asText());
        Instant first = pinClock();
        assertThat(asAuditor.run("role", "create", "first-role", "--permission", "a.b:read").exitCode()).isZero();
        server.clock().advance(Duration.ofMinutes(1));
        assertThat(asAuditor.run("role", "create", "second-role", "--permission", "a.b:read", "--permission",
                "a.c:read").exitCode()).isZero();

        Cli.Result page1 = asAuditor.run("audit", "--principal", "auditor", "--limit", "1");

        assertThat(page1.exitCode()).isZero();
        JsonNode expected = get("/v1/audit?principal=auditor&limit=1");
        String id = expected.get("items").get(0).get("id").asText();
        String seq = expected.get("items").get(0).get("seq").asText();
        String idColumn = "%-" + Math.max("ID".length(), id.length()) + "s";
        String seqColumn = "%-" + Math.max("SEQ".length(), seq.length()) + "s";
        assertThat(page1.out()).isEqualTo((idColumn + "  CHAIN  " + seqColumn + "  TIME                  ACTION       "
                + "COUNT  TOKEN                     PRINCIPAL  TARGET       PERMISSION           DECISION  CODE  REQUEST IP  "
                + "DETAIL\n"
                + idColumn + "  admin  " + seqColumn + "  %s  role.create  1      %s  auditor    second-role  "
                + "keygate.roles:write  allow     OK    -           permissions=a.b:read,a.c:read\n")
                .formatted("ID", "SEQ", id, seq, first.plus(Duration.ofMinutes(1)), auditor.get("id").asText()));
        String cursor = expected.get("next_cursor").asText();
        assertThat(page1.err()).isEqualTo("next page: --cursor " + cursor + "\n");

        Cli.Result page2 = asAuditor.run("audit", "--principal", "auditor", "--limit", "1", "--cursor", cursor,
                "--json");

        assertThat(page2.exitCode()).isZero();
        assertThat(tree(page2.out()).get("items")).extracting(e -> e.get("target").asText())
                .containsExactly("first-role");
    }

    @Test
    void auditWhenLastPageIsFullThenPrintsNoCursor() {
        server.verify(server.principalWithToken("quiet-svc", "billing.invoices:read").get("token").asText(), null);
        server.flushAudit();

        Cli.Result r = cli().run("audit", "--principal", "quiet-svc", "--limit", "1");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.out()).contains("  verify  ", "  quiet-svc  ", "  VALID  ");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void auditWhenTokenIsCreatedVerifiedAndRevokedThenListsEachActionNewestFirst() {
        server.createPrincipal("lifecycle-svc", "service");
        server.createRole("lifecycle-role", "billing.invoices:read");
        String secret = cli().run("token", "create", "--principal", "lifecycle-svc", "--role", "lifecycle-role")
                .out().strip();
        String id = idOf(secret);
        // Verify events are written in the background: each is flushed so that the log's order is the test's.
        server.flushAudit();
        Cli verifier = Cli.bare().env("KEYGATE_URL", server.baseUri().toString()).env("KEYGATE_VERIFY_TOKEN", secret);
        assertThat(verifier.run("verify", "--permission", "billing.invoices:write").exitCode()).isEqualTo(3);
        server.flushAudit();
        assertThat(cli().run("token", "revoke", id, "--reason", "rotated").exitCode()).isZero();
        assertThat(verifier.run("verify").exitCode()).isEqualTo(3);
        server.flushAudit();

        Cli.Result r = cli().run("audit", "--token-id", id, "--json");

        assertThat(r.exitCode()).isZero();
        JsonNode page = tree(r.out());
        // Presenting the revoked token raised a dead_token_use alert, recorded with the verify event that raised it
        // (in its batch, just before it).
        assertThat(page.get("items")).extracting(e -> e.get("action").asText() + " " + e.get("code").asText())
                .containsExactly("verify REVOKED", "alert.dead_token_use OK", "token.revoke OK", "verify FORBIDDEN",
                        "verify VALID", "token.create OK");
        assertThat(page.get("items").get(2).get("detail").asText()).isEqualTo("reason=rotated");
        assertThat(page).isEqualTo(get("/v1/audit?token_id=" + id));
    }

    @Test
    void auditWhenFiltersGivenThenPrintsOnlyTheEventsTheyMatch() {
        JsonNode minted = server.principalWithToken("filtered-svc", "billing.invoices:read");
        String secret = minted.get("token").asText();
        String id = minted.get("id").asText();
        server.verify(secret, "billing.invoices:read");
        server.flushAudit();
        Instant since = pinClock().plus(Duration.ofMinutes(10));
        server.clock().set(since);
        server.verify(secret, "billing.invoices:write");
        server.flushAudit();
        server.verify(secret, "billing.invoices:read");
        server.flushAudit();

        Cli.Result r = cli().run("audit", "--token-id", id, "--principal", "filtered-svc", "--action", "verify",
                "--since", since.toString(), "--limit", "1", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(get("/v1/audit?token_id=" + id
                + "&principal=filtered-svc&action=verify&since=" + since + "&limit=1"));
        assertThat(tree(r.out()).get("items")).extracting(e -> e.get("code").asText()).containsExactly("VALID");
        assertThat(tree(r.out()).get("next_cursor").isNull()).as("the FORBIDDEN one is next").isFalse();
    }

    @Test
    void auditWhenVerificationsAlikeWereRecordedTogetherThenCountColumnAddsUpToThem() {
        JsonNode minted = server.principalWithToken("repeat-svc", "billing.invoices:read");
        VerifyService verifier = server.server().verifier();
        for (int i = 0; i < 5; i++) { // microseconds apart: the audit writer takes them together
            verifier.verify(new VerifyService.Request(minted.get("token").asText(), "billing.invoices:read", null,
                    null, null), "10.0.0.1", "repeat-test");
        }
        server.flushAudit();

        Cli.Result r = cli().run("audit", "--token-id", minted.get("id").asText(), "--action", "verify");

        assertThat(r.exitCode()).isZero();
        List<String> rows = r.out().lines().skip(1).toList();
        int count = r.out().lines().findFirst().orElseThrow().indexOf("COUNT");
        assertThat(rows).as("fewer rows than verifications").hasSizeLessThan(5);
        assertThat(rows.stream().mapToInt(l -> Integer.parseInt(l.substring(count).split(" +")[0])).sum())
                .isEqualTo(5);
    }

    @Test
    void auditWhenJsonAndLastPageThenPrintsNextCursorAsNull() {
        JsonNode minted = server.principalWithToken("json-audit-svc", "billing.invoices:read");

        Cli.Result r = cli().run("audit", "--token-id", minted.get("id").asText(), "--json");

        assertThat(r.exitCode()).isZero();
        JsonNode page = tree(r.out());
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.has("next_cursor")).isTrue();
        assertThat(page.get("next_cursor").isNull()).isTrue();
        assertThat(page).isEqualTo(get("/v1/audit?token_id=" + minted.get("id").asText()));
    }

    @Test
    void auditWhenSinceIsNotATimeThenExits2() {
        Cli.Result r = Cli.offline().run("audit", "--since", "yesterday");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'yesterday' is not an RFC 3339 time").doesNotContain("cannot reach");
    }

    @Test
    void auditWhenLimitIsOutOfRangeThenExits2() {
        Cli.Result r = Cli.offline().run("audit", "--limit", "5000");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--limit must be between 1 and 1000").doesNotContain("cannot reach");
    }

    @Test
    void auditWhenDecisionUntilAndOrderGivenThenPrintsTheMatchingPageAsTheApiHasIt() {
        JsonNode minted = server.principalWithToken(unique("order-svc"), "billing.invoices:read");
        String secret = minted.get("token").asText();
        Instant since = pinClock();
        server.verify(secret, "billing.invoices:write");
        server.verify(secret, "billing.refunds:write");
        server.verify(secret, "billing.invoices:read");
        server.flushAudit();
        server.clock().advance(Duration.ofMinutes(1));
        Instant until = server.clock().instant();
        server.verify(secret, "billing.credits:write");
        server.flushAudit();

        Cli.Result r = cli().run("audit", "--token-id", id(minted), "--decision", "deny", "--since", since.toString(),
                "--until", until.toString(), "--order", "oldest", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(tree(r.out())).isEqualTo(get("/v1/audit?token_id=" + id(minted) + "&decision=deny&since=" + since
                + "&until=" + until + "&order=oldest"));
        assertThat(tree(r.out()).get("items")).extracting(e -> e.get("permission").asText())
                .containsExactly("billing.invoices:write", "billing.refunds:write");
    }

    @Test
    void auditWhenOrderOrDecisionUnknownThenExits2() {
        assertThat(Cli.offline().run("audit", "--order", "sideways").err())
                .contains("--order must be newest or oldest");
        assertThat(Cli.offline().run("audit", "--decision", "perhaps").exitCode()).isEqualTo(2);
    }
}
