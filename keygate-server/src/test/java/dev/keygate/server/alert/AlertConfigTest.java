package dev.keygate.server.alert;

import dev.keygate.server.config.ConfigException;
import dev.keygate.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The alert options as {@code keygate serve} passes them: defaults, ranges, and the webhooks' checks. */
class AlertConfigTest {

    private static final String SECRET = "s3cret-s3cret-s3cret";

    /** The problems {@code settings} lead to (empty when the configuration is accepted). */
    private static List<String> problems(Consumer<AlertConfig.Builder> settings) {
        AlertConfig.Builder b = AlertConfig.builder();
        settings.accept(b);
        List<String> problems = new ArrayList<>();
        b.build(problems);
        return problems;
    }

    private static AlertConfig build(Consumer<AlertConfig.Builder> settings) {
        AlertConfig.Builder b = AlertConfig.builder();
        settings.accept(b);
        List<String> problems = new ArrayList<>();
        AlertConfig config = b.build(problems);
        assertThat(problems).isEmpty();
        return config;
    }

    private static Consumer<AlertConfig.Builder> hook(String spec) {
        return b -> b.webhook(spec).environment(name -> SECRET);
    }

    @Test
    void buildWhenNothingGivenThenTheDocumentedDefaults() {
        AlertConfig c = AlertConfig.defaults();

        assertThat(c.failedThreshold()).isEqualTo(20);
        assertThat(c.failedWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.spikeFactor()).isEqualByComparingTo(BigDecimal.TEN);
        assertThat(c.spikeMinCount()).isEqualTo(100);
        assertThat(c.spikeMinHistoryHours()).isEqualTo(6);
        assertThat(c.cooldown()).isEqualTo(Duration.ofHours(1));
        assertThat(c.webhooks()).isEmpty();
        assertThat(c.webhookTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.maxAttempts()).isEqualTo(8);
        assertThat(c.retryBase()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.retention()).isEqualTo(Duration.ofDays(90));
        assertThat(c.rules()).containsExactly("failed_verifications_ip", "failed_verifications_token", "new_network",
                "dead_token_use", "usage_spike");
    }

    @Test
    void retentionWhenGivenThenKeptAndZeroKeepsAlertsForEver() {
        assertThat(build(b -> b.retention("30d")).retention()).isEqualTo(Duration.ofDays(30));
        assertThat(build(b -> b.retention("12h")).retention()).isEqualTo(Duration.ofHours(12));
        assertThat(build(b -> b.retention("0")).retention()).isZero();
        assertThat(build(b -> b.retention("0d")).retention()).isZero();
    }

    @Test
    void retentionWhenNotADurationThenTheProblemNamesFlagVariableAndValue() {
        for (String bad : List.of("90", "-1d", "ninety days", "1w", "")) {
            assertThat(problems(b -> b.retention(bad))).as(bad).containsExactly("--alert-retention "
                    + "(KEYGATE_ALERT_RETENTION): '" + bad + "' must be a positive whole number followed by s, m, h "
                    + "or d (e.g. 30m, 24h, 7d), or 0 to keep alerts for ever");
        }
    }

    @Test
    void rulesWhenListedThenOnlyThoseAreOnInTheDocumentedOrder() {
        AlertConfig c = build(b -> b.rules("usage_spike, dead_token_use,failed_verifications_ip"));

        assertThat(c.rules()).containsExactly("failed_verifications_ip", "dead_token_use", "usage_spike");
        assertThat(c.ruleOn(Alert.NEW_NETWORK)).isFalse();
        assertThat(c.ruleOn(Alert.DEAD_TOKEN_USE)).isTrue();
        assertThat(build(b -> b.rules("all")).rules()).containsExactlyElementsOf(AlertConfig.RULES);
        assertThat(build(b -> b.rules("none")).rules()).isEmpty();
        assertThat(build(b -> b.rules("new_network,new_network")).rules()).containsExactly("new_network");
    }

    @Test
    void rulesWhenANameIsUnknownThenTheProblemNamesIt() {
        String list = "; give a comma-separated list of failed_verifications_ip, failed_verifications_token, "
                + "new_network, dead_token_use, usage_spike, or all, or none";

        assertThat(problems(b -> b.rules("dead_token_use,new_netwrok"))).containsExactly("--alert-rules "
                + "(KEYGATE_ALERT_RULES): 'dead_token_use,new_netwrok' names 'new_netwrok', which is not a rule" + list);
        assertThat(problems(b -> b.rules("Dead_Token_Use,bogus"))).containsExactly(
                "--alert-rules (KEYGATE_ALERT_RULES): 'Dead_Token_Use,bogus' names 'Dead_Token_Use', which is not a "
                        + "rule" + list,
                "--alert-rules (KEYGATE_ALERT_RULES): 'Dead_Token_Use,bogus' names 'bogus', which is not a rule"
                        + list);
        assertThat(problems(b -> b.rules("token_leaked"))).containsExactly("--alert-rules (KEYGATE_ALERT_RULES): "
                + "'token_leaked' names 'token_leaked', which cannot be turned off (it is raised with the revocation "
                + "of each reported leak)" + list);
        assertThat(problems(b -> b.rules("new_network,,usage_spike"))).containsExactly("--alert-rules "
                + "(KEYGATE_ALERT_RULES): 'new_network,,usage_spike' has an empty entry" + list);
        assertThat(problems(b -> b.rules(""))).containsExactly("--alert-rules (KEYGATE_ALERT_RULES): '' has an "
                + "empty entry" + list);
        assertThat(problems(b -> b.rules("all,none"))).hasSize(2);
    }

    @Test
    void buildWhenEveryThresholdGivenThenEachIsKept() {
        AlertConfig c = build(b -> b.failedThreshold("5").failedWindow("1m").spikeFactor("2.5").spikeMinCount("10")
                .spikeMinHistory("24h").cooldown("15m").webhookTimeout("10s").maxAttempts("3").retryBase("500ms"));

        assertThat(c.failedThreshold()).isEqualTo(5);
        assertThat(c.failedWindow()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.spikeFactor()).isEqualByComparingTo("2.5");
        assertThat(c.spikeMinCount()).isEqualTo(10);
        assertThat(c.spikeMinHistoryHours()).isEqualTo(24);
        assertThat(c.cooldown()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.webhookTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxAttempts()).isEqualTo(3);
        assertThat(c.retryBase()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void buildWhenThresholdsAreOutOfRangeThenEveryProblemNamesFlagVariableAndValue() {
        List<String> problems = problems(b -> b.failedThreshold("1").failedWindow("2d").spikeFactor("1")
                .spikeMinCount("0").spikeMinHistory("30m").cooldown("8d").webhookTimeout("2m").maxAttempts("51")
                .retryBase("2h").allowHttp("yes"));

        assertThat(problems).containsExactly(
                "--alert-failed-threshold (KEYGATE_ALERT_FAILED_THRESHOLD): '1' must be a whole number from 2 to 10000",
                "--alert-failed-window (KEYGATE_ALERT_FAILED_WINDOW): '2d' must be at most 1d",
                "--alert-spike-factor (KEYGATE_ALERT_SPIKE_FACTOR): '1' must be a number above 1 and at most 1000, "
                        + "with at most 3 decimals (e.g. 10 or 2.5)",
                "--alert-spike-min-count (KEYGATE_ALERT_SPIKE_MIN_COUNT): '0' must be a whole number from 1 to "
                        + "1000000000",
                "--alert-spike-min-history (KEYGATE_ALERT_SPIKE_MIN_HISTORY): '30m' must be whole hours from 1h to "
                        + "24h (e.g. 6h)",
                "--alert-cooldown (KEYGATE_ALERT_COOLDOWN): '8d' must be at most 7d",
                "--alert-webhook-timeout (KEYGATE_ALERT_WEBHOOK_TIMEOUT): '2m' must be at most 1m",
                "--alert-max-attempts (KEYGATE_ALERT_MAX_ATTEMPTS): '51' must be a whole number from 1 to 50",
                "--alert-retry-base (KEYGATE_ALERT_RETRY_BASE): '2h' must be a positive whole number followed by ms, "
                        + "s, m or h, at most 1h (e.g. 500ms, 30s)",
                "--alert-webhook-allow-http (KEYGATE_ALERT_WEBHOOK_ALLOW_HTTP): 'yes' must be true or false");
    }

    @Test
    void buildWhenNotNumbersThenRefused() {
        assertThat(problems(b -> b.failedThreshold("twenty").spikeFactor("1e3").failedWindow("5 minutes")))
                .hasSize(3);
    }

    @Test
    void backoffWhenAttemptsFailThenTheWaitDoublesUpToAnHour() {
        AlertConfig c = build(b -> b.retryBase("30s"));

        assertThat(List.of(1, 2, 3, 7, 8, 50)).extracting(c::backoff).containsExactly(Duration.ofSeconds(30),
                Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(32), Duration.ofHours(1),
                Duration.ofHours(1));
    }

    @Test
    void formatWhenWholeSecondsThenTheTtlFormElseMilliseconds() {
        assertThat(List.of(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofHours(1),
                Duration.ofMillis(1500))).extracting(AlertConfig::format)
                .containsExactly("500ms", "30s", "2m", "1h", "1500ms");
    }

    @Test
    void webhookWhenHttpsOrLoopbackHttpThenAcceptedWithItsSecretFromItsVariable() {
        AlertConfig c = build(b -> b.webhook("ops=https://hooks.example.com/k?team=sec")
                .webhook("local-dev=http://127.0.0.1:9000/hook").webhook("v6=http://[::1]:9000/hook")
                .webhook("named=http://localhost:9000/hook")
                .environment(Map.of("KEYGATE_ALERT_WEBHOOK_SECRET_OPS", SECRET,
                        "KEYGATE_ALERT_WEBHOOK_SECRET_LOCAL_DEV", SECRET + "-dev",
                        "KEYGATE_ALERT_WEBHOOK_SECRET_V6", SECRET, "KEYGATE_ALERT_WEBHOOK_SECRET_NAMED", SECRET)::get));

        assertThat(c.webhooks()).extracting(AlertConfig.Webhook::name).containsExactly("ops", "local-dev", "v6", "named");
        assertThat(c.webhooks().get(0).url().toString()).isEqualTo("https://hooks.example.com/k?team=sec");
        assertThat(new String(c.webhooks().get(1).secret())).isEqualTo(SECRET + "-dev");
        assertThat(c.webhooks().get(0).toString()).isEqualTo("ops=https://hooks.example.com/k?…");
        assertThat(c.toString()).doesNotContain(SECRET).doesNotContain("team=sec");
    }

    @Test
    void webhookWhenPlainHttpToAnotherHostThenRefusedUnlessAllowed() {
        assertThat(problems(hook("ops=http://hooks.example.com/k?token=abc"))).containsExactly(
                "--alert-webhook (KEYGATE_ALERT_WEBHOOKS): webhook 'ops': 'http://hooks.example.com/k?…' must use "
                        + "https (plain http is allowed to loopback only, unless --alert-webhook-allow-http)");
        assertThat(problems(hook("ops=http://10.0.0.5/k").andThen(b -> b.allowHttp("true")))).isEmpty();
    }

    @Test
    void webhookWhenTheUrlHoldsCredentialsThenRefusedWithoutQuotingThem() {
        List<String> problems = problems(hook("ops=https://alice:hunter2@hooks.example.com/k"));

        assertThat(problems).containsExactly("--alert-webhook (KEYGATE_ALERT_WEBHOOKS): webhook 'ops': the URL must "
                + "not hold credentials (user:password@); deliveries are authenticated by their signature");
    }

    @Test
    void webhookWhenMalformedThenEachProblemSaysWhat() {
        List<String> problems = problems(b -> b.webhook("no-equals-sign").webhook("Bad Name=https://x.example/")
                .webhook("ftp=ftp://files.example.com/x").webhook("rel=/just/a/path").webhook("frag=https://x.example/#a")
                .webhook("space=https://x.example/a b?secret=1").environment(name -> SECRET));

        assertThat(problems).containsExactly(
                "--alert-webhook (KEYGATE_ALERT_WEBHOOKS): 'no-equals-sign' is not NAME=URL "
                        + "(e.g. ops=https://hooks.example.com/keygate)",
                "--alert-webhook (KEYGATE_ALERT_WEBHOOKS): webhook name 'Bad Name' must match [a-z0-9][a-z0-9_-]{0,31}",
                "--alert-webhook (KEYGATE_ALERT_WEBHOOKS): webhook 'ftp': 'ftp://files.example.com/x' must be an "
                        + "http or https URL",
                "--alert-webhook (KEYGATE_ALERT_WEBHOOKS): webhook 'rel': '/just/a/path' must be an http or https URL",
                "--alert-webhook (KEYGATE_ALERT_WEBHOOKS): webhook 'frag': 'https://x.example/' must not have a "
                        + "fragment (#...)",
                "--alert-webhook (KEYGATE_ALERT_WEBHOOKS): webhook 'space': 'https://x.example/a b?…' is not a valid "
                        + "URL");
    }

    @Test
    void webhookWhenTheSecretIsMissingOrShortThenRefusedWithoutQuotingIt() {
        List<String> problems = problems(b -> b.webhook("ops=https://a.example/").webhook("pager=https://b.example/")
                .environment(Map.of("KEYGATE_ALERT_WEBHOOK_SECRET_PAGER", "tooshort")::get));

        assertThat(problems).containsExactly(
                "--alert-webhook (KEYGATE_ALERT_WEBHOOKS): webhook 'ops' has no secret: set "
                        + "KEYGATE_ALERT_WEBHOOK_SECRET_OPS (at least 16 characters) in the environment",
                "KEYGATE_ALERT_WEBHOOK_SECRET_PAGER: the secret of webhook 'pager' must be at least 16 characters long");
    }

    @Test
    void webhookWhenNamesRepeatOrShareASecretVariableThenRefused() {
        List<String> problems = problems(b -> b.webhook("ops=https://a.example/").webhook("ops=https://b.example/")
                .webhook("on-call=https://c.example/").webhook("on_call=https://d.example/")
                .environment(name -> SECRET));

        assertThat(problems).containsExactly("--alert-webhook (KEYGATE_ALERT_WEBHOOKS): webhook 'ops' is configured "
                        + "twice",
                "--alert-webhook (KEYGATE_ALERT_WEBHOOKS): webhooks 'on-call' and 'on_call' would share the secret "
                        + "variable KEYGATE_ALERT_WEBHOOK_SECRET_ON_CALL; rename one");
    }

    @Test
    void webhooksVariableWhenListedThenEachIsReadAndFlagsWinOverIt() {
        AlertConfig fromVariable = build(b -> b.webhooksVariable(" a=https://a.example/1, b=https://b.example/2\n"
                + "c=https://c.example/3 ").environment(name -> SECRET));
        AlertConfig fromFlag = build(b -> b.webhooksVariable("a=https://a.example/1").webhook("z=https://z.example/")
                .environment(name -> SECRET));

        assertThat(fromVariable.webhooks()).extracting(AlertConfig.Webhook::name).containsExactly("a", "b", "c");
        assertThat(fromFlag.webhooks()).extracting(AlertConfig.Webhook::name).containsExactly("z");
    }

    @Test
    void serverConfigWhenAlertOptionsAreBadThenReportedWithTheOtherProblems() {
        assertThatThrownBy(() -> ServerConfig.builder().listen("nope")
                .alerts(a -> a.webhook("ops=http://hooks.example.com/k").maxAttempts("0")).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(3)
                        .anySatisfy(p -> assertThat(p).startsWith("--listen"))
                        .anySatisfy(p -> assertThat(p).startsWith("--alert-max-attempts"))
                        .anySatisfy(p -> assertThat(p).startsWith("--alert-webhook")));
    }
}
