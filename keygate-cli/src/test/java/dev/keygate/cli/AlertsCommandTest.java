package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keygate alerts list} against a real server, reading alerts raised by verifications of a revoked token. */
class AlertsCommandTest extends CliEndToEndTest {

    /** Revokes a new token and presents it from {@code ip}, raising one {@code dead_token_use} alert; its id. */
    private static String deadTokenAlert(String base, String ip) {
        JsonNode token = minted(base, Map.of());
        String id = id(token);
        assertThat(cli().run("token", "revoke", id).exitCode()).isZero();
        server.post("/v1/verify", null, Map.of("token", token.get("token").asText(), "context", Map.of("ip", ip)));
        server.flushAudit();
        return id;
    }

    @Test
    void alertsListWhenAnAlertWasRaisedThenATableRowShowsIt() {
        Instant at = pinClock();
        String id = deadTokenAlert("alerted-svc", "203.0.113.40");
        JsonNode alert = get("/v1/alerts?token_id=" + id).get("items").get(0);

        Cli.Result r = cli().run("alerts", "list", "--token-id", id);

        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        String idColumn = "%-" + Math.max(2, alert.get("id").asText().length()) + "s";
        String principal = alert.get("principal").asText();
        assertThat(r.out()).isEqualTo((idColumn + "  TIME                  RULE            TOKEN                     "
                + "%-" + principal.length() + "s  IP            DELIVERIES  DETAIL\n"
                + idColumn + "  %s  dead_token_use  %s  %s  203.0.113.40  -           %s\n").formatted("ID",
                "PRINCIPAL", alert.get("id").asText(), at, id, principal, alert.get("detail").asText()));
    }

    @Test
    void alertsListWhenJsonThenTheServersPageAndTheCursorOfTheNextOnStderr() {
        Instant since = pinClock();
        String first = deadTokenAlert("alerted-json", "203.0.113.41");
        String second = deadTokenAlert("alerted-json", "203.0.113.41");

        Cli.Result page1 = cli().run("alerts", "list", "--rule", "dead_token_use", "--since", since.toString(),
                "--limit", "1", "--json");

        assertThat(page1.exitCode()).isZero();
        JsonNode expected = get("/v1/alerts?rule=dead_token_use&since=" + since + "&limit=1");
        assertThat(tree(page1.out())).isEqualTo(expected);
        assertThat(tree(page1.out()).get("items").get(0).get("token_id").asText()).isEqualTo(second);
        String cursor = expected.get("next_cursor").asText();
        assertThat(page1.err()).isEqualTo("next page: --cursor " + cursor + "\n");

        Cli.Result page2 = cli().run("alerts", "list", "--rule", "dead_token_use", "--since", since.toString(),
                "--limit", "1", "--cursor", cursor, "--json");

        assertThat(page2.exitCode()).isZero();
        assertThat(tree(page2.out()).get("items")).extracting(a -> a.get("token_id").asText()).containsExactly(first);
        assertThat(tree(page2.out()).get("next_cursor").isNull()).isTrue();
        assertThat(page2.err()).isEmpty();
    }

    @Test
    void alertsListWhenTheCallerLacksAlertsReadThenExits1NamingThePermission() {
        JsonNode auditor = server.principalWithToken(unique("alerts-auditor"), "keygate.audit:read");

        Cli.Result r = cliAs(auditor.get("token").asText()).run("alerts", "list");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("403").contains("keygate.alerts:read");
    }

    @Test
    void alertsListWhenTheRuleOrLimitIsInvalidOrTheTokenIdIsASecretThenExits2BeforeAnyRequest() {
        Cli.Result rule = Cli.offline().run("alerts", "list", "--rule", "spikes");
        Cli.Result limit = Cli.offline().run("alerts", "list", "--limit", "0");
        Cli.Result secret = Cli.offline().run("alerts", "list", "--token-id", "kg_live_abcdefghijklmnopqrstuvwxyz");
        Cli.Result since = Cli.offline().run("alerts", "list", "--since", "yesterday");

        assertThat(rule.exitCode()).isEqualTo(2);
        assertThat(rule.err()).contains("--rule must be one of failed_verifications_ip, failed_verifications_token, "
                + "new_network, dead_token_use, usage_spike, token_leaked, was spikes").doesNotContain("cannot reach");
        assertThat(limit.exitCode()).isEqualTo(2);
        assertThat(limit.err()).contains("--limit must be between 1 and 1000");
        assertThat(secret.exitCode()).isEqualTo(2);
        assertThat(secret.err()).contains("that is a token secret").doesNotContain("abcdefghijklmnop");
        assertThat(since.exitCode()).isEqualTo(2);
        assertThat(since.err()).contains("'yesterday' is not an RFC 3339 time");
    }

    @Test
    void alertsWhenNoSubcommandThenPrintsUsageAndExits2() {
        Cli.Result r = Cli.offline().run("alerts");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("list");
    }
}
