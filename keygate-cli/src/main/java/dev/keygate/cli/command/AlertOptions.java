package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.server.alert.AlertConfig;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * The alert options of {@code keygate serve}, each falling back to its environment variable. Webhook secrets come
 * from {@code KEYGATE_ALERT_WEBHOOK_SECRET_<NAME>} only, never from a flag: flags show in {@code ps} and shell
 * history. Everything is checked by {@link AlertConfig.Builder#build}, with the rest of the configuration.
 */
public final class AlertOptions {

    @Option(names = "--alert-webhook", paramLabel = "NAME=URL",
            description = "Deliver every alert to this webhook (repeatable). Its secret comes from "
                    + "$KEYGATE_ALERT_WEBHOOK_SECRET_<NAME> (upper case, - as _). https only, except to loopback. "
                    + "Default: $KEYGATE_ALERT_WEBHOOKS (NAME=URL entries separated by commas), else none.")
    private List<String> webhooks = new ArrayList<>();

    @Option(names = "--alert-webhook-allow-http", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
            description = "Allow plain http webhooks to hosts other than loopback. "
                    + "Default: $KEYGATE_ALERT_WEBHOOK_ALLOW_HTTP, else false.")
    private String allowHttp;

    @Option(names = "--alert-webhook-timeout", paramLabel = "TTL",
            description = "Connect and answer timeout of a delivery attempt, 1s to 1m. "
                    + "Default: $KEYGATE_ALERT_WEBHOOK_TIMEOUT, else 5s.")
    private String webhookTimeout;

    @Option(names = "--alert-max-attempts", paramLabel = "N",
            description = "Attempts per delivery before it is failed, 1 to 50. Default: $KEYGATE_ALERT_MAX_ATTEMPTS, "
                    + "else 8.")
    private String maxAttempts;

    @Option(names = "--alert-retry-base", paramLabel = "DURATION",
            description = "Wait after the first failed attempt, doubling after each (up to 1h), e.g. 30s or 500ms. "
                    + "Default: $KEYGATE_ALERT_RETRY_BASE, else 30s.")
    private String retryBase;

    @Option(names = "--alert-failed-threshold", paramLabel = "N",
            description = "Failed verifications from one address, or of one token, that raise an alert within "
                    + "--alert-failed-window. Default: $KEYGATE_ALERT_FAILED_THRESHOLD, else 20.")
    private String failedThreshold;

    @Option(names = "--alert-failed-window", paramLabel = "TTL",
            description = "The window of --alert-failed-threshold, at most 1d. "
                    + "Default: $KEYGATE_ALERT_FAILED_WINDOW, else 5m.")
    private String failedWindow;

    @Option(names = "--alert-spike-factor", paramLabel = "X",
            description = "A token's verifications this hour above X times its hourly mean are a spike. "
                    + "Default: $KEYGATE_ALERT_SPIKE_FACTOR, else 10.")
    private String spikeFactor;

    @Option(names = "--alert-spike-min-count", paramLabel = "N",
            description = "A spike needs at least N verifications this hour. "
                    + "Default: $KEYGATE_ALERT_SPIKE_MIN_COUNT, else 100.")
    private String spikeMinCount;

    @Option(names = "--alert-spike-min-history", paramLabel = "HOURS",
            description = "Hours of a token's history a node must have seen before judging a spike, 1h to 24h. "
                    + "Default: $KEYGATE_ALERT_SPIKE_MIN_HISTORY, else 6h.")
    private String spikeMinHistory;

    @Option(names = "--alert-cooldown", paramLabel = "TTL",
            description = "After an alert, how long the same rule stays quiet about the same address or token, at "
                    + "most 7d. Default: $KEYGATE_ALERT_COOLDOWN, else 1h.")
    private String cooldown;

    @Option(names = "--alert-rules", paramLabel = "RULE,...",
            description = "The alert rules that are on: a comma list of failed_verifications_ip, "
                    + "failed_verifications_token, new_network, dead_token_use, usage_spike; or all, or none "
                    + "(token_leaked is always on). Default: $KEYGATE_ALERT_RULES, else all.")
    private String rules;

    @Option(names = "--alert-retention", paramLabel = "TTL",
            description = "How long alerts are kept, with their deliveries (one still pending is kept until it ends), "
                    + "e.g. 90d; 0 keeps them for ever. Default: $KEYGATE_ALERT_RETENTION, else 90d.")
    private String retention;

    /** Passes every alert option, flag or environment variable, to {@code b}. */
    void apply(AlertConfig.Builder b, CliContext ctx) {
        b.webhooks(webhooks)
                .webhooksVariable(ctx.env("KEYGATE_ALERT_WEBHOOKS"))
                .environment(ctx::env)
                .allowHttp(StoreOptions.pick(allowHttp, ctx, "KEYGATE_ALERT_WEBHOOK_ALLOW_HTTP"))
                .webhookTimeout(StoreOptions.pick(webhookTimeout, ctx, "KEYGATE_ALERT_WEBHOOK_TIMEOUT"))
                .maxAttempts(StoreOptions.pick(maxAttempts, ctx, "KEYGATE_ALERT_MAX_ATTEMPTS"))
                .retryBase(StoreOptions.pick(retryBase, ctx, "KEYGATE_ALERT_RETRY_BASE"))
                .failedThreshold(StoreOptions.pick(failedThreshold, ctx, "KEYGATE_ALERT_FAILED_THRESHOLD"))
                .failedWindow(StoreOptions.pick(failedWindow, ctx, "KEYGATE_ALERT_FAILED_WINDOW"))
                .spikeFactor(StoreOptions.pick(spikeFactor, ctx, "KEYGATE_ALERT_SPIKE_FACTOR"))
                .spikeMinCount(StoreOptions.pick(spikeMinCount, ctx, "KEYGATE_ALERT_SPIKE_MIN_COUNT"))
                .spikeMinHistory(StoreOptions.pick(spikeMinHistory, ctx, "KEYGATE_ALERT_SPIKE_MIN_HISTORY"))
                .cooldown(StoreOptions.pick(cooldown, ctx, "KEYGATE_ALERT_COOLDOWN"))
                .rules(StoreOptions.pick(rules, ctx, "KEYGATE_ALERT_RULES"))
                .retention(StoreOptions.pick(retention, ctx, "KEYGATE_ALERT_RETENTION"));
    }
}
