package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keygate report} against a real server: the human sections, {@code --json}, and its errors. */
class ReportCommandTest extends CliEndToEndTest {

    @Test
    void reportWhenHumanModeThenPrintsEachSectionWithTheSuggestion() {
        Instant t = server.clock().instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1))
                .plus(Duration.ofHours(1));
        server.clock().set(t);
        String p = unique("cli-report");
        server.createPrincipal(p, "service");
        server.createRole(p + "-all", p + ".docs:*");
        server.createRole(p + "-reader", p + ".docs:read");
        JsonNode wide = server.mint(p, List.of(p + "-all"), Map.of("ttl", "30d"));
        JsonNode idle = server.mint(p, List.of(p + "-reader"), Map.of("ttl", "5d"));
        server.clock().set(t.plus(Duration.ofDays(2)));
        server.verify(wide.get("token").asText(), p + ".docs:read");
        server.flushAudit();
        server.clock().set(t.plus(Duration.ofDays(3)).plus(Duration.ofHours(1)));

        Cli.Result r = cli().run("report", "--days", "3");

        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        int active = get("/v1/reports/hygiene?days=3").get("active_tokens").asInt();
        assertThat(r.out()).startsWith("hygiene of " + active + " active tokens (revoked, expired and rotated-out "
                + "tokens are left out); use counted since " + t.minus(Duration.ofHours(1)) + " (3 days)\n");
        assertThat(r.out()).contains("\nunused for 3 days: none\n", "\nnever used: ", "\nover-scoped: ",
                "\nnot enough history to judge scope (younger than 3 days): ", "\npermanent: none\n",
                "\nexpiring within 7 days: ", "\npast their rotation date: none\n",
                "\nallowed to write with no IP binding: ");
        assertThat(r.out()).containsPattern(Pattern.compile("(?m)^" + id(wide) + " +" + p + " +- +" + Pattern.quote(
                p + ".docs:* (used " + p + ".docs:read)") + " +" + Pattern.quote("use role " + p
                + "-reader (exactly what it used)") + "$"));
        assertThat(r.out()).containsPattern(Pattern.compile("(?m)^" + id(idle) + " +" + p + " +" + Pattern.quote(
                p + ".docs:read") + " +- +revoke: it used none of its permissions$"));
        assertThat(r.out()).containsPattern(Pattern.compile("(?m)^" + id(idle) + " +" + p + " +- +"
                + t.plus(Duration.ofDays(5)) + "$"));
        assertThat(r.out()).containsPattern(Pattern.compile("(?m)^" + id(wide) + " +" + p + " +- +"
                + Pattern.quote(p + ".docs:*") + "$"));
    }

    @Test
    void reportWhenJsonThenPrintsTheServersAnswer() {
        Cli.Result r = cli().run("report", "--json", "--days", "7");

        assertThat(r.exitCode()).isZero();
        assertThat(tree(r.out())).isEqualTo(get("/v1/reports/hygiene?days=7"));
    }

    @Test
    void reportWhenDaysOutOfRangeThenExits2WithoutCallingTheServer() {
        Cli.Result r = Cli.offline().run("report", "--days", "401");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--days must be between 1 and 400, was 401").doesNotContain("cannot reach");
    }

    @Test
    void reportWhenCallerLacksReportsReadThenExits1NamingThePermission() {
        String principal = unique("cli-report-weak");
        String role = principalWithRole(principal, "keygate.tokens:read");
        String weak = server.mint(principal, List.of(role), Map.of()).get("token").asText();

        Cli.Result r = cliAs(weak).run("report");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("keygate.reports:read");
    }
}
