package dev.keygate.server.alert;

import dev.keygate.core.token.Ttl;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which alert rules are on and their thresholds, how long alerts are kept, and the webhooks alerts are delivered
 * to: checked once by {@link Builder#build}, then immutable. Every problem names the flag, its environment variable
 * and the value (never a secret, and a URL only without its query string and credentials).
 */
public final class AlertConfig {

    public static final int DEFAULT_FAILED_THRESHOLD = 20;
    public static final Duration DEFAULT_FAILED_WINDOW = Duration.ofMinutes(5);
    public static final BigDecimal DEFAULT_SPIKE_FACTOR = BigDecimal.TEN;
    public static final long DEFAULT_SPIKE_MIN_COUNT = 100;
    public static final Duration DEFAULT_SPIKE_MIN_HISTORY = Duration.ofHours(6);
    public static final Duration DEFAULT_COOLDOWN = Duration.ofHours(1);
    public static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    public static final Duration DEFAULT_RETRY_BASE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** How long alerts are kept by default; older ones are pruned with their deliveries. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);
    /**
     * The rules that watch verifications, which {@code --alert-rules} turns on and off, in the order the
     * documentation lists them. {@link Alert#TOKEN_LEAKED} is not among them: it is raised with the revocation of
     * each reported leak, and is always on.
     */
    public static final List<String> RULES = List.of(Alert.FAILED_VERIFICATIONS_IP, Alert.FAILED_VERIFICATIONS_TOKEN,
            Alert.NEW_NETWORK, Alert.DEAD_TOKEN_USE, Alert.USAGE_SPIKE);
    /** How many previous hours a token's usage baseline spans, at most. */
    public static final int SPIKE_HISTORY_HOURS = 24;
    /** The environment variable holding the secret of webhook {@code name}: this prefix and the upper-cased name. */
    public static final String SECRET_ENV_PREFIX = "KEYGATE_ALERT_WEBHOOK_SECRET_";
    public static final int MIN_SECRET_LENGTH = 16;

    private static final Pattern SHORT_DURATION = Pattern.compile("([1-9][0-9]{0,8})(ms|s|m|h)");

    private final int failedThreshold;
    private final Duration failedWindow;
    private final BigDecimal spikeFactor;
    private final long spikeMinCount;
    private final int spikeMinHistoryHours;
    private final Duration cooldown;
    private final List<Webhook> webhooks;
    private final Duration webhookTimeout;
    private final int maxAttempts;
    private final Duration retryBase;
    private final Duration pollInterval;
    private final Duration retention;
    private final Set<String> rules;

    private AlertConfig(int failedThreshold, Duration failedWindow, BigDecimal spikeFactor, long spikeMinCount,
                        int spikeMinHistoryHours, Duration cooldown, List<Webhook> webhooks,
                        Duration webhookTimeout, int maxAttempts, Duration retryBase, Duration pollInterval,
                        Duration retention, Set<String> rules) {
        this.failedThreshold = failedThreshold;
        this.failedWindow = failedWindow;
        this.spikeFactor = spikeFactor;
        this.spikeMinCount = spikeMinCount;
        this.spikeMinHistoryHours = spikeMinHistoryHours;
        this.cooldown = cooldown;
        this.webhooks = List.copyOf(webhooks);
        this.webhookTimeout = webhookTimeout;
        this.maxAttempts = maxAttempts;
        this.retryBase = retryBase;
        this.pollInterval = pollInterval;
        this.retention = retention;
        this.rules = Collections.unmodifiableSet(new LinkedHashSet<>(rules));
    }

    /** The defaults: every rule on with its default thresholds, no webhook. */
    public static AlertConfig defaults() {
        return builder().build(new ArrayList<>());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How many failed verifications from one address, or of one token, within {@link #failedWindow()} alert. */
    public int failedThreshold() {
        return failedThreshold;
    }

    public Duration failedWindow() {
        return failedWindow;
    }

    /** A token's count this hour must exceed this multiple of its hourly mean to be a spike. */
    public BigDecimal spikeFactor() {
        return spikeFactor;
    }

    /** A token's count this hour must reach this much to be a spike, whatever its baseline. */
    public long spikeMinCount() {
        return spikeMinCount;
    }

    /** How many previous hours this node must have watched a token before judging a spike of it. */
    public int spikeMinHistoryHours() {
        return spikeMinHistoryHours;
    }

    /** After an alert, how long the same rule raises none about the same address or token. */
    public Duration cooldown() {
        return cooldown;
    }

    /** The webhooks every alert is delivered to, in the order configured; empty when none. */
    public List<Webhook> webhooks() {
        return webhooks;
    }

    /** The connect and response timeout of one delivery attempt. */
    public Duration webhookTimeout() {
        return webhookTimeout;
    }

    /** Attempts per delivery before it is {@code failed}. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The wait after the first failed attempt; it doubles after each further one (up to an hour, or the base). */
    public Duration retryBase() {
        return retryBase;
    }

    /** How often an idle deliverer looks for due deliveries (retries, and other nodes' alerts). */
    public Duration pollInterval() {
        return pollInterval;
    }

    /**
     * How long an alert is kept: older ones are pruned with their deliveries, unless a delivery is still pending;
     * {@link Duration#ZERO} keeps them for ever.
     */
    public Duration retention() {
        return retention;
    }

    /** The rules of {@link #RULES} that are on, in that order; every one unless {@code --alert-rules} says less. */
    public Set<String> rules() {
        return rules;
    }

    /** Whether {@code rule} (one of {@link #RULES}) is on. */
    public boolean ruleOn(String rule) {
        return rules.contains(rule);
    }

    /** The wait after failed attempt number {@code attempts} (1-based): base × 2^(attempts-1), capped. */
    public Duration backoff(int attempts) {
        Duration cap = retryBase.compareTo(Duration.ofHours(1)) > 0 ? retryBase : Duration.ofHours(1);
        Duration wait = retryBase;
        for (int i = 1; i < attempts && wait.compareTo(cap) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(cap) > 0 ? cap : wait;
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}: as the options are written. */
    public static String format(Duration d) {
        return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : Ttl.format(d);
    }

    @Override
    public String toString() {
        return "AlertConfig[failed=" + failedThreshold + "/" + format(failedWindow) + ", spike="
                + spikeFactor.toPlainString() + "x,min=" + spikeMinCount + ",history=" + spikeMinHistoryHours
                + "h, cooldown=" + format(cooldown) + ", webhooks=" + webhooks + ", timeout=" + format(webhookTimeout)
                + ", maxAttempts=" + maxAttempts + ", retryBase=" + format(retryBase) + ", retention="
                + (retention.isZero() ? "0" : Ttl.format(retention)) + ", rules=" + rules + "]";
    }

    /**
     * A webhook alerts are delivered to.
     *
     * @param name   its name, {@code [a-z0-9][a-z0-9_-]{0,31}}, as deliveries are listed under
     * @param url    where alerts are POSTed
     * @param secret the HMAC key deliveries are signed with; never printed
     */
    public record Webhook(String name, URI url, byte[] secret) {

        public Webhook {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            secret = secret.clone();
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }

        /** The URL without its query string (which may carry a credential), fit for logs. */
        public String displayUrl() {
            return WebhookSpecs.display(url);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Webhook w && name.equals(w.name) && url.equals(w.url);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, url);
        }

        /** Name and URL without query string; never the secret. */
        @Override
        public String toString() {
            return name + "=" + displayUrl();
        }
    }

    /** The environment variable that holds the secret of the webhook named {@code name}. */
    public static String secretVariable(String name) {
        return SECRET_ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Collects raw option values (as typed) and checks them all in {@link #build}. Null keeps a default. */
    public static final class Builder {
        private String failedThreshold;
        private String failedWindow;
        private String spikeFactor;
        private String spikeMinCount;
        private String spikeMinHistory;
        private String cooldown;
        private final List<String> webhookFlags = new ArrayList<>();
        private String webhooksVariable;
        private Function<String, String> environment = name -> null;
        private String allowHttp;
        private String webhookTimeout;
        private String maxAttempts;
        private String retryBase;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private String retention;
        private String rules;

        private Builder() {
        }

        /** A whole number, 2 or more. */
        public Builder failedThreshold(String value) {
            this.failedThreshold = value;
            return this;
        }

        /** A duration such as {@code 5m}, at most {@code 24h}. */
        public Builder failedWindow(String value) {
            this.failedWindow = value;
            return this;
        }

        /** A number above 1, such as {@code 10} or {@code 2.5}. */
        public Builder spikeFactor(String value) {
            this.spikeFactor = value;
            return this;
        }

        /** A whole number, 1 or more. */
        public Builder spikeMinCount(String value) {
            this.spikeMinCount = value;
            return this;
        }

        /** Whole hours, {@code 1h} to {@code 24h}. */
        public Builder spikeMinHistory(String value) {
            this.spikeMinHistory = value;
            return this;
        }

        /** A duration such as {@code 1h}, at most {@code 7d}. */
        public Builder cooldown(String value) {
            this.cooldown = value;
            return this;
        }

        /**
         * One {@code NAME=URL} as given to {@code --alert-webhook}; when any is given,
         * {@link #webhooksVariable(String)} is ignored.
         */
        public Builder webhook(String nameEqualsUrl) {
            this.webhookFlags.add(Objects.requireNonNull(nameEqualsUrl, "nameEqualsUrl"));
            return this;
        }

        /** Replaces the {@code NAME=URL} entries given so far (see {@link #webhook(String)}); null for none. */
        public Builder webhooks(List<String> nameEqualsUrls) {
            this.webhookFlags.clear();
            if (nameEqualsUrls != null) {
                nameEqualsUrls.forEach(this::webhook);
            }
            return this;
        }

        /** {@code KEYGATE_ALERT_WEBHOOKS}: {@code NAME=URL} entries separated by commas or white space. */
        public Builder webhooksVariable(String value) {
            this.webhooksVariable = value;
            return this;
        }

        /** Where the webhooks' secrets are read ({@code KEYGATE_ALERT_WEBHOOK_SECRET_<NAME>}): the environment. */
        public Builder environment(Function<String, String> value) {
            this.environment = Objects.requireNonNull(value, "environment");
            return this;
        }

        /** {@code true} lets webhooks use plain http to hosts other than loopback. */
        public Builder allowHttp(String value) {
            this.allowHttp = value;
            return this;
        }

        /** A duration such as {@code 5s}, 1s to 60s. */
        public Builder webhookTimeout(String value) {
            this.webhookTimeout = value;
            return this;
        }

        /** A whole number, 1 to 50. */
        public Builder maxAttempts(String value) {
            this.maxAttempts = value;
            return this;
        }

        /** A duration such as {@code 30s} or {@code 500ms}, at most {@code 1h}. */
        public Builder retryBase(String value) {
            this.retryBase = value;
            return this;
        }

        /** A duration such as {@code 90d}, or {@code 0} to keep alerts for ever. */
        public Builder retention(String value) {
            this.retention = value;
            return this;
        }

        /**
         * The rules that are on: a comma-separated list of names from {@link #RULES}, {@code all} (the default) or
         * {@code none}.
         */
        public Builder rules(String value) {
            this.rules = value;
            return this;
        }

        /** How often an idle deliverer polls the store; not a flag (tests make it short). */
        public Builder pollInterval(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("poll interval must be positive, was " + value);
            }
            this.pollInterval = value;
            return this;
        }

        /**
         * Checks every value, adding each problem to {@code problems}.
         *
         * @return the configuration, or {@code null} when a problem was found
         */
        public AlertConfig build(List<String> problems) {
            int before = problems.size();
            int threshold = (int) whole("--alert-failed-threshold", "KEYGATE_ALERT_FAILED_THRESHOLD", failedThreshold,
                    DEFAULT_FAILED_THRESHOLD, 2, 10_000, problems);
            Duration window = duration("--alert-failed-window", "KEYGATE_ALERT_FAILED_WINDOW", failedWindow,
                    DEFAULT_FAILED_WINDOW, Duration.ofHours(24), problems);
            BigDecimal factor = factor(problems);
            long minCount = whole("--alert-spike-min-count", "KEYGATE_ALERT_SPIKE_MIN_COUNT", spikeMinCount,
                    DEFAULT_SPIKE_MIN_COUNT, 1, 1_000_000_000, problems);
            int history = history(problems);
            Duration cool = duration("--alert-cooldown", "KEYGATE_ALERT_COOLDOWN", cooldown, DEFAULT_COOLDOWN,
                    Duration.ofDays(7), problems);
            Duration timeout = duration("--alert-webhook-timeout", "KEYGATE_ALERT_WEBHOOK_TIMEOUT", webhookTimeout,
                    DEFAULT_WEBHOOK_TIMEOUT, Duration.ofSeconds(60), problems);
            int attempts = (int) whole("--alert-max-attempts", "KEYGATE_ALERT_MAX_ATTEMPTS", maxAttempts,
                    DEFAULT_MAX_ATTEMPTS, 1, 50, problems);
            Duration base = retryBase(problems);
            boolean http = false;
            if (allowHttp != null && !allowHttp.equals("false")) {
                if (allowHttp.equals("true")) {
                    http = true;
                } else {
                    problems.add(problem("--alert-webhook-allow-http", "KEYGATE_ALERT_WEBHOOK_ALLOW_HTTP", allowHttp,
                            "must be true or false"));
                }
            }
            List<Webhook> hooks = new WebhookSpecs(environment).parse(webhookFlags, webhooksVariable, http, problems);
            Duration keep = retention(problems);
            Set<String> on = rules(problems);
            if (problems.size() > before) {
                return null;
            }
            return new AlertConfig(threshold, window, factor, minCount, history, cool, hooks, timeout, attempts,
                    base, pollInterval, keep, on);
        }

        private Duration retention(List<String> problems) {
            if (retention == null) {
                return DEFAULT_RETENTION;
            }
            try {
                return Ttl.parseOrZero(retention);
            } catch (IllegalArgumentException e) {
                problems.add(problem("--alert-retention", "KEYGATE_ALERT_RETENTION", retention,
                        Ttl.RULE + ", or 0 to keep alerts for ever"));
                return null;
            }
        }

        private Set<String> rules(List<String> problems) {
            if (rules == null || rules.strip().equals("all")) {
                return new LinkedHashSet<>(RULES);
            }
            if (rules.strip().equals("none")) {
                return Set.of();
            }
            Set<String> named = new LinkedHashSet<>();
            List<String> bad = new ArrayList<>();
            for (String entry : rules.split(",", -1)) {
                String name = entry.strip();
                if (RULES.contains(name)) {
                    named.add(name);
                } else if (name.isEmpty()) {
                    bad.add("has an empty entry");
                } else if (name.equals(Alert.TOKEN_LEAKED)) {
                    bad.add("names '" + name + "', which cannot be turned off (it is raised with the revocation of "
                            + "each reported leak)");
                } else {
                    bad.add("names '" + WebhookSpecs.quote(name) + "', which is not a rule");
                }
            }
            for (String what : bad.stream().distinct().toList()) {
                problems.add("--alert-rules (KEYGATE_ALERT_RULES): '" + WebhookSpecs.quote(rules) + "' " + what
                        + "; give a comma-separated list of " + String.join(", ", RULES) + ", or all, or none");
            }
            Set<String> on = new LinkedHashSet<>();
            RULES.stream().filter(named::contains).forEach(on::add);
            return on;
        }

        private BigDecimal factor(List<String> problems) {
            if (spikeFactor == null) {
                return DEFAULT_SPIKE_FACTOR;
            }
            try {
                if (!spikeFactor.matches("[0-9]{1,6}(\\.[0-9]{1,3})?")) {
                    throw new NumberFormatException();
                }
                BigDecimal f = new BigDecimal(spikeFactor);
                if (f.compareTo(BigDecimal.ONE) > 0 && f.compareTo(BigDecimal.valueOf(1000)) <= 0) {
                    return f;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(problem("--alert-spike-factor", "KEYGATE_ALERT_SPIKE_FACTOR", spikeFactor,
                    "must be a number above 1 and at most 1000, with at most 3 decimals (e.g. 10 or 2.5)"));
            return null;
        }

        private int history(List<String> problems) {
            if (spikeMinHistory == null) {
                return (int) DEFAULT_SPIKE_MIN_HISTORY.toHours();
            }
            Matcher m = Pattern.compile("([1-9][0-9]?)h").matcher(spikeMinHistory);
            if (m.matches() && Integer.parseInt(m.group(1)) <= SPIKE_HISTORY_HOURS) {
                return Integer.parseInt(m.group(1));
            }
            problems.add(problem("--alert-spike-min-history", "KEYGATE_ALERT_SPIKE_MIN_HISTORY", spikeMinHistory,
                    "must be whole hours from 1h to " + SPIKE_HISTORY_HOURS + "h (e.g. 6h)"));
            return -1;
        }

        private Duration retryBase(List<String> problems) {
            if (retryBase == null) {
                return DEFAULT_RETRY_BASE;
            }
            Matcher m = SHORT_DURATION.matcher(retryBase);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                Duration d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
                if (d.compareTo(Duration.ofHours(1)) <= 0) {
                    return d;
                }
            }
            problems.add(problem("--alert-retry-base", "KEYGATE_ALERT_RETRY_BASE", retryBase,
                    "must be a positive whole number followed by ms, s, m or h, at most 1h (e.g. 500ms, 30s)"));
            return null;
        }

        private static long whole(String flag, String env, String value, long fallback, long min, long max,
                                  List<String> problems) {
            if (value == null) {
                return fallback;
            }
            if (value.matches("[0-9]{1,10}")) {
                long n = Long.parseLong(value);
                if (n >= min && n <= max) {
                    return n;
                }
            }
            problems.add(problem(flag, env, value, "must be a whole number from " + min + " to " + max));
            return -1;
        }

        private static Duration duration(String flag, String env, String value, Duration fallback, Duration max,
                                         List<String> problems) {
            if (value == null) {
                return fallback;
            }
            try {
                Duration d = Ttl.parse(value);
                if (d.compareTo(max) <= 0) {
                    return d;
                }
                problems.add(problem(flag, env, value, "must be at most " + Ttl.format(max)));
            } catch (IllegalArgumentException e) {
                problems.add(problem(flag, env, value, Ttl.RULE));
            }
            return null;
        }

        private static String problem(String flag, String env, String value, String what) {
            return flag + " (" + env + "): '" + WebhookSpecs.quote(value) + "' " + what;
        }
    }
}
