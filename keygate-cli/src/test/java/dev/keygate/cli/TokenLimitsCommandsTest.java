package dev.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.keygate.cli.TestJson.json;
import static dev.keygate.cli.TestJson.tree;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token limits in the CLI against a real server: {@code token create --max-uses --rate-limit --allow-cidr},
 * how {@code token show} and {@code --json} output show them, and {@code verify --cost --ip} with the uses and
 * rate limit left, the retry time, and exit 3 for each refusal they add.
 */
class TokenLimitsCommandsTest extends CliEndToEndTest {

    // ---- token create, show, list ------------------------------------------------------------------------

    @Test
    void tokenCreateWhenAllThreeLimitsThenEveryJsonOutputIsTheServersJson() {
        String principal = unique("limited-json");
        String role = principalWithRole(principal, "billing.invoices:read");

        Cli.Result created = cli().run("token", "create", "--principal", principal, "--role", role, "--max-uses", "5",
                "--rate-limit", "100/1m", "--allow-cidr", "10.0.0.0/8", "--allow-cidr", "2001:DB8::/32",
                "--allow-cidr", "192.0.2.7", "--json");

        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode printed = tree(created.out());
        String id = printed.get("id").asText();
        JsonNode stored = get("/v1/tokens/" + id);
        assertThat(printed).isEqualTo(stored.<ObjectNode>deepCopy().put("token", printed.get("token").asText()));
        assertThat(stored.get("max_uses").asLong()).isEqualTo(5);
        assertThat(stored.get("remaining").asLong()).isEqualTo(5);
        assertThat(stored.get("rate_limit")).isEqualTo(json("{'limit': 100, 'window': '1m'}"));
        assertThat(stored.get("allowed_cidrs")).isEqualTo(json("['10.0.0.0/8', '2001:db8::/32', '192.0.2.7/32']"));
        assertThat(tree(cli().run("token", "show", id, "--json").out())).isEqualTo(stored);
        assertThat(tree(cli().run("token", "list", "--principal", principal, "--json").out()))
                .isEqualTo(get("/v1/tokens?principal=" + principal));
    }

    @Test
    void tokenCreateWhenLimitsThenTheSecretAloneGoesToStdoutAndShowDisplaysWhatIsLeft() {
        String principal = unique("limited-show");
        String role = principalWithRole(principal, "billing.invoices:read");
        Instant now = pinClock();

        Cli.Result created = cli().run("token", "create", "--principal", principal, "--role", role, "--max-uses", "5",
                "--rate-limit", "100/1m", "--allow-cidr", "10.0.0.0/8", "--allow-cidr", "2001:db8::/32");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).matches(SECRET);
        Cli.Result spent = cli().stdin(created.out()).run("verify", "--cost", "2", "--ip", "10.1.2.3", "--json");
        String id = tree(spent.out()).get("token_id").asText();
        server.flushAudit(); // the verification's last use is written after its answer

        Cli.Result r = cli().run("token", "show", id);

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                id             %s
                name           -
                principal      %s
                roles          %s
                environment    live
                status         active
                created        %s
                created by     %s
                expires        %s
                max uses       5 (3 left)
                rate limit     100/1m
                allowed cidrs  10.0.0.0/8, 2001:db8::/32
                last used      %s from 10.1.2.3
                """.formatted(id, principal, role, now, get("/v1/tokens/" + id).get("created_by").asText(),
                now.plus(Duration.ofHours(24)), now));
    }

    /** Regression: a rotated token, whose uses are counted on its successor, showed "(null left)". */
    @Test
    void tokenShowWhenRotatedTokenHasMaxUsesThenSaysTheCountIsOnTheSuccessor() {
        String principal = unique("limited-rotated");
        String role = principalWithRole(principal, "billing.invoices:read");
        Cli.Result created = cli().run("token", "create", "--principal", principal, "--role", role, "--max-uses", "5",
                "--json");
        String id = tree(created.out()).get("id").asText();
        assertThat(cli().run("token", "rotate", id, "--grace", "1h").exitCode()).isZero();

        Cli.Result r = cli().run("token", "show", id);

        assertThat(r.out()).contains("max uses       5 (counted on its successor)\n").doesNotContain("null");
    }

    @Test
    void tokenCreateWhenALimitIsMalformedThenExits2NamingTheOptionWithoutCallingTheServer() {
        assertUsageError("--rate-limit", "100", "'100' must be N/WINDOW");
        assertUsageError("--rate-limit", "many/1m", "'many/1m' must be N/WINDOW");
        assertUsageError("--rate-limit", "100/2d", "window must be between 1s and 1d, was 2d");
        assertUsageError("--rate-limit", "0/1m", "limit must be between 1 and 1000000, was 0");
        assertUsageError("--rate-limit", "100/soon", "'100/soon': window must be a positive whole number");
        assertUsageError("--max-uses", "0", "'0' must be a positive whole number");
        assertUsageError("--max-uses", "lots", "'lots' must be a positive whole number");
        assertUsageError("--allow-cidr", "10.0.0.5/8", "has host bits set; did you mean 10.0.0.0/8?");
        assertUsageError("--allow-cidr", "intranet", "'intranet' is not an IP address or CIDR range");
    }

    // ---- verify --cost --ip ------------------------------------------------------------------------------

    @Test
    void verifyWhenCostGivenThenSpendsItAndShowsTheUsesAndRateLimitLeft() {
        Instant now = pinClock();
        JsonNode t = minted("cost-verify", Map.of("max_uses", 5, "rate_limit", Map.of("limit", 10, "window", "1m")));

        Cli.Result r = verifier(t).run("verify", "--permission", "billing.invoices:read", "--cost", "2");
        Cli.Result check = verifier(t).run("verify", "--cost", "0", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                allowed      true
                valid        true
                code         VALID
                token id     %s
                principal    %s
                roles        %s
                permissions  billing.invoices:read
                environment  live
                expires      %s
                uses left    3
                rate limit   10/1m (9 left)
                """.formatted(id(t), principalOf(t), principalOf(t) + "-role", now.plus(Duration.ofHours(24))));
        assertThat(tree(check.out()).get("remaining").asLong()).as("cost 0 spends nothing").isEqualTo(3);
        assertThat(get("/v1/tokens/" + id(t)).get("remaining").asLong()).isEqualTo(3);
    }

    @Test
    void verifyWhenJsonThenPrintsTheServersAnswerWithItsLimits() {
        JsonNode t = minted("json-verify", Map.of("max_uses", 5, "rate_limit", Map.of("limit", 100, "window", "1m"),
                "allowed_cidrs", List.of("10.0.0.0/8")));

        Cli.Result r = verifier(t).run("verify", "--permission", "billing.invoices:read", "--cost", "4", "--ip",
                "10.9.8.7", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(tree(r.out())).isEqualTo(json("{'valid': true, 'allowed': true, 'code': 'VALID', "
                + "'token_id': '" + id(t) + "', 'principal': '" + principalOf(t) + "', "
                + "'roles': ['" + principalOf(t) + "-role'], 'permissions': ['billing.invoices:read'], "
                + "'environment': 'live', 'expires_at': '" + t.get("expires_at").asText() + "', 'remaining': 1, "
                + "'rate_limit': {'limit': 100, 'window': '1m', 'remaining': 99}}"));
    }

    @Test
    void verifyWhenUsesAreSpentThenExits3WithUsageExceeded() {
        JsonNode t = minted("spent-verify", Map.of("max_uses", 1));
        assertThat(verifier(t).run("verify").exitCode()).isZero();

        Cli.Result r = verifier(t).run("verify");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out()).isEqualTo("""
                allowed    false
                valid      false
                code       USAGE_EXCEEDED
                uses left  0
                """);
    }

    @Test
    void verifyWhenRateLimitedThenExits3AndSaysWhenToRetry() {
        JsonNode t = minted("rate-verify", Map.of("rate_limit", Map.of("limit", 1, "window", "1m")));
        assertThat(verifier(t).run("verify").exitCode()).isZero();

        Cli.Result r = verifier(t).run("verify");
        Cli.Result json = verifier(t).run("verify", "--json");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out()).isEqualTo("""
                allowed      false
                valid        false
                code         RATE_LIMITED
                rate limit   1/1m (0 left)
                retry after  60s
                """);
        assertThat(json.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(tree(json.out())).isEqualTo(json("{'valid': false, 'allowed': false, 'code': 'RATE_LIMITED', "
                + "'rate_limit': {'limit': 1, 'window': '1m', 'remaining': 0}, 'retry_after': 60}"));
        server.clock().advance(Duration.ofMinutes(1));
        assertThat(verifier(t).run("verify").exitCode()).isZero();
    }

    @Test
    void verifyWhenAddressIsOutsideTheAllowedNetworksOrMissingThenExits3WithIpNotAllowed() {
        JsonNode t = minted("bound-verify", Map.of("allowed_cidrs", List.of("10.0.0.0/8", "2001:db8::/32")));

        Cli.Result inside = verifier(t).run("verify", "--ip", "10.1.2.3");
        Cli.Result insideV6 = verifier(t).run("verify", "--ip", "2001:db8::7");
        Cli.Result outside = verifier(t).run("verify", "--ip", "192.0.2.1");
        Cli.Result missing = verifier(t).run("verify");

        assertThat(inside.exitCode()).as(inside.out()).isZero();
        assertThat(insideV6.exitCode()).isZero();
        assertThat(outside.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(outside.out()).isEqualTo("""
                allowed  false
                valid    false
                code     IP_NOT_ALLOWED
                """);
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(missing.out()).contains("code     IP_NOT_ALLOWED\n");
    }

    @Test
    void verifyWhenCostOrAddressIsMalformedThenExits2NamingTheOptionWithoutCallingTheServer() {
        Cli.Result cost = Cli.offline().stdin(Cli.ADMIN).run("verify", "--cost", "-1");
        Cli.Result ip = Cli.offline().stdin(Cli.ADMIN).run("verify", "--ip", "10.0.0.0/8");
        Cli.Result host = Cli.offline().stdin(Cli.ADMIN).run("verify", "--ip", "localhost");

        assertThat(cost.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cost.err()).contains("--cost", "'-1' must be a whole number, 0 or more")
                .doesNotContain("cannot reach");
        assertThat(ip.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(ip.err()).contains("--ip", "'10.0.0.0/8' is not an IPv4 or IPv6 address");
        assertThat(host.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(host.err()).contains("--ip", "'localhost' is not an IPv4 or IPv6 address");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** Runs {@code token create} offline with one bad value and checks it is a usage error naming the option. */
    private static void assertUsageError(String option, String value, String message) {
        Cli.Result r = Cli.offline().run("token", "create", "--principal", "p", "--role", "r", option, value);

        assertThat(r.exitCode()).as(option + " " + value).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).as(option + " " + value).contains("'" + option + "'", message)
                .doesNotContain("cannot reach");
        assertThat(r.out()).isEmpty();
    }

    /** {@code keygate verify} of {@code token}'s secret, given on stdin, with only the URL (no admin token). */
    private static Cli verifier(JsonNode token) {
        return Cli.bare().env("KEYGATE_URL", server.baseUri().toString()).stdin(token.get("token").asText());
    }
}
