package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keygate token usage} against a real server: the human view, {@code --json}, and its usage errors. */
class TokenUsageCommandTest extends CliEndToEndTest {

    @Test
    void tokenUsageWhenHumanModeThenPrintsLastUseTotalsAndATableOfEachBucket() {
        Instant day = server.clock().instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
        server.clock().set(day.plus(Duration.ofMinutes(20)));
        JsonNode token = minted("cli-usage", Map.of());
        String secret = token.get("token").asText();
        server.verify(secret, "billing.invoices:read");
        server.verify(secret, null);
        server.clock().set(day.plus(Duration.ofHours(2)));
        server.verify(secret, "billing.invoices:write");
        server.flushAudit();

        Cli.Result r = cli().run("token", "usage", id(token), "--since", day.toString(), "--until",
                day.plus(Duration.ofHours(3)).toString());

        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        String h0 = day.toString();
        String h2 = day.plus(Duration.ofHours(2)).toString();
        assertThat(r.out()).isEqualTo("""
                token      %s
                last used  %s from 127.0.0.1
                range      %s to %s, by hour
                allowed    2
                denied     1

                PERMISSION              ALLOW  DENY
                (none asked)            1      0
                billing.invoices:read   1      0
                billing.invoices:write  0      1

                START                 PERMISSION              ALLOW  DENY
                %s  (none asked)            1      0
                %s  billing.invoices:read   1      0
                %s  billing.invoices:write  0      1
                """.formatted(id(token), h2, h0, day.plus(Duration.ofHours(3)), h0, h0, h2));
    }

    @Test
    void tokenUsageWhenJsonThenPrintsTheServersAnswer() {
        JsonNode token = minted("cli-usage-json", Map.of());
        server.verify(token.get("token").asText(), "billing.invoices:read");
        server.flushAudit();

        Cli.Result r = cli().run("token", "usage", id(token), "--granularity", "day", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(get("/v1/tokens/" + id(token) + "/usage?granularity=day"));
        assertThat(tree(r.out()).get("totals").get("allow").asLong()).isEqualTo(1);
    }

    @Test
    void tokenUsageWhenNeverUsedThenSaysSo() {
        JsonNode token = minted("cli-usage-never", Map.of());

        Cli.Result r = cli().run("token", "usage", id(token));

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("last used  never").endsWith("no verifications in this range\n");
    }

    @Test
    void tokenUsageWhenGranularityUnknownOrSecretGivenThenExits2WithoutCallingTheServer() {
        Cli.Result week = Cli.offline().run("token", "usage", "tok_00000000000000000000", "--granularity", "week");
        Cli.Result secret = Cli.offline().run("token", "usage", Cli.ADMIN);

        assertThat(week.exitCode()).isEqualTo(2);
        assertThat(week.err()).contains("'week' is not one of hour, day").doesNotContain("cannot reach");
        assertThat(secret.exitCode()).isEqualTo(2);
        assertThat(secret.err()).contains("token secret, not a token id").doesNotContain(Cli.ADMIN);
    }

    @Test
    void tokenUsageWhenUnknownTokenThenExits1WithTheServersProblem() {
        Cli.Result r = cli().run("token", "usage", "tok_00000000000000000000");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("does not exist");
    }

    @Test
    void tokenUsageWhenCallerLacksTokensReadThenExits1() {
        String principal = unique("cli-usage-weak");
        String role = principalWithRole(principal, "keygate.audit:read");
        String weak = server.mint(principal, List.of(role), Map.of()).get("token").asText();
        JsonNode token = minted("cli-usage-target", Map.of());

        Cli.Result r = cliAs(weak).run("token", "usage", id(token));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("keygate.tokens:read");
    }
}
