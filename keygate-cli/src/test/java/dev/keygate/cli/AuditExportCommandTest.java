package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keygate audit export} against a real server: every matching event once, oldest first, one per line. */
class AuditExportCommandTest extends CliEndToEndTest {

    @Test
    void exportWhenEventsSpanSeveralPagesThenWritesEachOnceOldestFirstAsTheApiHasIt() {
        String principal = unique("export-pages");
        JsonNode minted = server.principalWithToken(principal, "keygate.roles:write");
        Instant since = pinClock();
        for (int i = 0; i < 7; i++) {
            server.createRole(unique("export-pages-r"), "a:read");
            TestServer.expect(server.post("/v1/roles", minted.get("token").asText(),
                    Map.of("name", unique("export-pages-own"), "permissions", List.of("a:read"))), 201);
        }

        Cli.Result r = cli().run("audit", "export", "--since", since.toString(), "--principal", principal,
                "--format", "jsonl", "--page-size", "3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(7);
        List<JsonNode> api = new ArrayList<>();
        get("/v1/audit?principal=" + principal + "&order=oldest&since=" + since).get("items").forEach(api::add);
        assertThat(lines.stream().map(TestJson::tree).toList()).isEqualTo(api);
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("\n").startsWith("{\"id\":"));
        assertThat(api).extracting(e -> e.get("id").asLong()).isSorted().doesNotHaveDuplicates();
        assertThat(r.err()).isEqualTo("exported 7 events\n");
    }

    @Test
    void exportWhenUntilAndDecisionGivenThenOnlyMatchingEventsAndNoSecret() {
        JsonNode minted = server.principalWithToken(unique("export-filters"), "billing.invoices:read");
        String secret = minted.get("token").asText();
        Instant since = pinClock();
        server.verify(secret, "billing.invoices:read");
        server.verify(secret, "billing.invoices:write");
        server.flushAudit();
        server.clock().advance(Duration.ofMinutes(5));
        Instant until = server.clock().instant();
        server.verify(secret, "billing.refunds:write");
        server.flushAudit();

        Cli.Result r = cli().run("audit", "export", "--since", since.toString(), "--until", until.toString(),
                "--token-id", minted.get("id").asText(), "--decision", "deny");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().map(TestJson::tree).map(e -> e.get("permission").asText()).toList())
                .containsExactly("billing.invoices:write");
        JsonNode event = tree(r.out().lines().findFirst().orElseThrow());
        assertThat(event.get("chain").asText()).isEqualTo("verify");
        assertThat(event.get("seq").asLong()).isPositive();
        assertThat(event.get("hash").asText()).matches("[0-9a-f]{64}");
        assertThat(r.out()).doesNotContain(secret);
    }

    @Test
    void exportWhenNothingMatchesThenWritesNothingAndExits0() {
        Cli.Result r = cli().run("audit", "export", "--since", "2000-01-01T00:00:00Z", "--until",
                "2000-01-02T00:00:00Z");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("exported 0 events\n");
    }

    @Test
    void exportWhenFormatSinceOrDecisionInvalidThenExits2BeforeAnyRequest() {
        assertThat(Cli.offline().run("audit", "export", "--since", "2026-01-01T00:00:00Z", "--format", "csv")
                .err()).contains("--format must be jsonl");
        assertThat(Cli.offline().run("audit", "export").exitCode()).isEqualTo(2);
        Cli.Result decision = Cli.offline().run("audit", "export", "--since", "2026-01-01T00:00:00Z",
                "--decision", "maybe");
        assertThat(decision.exitCode()).isEqualTo(2);
        assertThat(decision.err()).contains("--decision must be allow or deny").doesNotContain("cannot reach");
        Cli.Result until = Cli.offline().run("audit", "export", "--since", "2026-01-02T00:00:00Z", "--until",
                "2026-01-01T00:00:00Z");
        assertThat(until.exitCode()).isEqualTo(2);
        assertThat(until.err()).contains("--until must be after --since");
    }
}
