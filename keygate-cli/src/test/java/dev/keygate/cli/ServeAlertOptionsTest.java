package dev.keygate.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert options of {@code keygate serve}: each checked at start-up, named with its flag and environment
 * variable, webhook secrets from the environment only and never printed. An invalid {@code --listen} is given
 * beside valid alert options to stop the start after the checks, proving those options were accepted.
 */
class ServeAlertOptionsTest {

    private static final String SECRET = "0123456789abcdef-serve-secret";

    @Test
    void serveWhenAWebhookIsPlainHttpToAnotherHostThenRefusedWithoutItsQueryAndExits2() {
        Cli.Result r = Cli.bare().env("KEYGATE_ALERT_WEBHOOK_SECRET_OPS", SECRET)
                .run("serve", "--alert-webhook", "ops=http://hooks.example.com/k?key=query-credential");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("keygate serve: --alert-webhook (KEYGATE_ALERT_WEBHOOKS): webhook 'ops': "
                + "'http://hooks.example.com/k?…' must use https (plain http is allowed to loopback only, unless "
                + "--alert-webhook-allow-http)\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void serveWhenAWebhookHasNoSecretInTheEnvironmentThenNamesTheVariable() {
        Cli.Result r = Cli.bare().run("serve", "--alert-webhook", "on-call=https://hooks.example.com/k");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("webhook 'on-call' has no secret: set KEYGATE_ALERT_WEBHOOK_SECRET_ON_CALL");
    }

    @Test
    void serveWhenTheSecretIsGivenAsAFlagThenUnknownOption() {
        Cli.Result r = Cli.bare().run("serve", "--alert-webhook-secret", SECRET);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option");
    }

    @Test
    void serveWhenWebhooksComeFromTheEnvironmentAndAFlagThenTheFlagWins() {
        Cli.Result fromEnv = Cli.bare().env("KEYGATE_ALERT_WEBHOOKS", "ops=ftp://a.example/, pager=ftp://b.example/")
                .run("serve", "--listen", "nonsense");
        Cli.Result fromFlag = Cli.bare().env("KEYGATE_ALERT_WEBHOOKS", "ops=ftp://a.example/")
                .env("KEYGATE_ALERT_WEBHOOK_SECRET_LOCAL", SECRET)
                .run("serve", "--alert-webhook", "local=http://127.0.0.1:9/hook", "--listen", "nonsense");

        assertThat(fromEnv.err().lines()).containsExactly(
                "keygate serve: --listen (KEYGATE_LISTEN): 'nonsense' is not host:port (e.g. 127.0.0.1:8080)",
                "keygate serve: --alert-webhook (KEYGATE_ALERT_WEBHOOKS): webhook 'ops': 'ftp://a.example/' must be "
                        + "an http or https URL",
                "keygate serve: --alert-webhook (KEYGATE_ALERT_WEBHOOKS): webhook 'pager': 'ftp://b.example/' must be "
                        + "an http or https URL");
        assertThat(fromFlag.err()).isEqualTo(
                "keygate serve: --listen (KEYGATE_LISTEN): 'nonsense' is not host:port (e.g. 127.0.0.1:8080)\n");
    }

    @Test
    void serveWhenThresholdsAreInvalidThenEachIsNamedWithItsFlagOrVariable() {
        Cli.Result r = Cli.bare().env("KEYGATE_ALERT_FAILED_THRESHOLD", "many").env("KEYGATE_ALERT_COOLDOWN", "1w")
                .run("serve", "--alert-spike-factor", "0.5", "--alert-retry-base", "0ms", "--alert-max-attempts",
                        "0");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(5).allMatch(l -> l.startsWith("keygate serve: --alert-"));
        assertThat(r.err()).contains("--alert-failed-threshold (KEYGATE_ALERT_FAILED_THRESHOLD): 'many'",
                "--alert-cooldown (KEYGATE_ALERT_COOLDOWN): '1w'", "--alert-spike-factor (KEYGATE_ALERT_SPIKE_FACTOR): "
                        + "'0.5'", "--alert-retry-base (KEYGATE_ALERT_RETRY_BASE): '0ms'",
                "--alert-max-attempts (KEYGATE_ALERT_MAX_ATTEMPTS): '0'");
    }

    @Test
    void serveWhenAlertRulesNameAnUnknownRuleThenStartUpFailsNamingItAndExits2() {
        Cli.Result r = Cli.bare().run("serve", "--alert-rules", "dead_token_use,new_netwrok");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("keygate serve: --alert-rules (KEYGATE_ALERT_RULES): "
                + "'dead_token_use,new_netwrok' names 'new_netwrok', which is not a rule; give a comma-separated list "
                + "of failed_verifications_ip, failed_verifications_token, new_network, dead_token_use, usage_spike, "
                + "or all, or none\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void serveWhenAlertRetentionOrRulesComeFromTheEnvironmentThenTheyAreCheckedAndNamedByTheirVariables() {
        Cli.Result r = Cli.bare().env("KEYGATE_ALERT_RETENTION", "90").env("KEYGATE_ALERT_RULES", "token_leaked")
                .run("serve");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly(
                "keygate serve: --alert-retention (KEYGATE_ALERT_RETENTION): '90' must be a positive whole number "
                        + "followed by s, m, h or d (e.g. 30m, 24h, 7d), or 0 to keep alerts for ever",
                "keygate serve: --alert-rules (KEYGATE_ALERT_RULES): 'token_leaked' names 'token_leaked', which cannot "
                        + "be turned off (it is raised with the revocation of each reported leak); give a "
                        + "comma-separated list of failed_verifications_ip, failed_verifications_token, new_network, "
                        + "dead_token_use, usage_spike, or all, or none");
    }

    @Test
    void serveWhenEveryAlertOptionIsValidThenOnlyTheOtherProblemIsReported() {
        Cli.Result r = Cli.bare().env("KEYGATE_ALERT_WEBHOOK_SECRET_OPS", SECRET)
                .env("KEYGATE_ALERT_WEBHOOK_SECRET_INTERNAL", SECRET)
                .run("serve", "--listen", "nonsense", "--alert-webhook", "ops=https://hooks.example.com/k?team=sec",
                        "--alert-webhook", "internal=http://alerts.internal:8080/k", "--alert-webhook-allow-http",
                        "--alert-webhook-timeout", "10s", "--alert-max-attempts", "5", "--alert-retry-base", "500ms",
                        "--alert-failed-threshold", "50", "--alert-failed-window", "10m", "--alert-spike-factor",
                        "3.5", "--alert-spike-min-count", "500", "--alert-spike-min-history", "12h",
                        "--alert-cooldown", "30m", "--alert-rules", "dead_token_use,new_network", "--alert-retention",
                        "30d");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(
                "keygate serve: --listen (KEYGATE_LISTEN): 'nonsense' is not host:port (e.g. 127.0.0.1:8080)\n");
        assertThat(r.err() + r.out()).doesNotContain(SECRET);
    }
}
