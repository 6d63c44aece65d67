package dev.keygate.server.config;

import dev.keygate.core.token.Ttl;
import dev.keygate.server.alert.AlertConfig;
import dev.keygate.server.leak.LeakReportKeys;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The server's configuration: parsed and checked once, by {@link Builder#build()}, then immutable. Every
 * problem is reported at once, each naming the flag, its environment variable and the bad value.
 */
public final class ServerConfig {

    public static final String DEFAULT_LISTEN = "127.0.0.1:8080";
    public static final String DEFAULT_DATA_DIR = "keygate-data";
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(90);
    public static final Duration DEFAULT_MAX_ROTATION_GRACE = Duration.ofDays(7);
    public static final Duration DEFAULT_AUDIT_RETENTION = Duration.ofDays(30);
    /** The fewest bytes an audit key may have. */
    public static final int MIN_KEY_BYTES = 32;
    /** {@code --audit-sink} values: standard output, or a file after this prefix. */
    public static final String STDOUT_SINK = "stdout";
    public static final String FILE_SINK = "file:";

    private final String host;
    private final int port;
    private final Path dataDir;
    private final String dbUrl;
    private final String dbUser;
    private final String dbPassword;
    private final Path bootstrapTokenFile;
    private final Duration defaultTtl;
    private final Duration maxTtl;
    private final Duration cacheTtl;
    private final boolean allowPermanentTokens;
    private final Duration maxRotationGrace;
    private final int auditQueueCapacity;
    private final AlertConfig alerts;
    private final boolean auditVerifyEvents;
    private final Duration auditRetention;
    private final Duration auditPruneInterval;
    private final byte[] auditKey;
    private final byte[] auditPreviousKey;
    private final String auditSink;
    private final Path auditSinkFile;
    private final PrintStream auditSinkOutput;
    private final Duration auditSinkPollInterval;
    private final Path leakReportKeysFile;
    private final LeakReportKeys leakReportKeys;
    private final Clock clock;
    private final PrintStream bootstrapOutput;

    private ServerConfig(Builder b, String host, int port, Duration defaultTtl, Duration maxTtl, Duration cacheTtl,
                         Duration maxRotationGrace, AlertConfig alerts, Duration auditRetention,
                         byte[] auditKey, byte[] auditPreviousKey, LeakReportKeys leakReportKeys) {
        this.host = host;
        this.port = port;
        this.dataDir = Path.of(b.dataDir);
        this.dbUrl = b.dbUrl;
        this.dbUser = b.dbUser;
        this.dbPassword = b.dbPassword;
        this.bootstrapTokenFile = b.bootstrapTokenFile == null ? null : Path.of(b.bootstrapTokenFile);
        this.defaultTtl = defaultTtl;
        this.maxTtl = maxTtl;
        this.cacheTtl = cacheTtl;
        this.allowPermanentTokens = Boolean.parseBoolean(b.allowPermanentTokens);
        this.maxRotationGrace = maxRotationGrace;
        this.auditQueueCapacity = b.auditQueueCapacity;
        this.alerts = alerts;
        this.auditVerifyEvents = Boolean.parseBoolean(b.auditVerifyEvents);
        this.auditRetention = auditRetention;
        this.auditPruneInterval = b.auditPruneInterval;
        this.auditKey = auditKey;
        this.auditPreviousKey = auditPreviousKey;
        this.auditSink = b.auditSink;
        this.auditSinkFile = b.auditSink != null && b.auditSink.startsWith(FILE_SINK)
                ? Path.of(b.auditSink.substring(FILE_SINK.length())) : null;
        this.auditSinkOutput = b.auditSinkOutput;
        this.auditSinkPollInterval = b.auditSinkPollInterval;
        this.leakReportKeysFile = b.leakReportKeys == null ? null : Path.of(b.leakReportKeys);
        this.leakReportKeys = leakReportKeys;
        // The store keeps times to the millisecond: a clock that ticks in whole milliseconds makes what a
        // response says equal to what a later read of the store says.
        this.clock = Clock.tick(b.clock, Duration.ofMillis(1));
        this.bootstrapOutput = b.bootstrapOutput;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The interface to listen on, for example {@code 127.0.0.1}. */
    public String host() {
        return host;
    }

    /** The port to listen on; 0 picks a free one (see {@code KeygateServer.port()}). */
    public int port() {
        return port;
    }

    /** Where the embedded SQLite store lives when no {@link #dbUrl()} is given. */
    public Path dataDir() {
        return dataDir;
    }

    /** The JDBC URL of the store: the given one, or SQLite in {@link #dataDir()}. */
    public String dbUrl() {
        return dbUrl != null ? dbUrl : "jdbc:sqlite:" + dataDir.resolve("keygate.db");
    }

    /** Whether the store is the embedded SQLite one. */
    public boolean embeddedStore() {
        return dbUrl().startsWith("jdbc:sqlite:");
    }

    /** The database user, or {@code null}. */
    public String dbUser() {
        return dbUser;
    }

    /** The database password, or {@code null}. Read from the environment only, never from a flag. */
    public String dbPassword() {
        return dbPassword;
    }

    /** Where to write the first admin token (mode 0600), or {@code null} to print it to stdout. */
    public Path bootstrapTokenFile() {
        return bootstrapTokenFile;
    }

    /** The lifetime of a token when the request names none. */
    public Duration defaultTtl() {
        return defaultTtl;
    }

    /** The longest lifetime any token may have. */
    public Duration maxTtl() {
        return maxTtl;
    }

    /**
     * Whether tokens that never expire may be minted (by callers holding
     * {@code keygate.tokens:create-permanent}). Off unless the operator turns it on.
     */
    public boolean allowPermanentTokens() {
        return allowPermanentTokens;
    }

    /** The longest grace period a rotation may give the token it replaces. */
    public Duration maxRotationGrace() {
        return maxRotationGrace;
    }

    /**
     * How long a verified token's view may be served from this node's cache. Changes made through this node
     * invalidate it at once; the bound matters only for changes made by other nodes sharing a PostgreSQL store.
     */
    public Duration cacheTtl() {
        return cacheTtl;
    }

    /** How many verify events may wait for the audit writer before new ones are dropped and counted. */
    public int auditQueueCapacity() {
        return auditQueueCapacity;
    }

    /** The alert rules' thresholds and the webhooks alerts are delivered to. */
    public AlertConfig alerts() {
        return alerts;
    }

    /**
     * Whether each verification is recorded: an audit event, the token's usage roll-ups and the alert rules that
     * watch them. On unless the operator turns it off (for a benchmark, or where a gateway logs verifications
     * itself); off, admin changes are still audited and {@code last_used_at} is no longer kept.
     */
    public boolean auditVerifyEvents() {
        return auditVerifyEvents;
    }

    /**
     * How long verify events are kept before retention prunes them (the admin chain is kept for ever);
     * {@link Duration#ZERO} keeps them for ever too.
     */
    public Duration auditRetention() {
        return auditRetention;
    }

    /** How often each node runs the retention of verify events and of alerts; zero: only when asked. */
    public Duration auditPruneInterval() {
        return auditPruneInterval;
    }

    /**
     * The key that signs audit checkpoints ({@code KEYGATE_AUDIT_KEY}, environment only), a copy, or {@code null}:
     * then the server generates one and keeps it in the store (weaker; it warns at start-up).
     */
    public byte[] auditKey() {
        return auditKey == null ? null : auditKey.clone();
    }

    /**
     * The audit key given up ({@code KEYGATE_AUDIT_PREVIOUS_KEY}), a copy, or {@code null}: the latest checkpoints
     * it signed are signed again with {@link #auditKey()} at start-up.
     */
    public byte[] auditPreviousKey() {
        return auditPreviousKey == null ? null : auditPreviousKey.clone();
    }

    /**
     * Where every committed audit event is also written as a JSON line ({@code --audit-sink}): {@code stdout},
     * {@code file:PATH}, or {@code null} for nowhere.
     */
    public String auditSink() {
        return auditSink;
    }

    /** The file of a {@code file:} audit sink, or {@code null}. Opened (and checked) at start-up, not here. */
    public Path auditSinkFile() {
        return auditSinkFile;
    }

    /** Where a {@code stdout} audit sink writes: the process's stdout unless a test or an embedding says otherwise. */
    public PrintStream auditSinkOutput() {
        return auditSinkOutput;
    }

    /** How often the audit sink looks for new events. */
    public Duration auditSinkPollInterval() {
        return auditSinkPollInterval;
    }

    /**
     * The keys that GitHub's signed leak reports are checked with ({@code --leak-report-keys}), read and checked at
     * start-up; {@link LeakReportKeys#none()} when none were given: {@code POST /v1/leaks} then needs a bearer token.
     */
    public LeakReportKeys leakReportKeys() {
        return leakReportKeys;
    }

    /** The file {@link #leakReportKeys()} were read from, or {@code null}. */
    public Path leakReportKeysFile() {
        return leakReportKeysFile;
    }

    public Clock clock() {
        return clock;
    }

    /** Where the bootstrap token is printed when no {@link #bootstrapTokenFile()} is set. */
    public PrintStream bootstrapOutput() {
        return bootstrapOutput;
    }

    @Override
    public String toString() {
        // Never the password; the URL may hold one too, so only its scheme and host part are shown.
        return "ServerConfig[listen=" + host + ":" + port + ", store=" + redactedDbUrl() + ", defaultTtl="
                + Ttl.format(defaultTtl) + ", maxTtl=" + Ttl.format(maxTtl) + ", allowPermanentTokens="
                + allowPermanentTokens + ", maxRotationGrace=" + Ttl.format(maxRotationGrace) + ", auditVerifyEvents="
                + auditVerifyEvents + ", auditRetention=" + (auditRetention.isZero() ? "0" : Ttl.format(auditRetention))
                + ", leakReportKeys=" + leakReportKeys + ", alerts=" + alerts + "]";
    }

    /** The store URL without any query string (which may carry credentials). */
    public String redactedDbUrl() {
        String url = dbUrl();
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?…";
    }

    /** Collects raw option values (as typed by a user) and checks them all in {@link #build()}. */
    public static final class Builder {
        private String listen = DEFAULT_LISTEN;
        private String dataDir = DEFAULT_DATA_DIR;
        private String dbUrl;
        private String dbUser;
        private String dbPassword;
        private String bootstrapTokenFile;
        private String defaultTtl = Ttl.format(DEFAULT_TTL);
        private String maxTtl = Ttl.format(DEFAULT_MAX_TTL);
        private String cacheTtl = "30s";
        private String allowPermanentTokens = "false";
        private String maxRotationGrace = Ttl.format(DEFAULT_MAX_ROTATION_GRACE);
        private int auditQueueCapacity = 65_536;
        private final AlertConfig.Builder alerts = AlertConfig.builder();
        private String auditVerifyEvents = "true";
        private String auditRetention = Ttl.format(DEFAULT_AUDIT_RETENTION);
        private Duration auditPruneInterval = Duration.ofHours(1);
        private String auditKey;
        private String auditPreviousKey;
        private String auditSink;
        private PrintStream auditSinkOutput = System.out;
        private Duration auditSinkPollInterval = Duration.ofMillis(200);
        private String leakReportKeys;
        private Clock clock = Clock.systemUTC();
        private PrintStream bootstrapOutput = System.out;

        private Builder() {
        }

        /** {@code host:port}; IPv6 hosts in brackets, for example {@code [::1]:8080}. Null keeps the default. */
        public Builder listen(String value) {
            if (value != null) {
                this.listen = value;
            }
            return this;
        }

        public Builder dataDir(String value) {
            if (value != null) {
                this.dataDir = value;
            }
            return this;
        }

        /** A {@code jdbc:postgresql://} or {@code jdbc:sqlite:} URL, or null for SQLite in the data dir. */
        public Builder dbUrl(String value) {
            this.dbUrl = blankToNull(value);
            return this;
        }

        public Builder dbUser(String value) {
            this.dbUser = blankToNull(value);
            return this;
        }

        public Builder dbPassword(String value) {
            this.dbPassword = blankToNull(value);
            return this;
        }

        public Builder bootstrapTokenFile(String value) {
            this.bootstrapTokenFile = blankToNull(value);
            return this;
        }

        public Builder defaultTtl(String value) {
            if (value != null) {
                this.defaultTtl = value;
            }
            return this;
        }

        public Builder maxTtl(String value) {
            if (value != null) {
                this.maxTtl = value;
            }
            return this;
        }

        public Builder cacheTtl(String value) {
            if (value != null) {
                this.cacheTtl = value;
            }
            return this;
        }

        public Builder allowPermanentTokens(boolean value) {
            return allowPermanentTokens(Boolean.toString(value));
        }

        /** {@code true} or {@code false}, as typed; null keeps the default (false). */
        public Builder allowPermanentTokens(String value) {
            if (value != null) {
                this.allowPermanentTokens = value;
            }
            return this;
        }

        public Builder maxRotationGrace(String value) {
            if (value != null) {
                this.maxRotationGrace = value;
            }
            return this;
        }

        public Builder auditQueueCapacity(int value) {
            this.auditQueueCapacity = value;
            return this;
        }

        /** Sets the alert options (raw values, checked by {@link #build()} with the rest). */
        public Builder alerts(Consumer<AlertConfig.Builder> settings) {
            settings.accept(alerts);
            return this;
        }

        /** {@code true} or {@code false}, as typed; null keeps the default (true). */
        public Builder auditVerifyEvents(String value) {
            if (value != null) {
                this.auditVerifyEvents = value;
            }
            return this;
        }

        /** How long verify events are kept, e.g. {@code 30d}, or {@code 0} for ever; null keeps the default. */
        public Builder auditRetention(String value) {
            if (value != null) {
                this.auditRetention = value;
            }
            return this;
        }

        /**
         * How often retention runs, of verify events and of alerts (not a flag: an hour suits every retention a
         * duration can express); zero runs it only when asked ({@code AuditRetention.pruneNow()},
         * {@code AlertRetention.pruneNow()}), for tests and embedders with their own schedule.
         */
        public Builder auditPruneInterval(Duration value) {
            this.auditPruneInterval = Objects.requireNonNull(value, "auditPruneInterval");
            return this;
        }

        /** {@code stdout} or {@code file:PATH}; null or blank for no sink. */
        public Builder auditSink(String value) {
            this.auditSink = blankToNull(value);
            return this;
        }

        public Builder auditSinkOutput(PrintStream value) {
            this.auditSinkOutput = Objects.requireNonNull(value, "auditSinkOutput");
            return this;
        }

        /** How often the sink polls for new events (not a flag). */
        public Builder auditSinkPollInterval(Duration value) {
            this.auditSinkPollInterval = Objects.requireNonNull(value, "auditSinkPollInterval");
            return this;
        }

        /** The audit key in base64, from {@code KEYGATE_AUDIT_KEY}; null or blank for none. Never a flag. */
        public Builder auditKey(String value) {
            this.auditKey = blankToNull(value);
            return this;
        }

        /** The previous audit key in base64, from {@code KEYGATE_AUDIT_PREVIOUS_KEY}; null or blank for none. */
        public Builder auditPreviousKey(String value) {
            this.auditPreviousKey = blankToNull(value);
            return this;
        }

        /**
         * The file of GitHub's secret-scanning public keys, as {@value LeakReportKeys#GITHUB_KEYS_URL} serves it;
         * null or blank for none. Read and checked by {@link #build()}.
         */
        public Builder leakReportKeys(String value) {
            this.leakReportKeys = blankToNull(value);
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder bootstrapOutput(PrintStream value) {
            this.bootstrapOutput = Objects.requireNonNull(value, "bootstrapOutput");
            return this;
        }

        /**
         * Checks every value and returns the immutable configuration.
         *
         * @throws ConfigException listing every problem found
         */
        public ServerConfig build() {
            List<String> problems = new ArrayList<>();
            String host = null;
            int port = -1;
            int colon = listen.lastIndexOf(':');
            if (colon <= 0 || colon == listen.length() - 1) {
                problems.add(problem("--listen", "KEYGATE_LISTEN", listen, "is not host:port (e.g. 127.0.0.1:8080)"));
            } else {
                host = listen.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                try {
                    port = Integer.parseInt(listen.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 0 || port > 65_535) {
                    problems.add(problem("--listen", "KEYGATE_LISTEN", listen, "has no valid port (0-65535)"));
                } else if (new InetSocketAddress(host, port).isUnresolved()) {
                    problems.add(problem("--listen", "KEYGATE_LISTEN", listen, "names a host that does not resolve"));
                }
            }
            if (dataDir.isBlank()) {
                problems.add(problem("--data-dir", "KEYGATE_DATA_DIR", dataDir, "must not be empty"));
            }
            if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql://") && !dbUrl.startsWith("jdbc:sqlite:")) {
                problems.add(problem("--db-url", "KEYGATE_DB_URL", redact(dbUrl),
                        "is not supported: use jdbc:postgresql://host:port/db or jdbc:sqlite:path"));
            }
            Duration def = duration("--default-ttl", "KEYGATE_DEFAULT_TTL", defaultTtl, problems);
            Duration max = duration("--max-ttl", "KEYGATE_MAX_TTL", maxTtl, problems);
            Duration cache = duration("--cache-ttl", "KEYGATE_CACHE_TTL", cacheTtl, problems);
            Duration grace = null;
            try {
                // 0 forbids grace periods: every rotation then ends the old token at once.
                grace = Ttl.parseOrZero(maxRotationGrace);
            } catch (IllegalArgumentException e) {
                problems.add(problem("--max-rotation-grace", "KEYGATE_MAX_ROTATION_GRACE", maxRotationGrace,
                        Ttl.RULE + ", or 0"));
            }
            if (def != null && max != null && def.compareTo(max) > 0) {
                problems.add("--default-ttl (KEYGATE_DEFAULT_TTL): '" + defaultTtl + "' exceeds --max-ttl '" + maxTtl + "'");
            }
            if (cache != null && cache.compareTo(Duration.ofMinutes(10)) > 0) {
                problems.add(problem("--cache-ttl", "KEYGATE_CACHE_TTL", cacheTtl, "must be at most 10m"));
            }
            if (!allowPermanentTokens.equals("true") && !allowPermanentTokens.equals("false")) {
                problems.add(problem("--allow-permanent-tokens", "KEYGATE_ALLOW_PERMANENT_TOKENS", allowPermanentTokens,
                        "must be true or false"));
            }
            if (!auditVerifyEvents.equals("true") && !auditVerifyEvents.equals("false")) {
                problems.add(problem("--audit-verify-events", "KEYGATE_AUDIT_VERIFY_EVENTS", auditVerifyEvents,
                        "must be true or false"));
            }
            if (auditQueueCapacity < 1) {
                problems.add("audit queue capacity must be positive, was " + auditQueueCapacity);
            }
            Duration retention = null;
            try {
                // 0 turns retention off: verify events are then kept for ever.
                retention = Ttl.parseOrZero(auditRetention);
            } catch (IllegalArgumentException e) {
                problems.add(problem("--audit-retention", "KEYGATE_AUDIT_RETENTION", auditRetention,
                        Ttl.RULE + ", or 0 to keep verify events for ever"));
            }
            if (auditPruneInterval.isNegative()) {
                problems.add("audit prune interval must not be negative, was " + auditPruneInterval);
            }
            if (auditSink != null && !auditSink.equals(STDOUT_SINK)
                    && !(auditSink.startsWith(FILE_SINK) && !auditSink.substring(FILE_SINK.length()).isBlank())) {
                problems.add(problem("--audit-sink", "KEYGATE_AUDIT_SINK", auditSink,
                        "must be stdout or file:PATH (e.g. file:/var/log/keygate/audit.jsonl)"));
            }
            if (auditSinkPollInterval.isNegative() || auditSinkPollInterval.isZero()) {
                problems.add("audit sink poll interval must be positive, was " + auditSinkPollInterval);
            }
            byte[] key = key("KEYGATE_AUDIT_KEY", auditKey, problems);
            byte[] previousKey = key("KEYGATE_AUDIT_PREVIOUS_KEY", auditPreviousKey, problems);
            if (auditPreviousKey != null && auditKey == null) {
                problems.add("KEYGATE_AUDIT_PREVIOUS_KEY is set but KEYGATE_AUDIT_KEY is not: set the new key too");
            }
            AlertConfig alertConfig = alerts.build(problems);
            LeakReportKeys reportKeys = LeakReportKeys.none();
            if (leakReportKeys != null) {
                List<String> keyProblems = new ArrayList<>();
                reportKeys = LeakReportKeys.load(Path.of(leakReportKeys), keyProblems);
                keyProblems.forEach(p -> problems.add("--leak-report-keys (KEYGATE_LEAK_REPORT_KEYS): '"
                        + leakReportKeys + "' " + p));
            }
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return new ServerConfig(this, host, port, def, max, cache, grace, alertConfig, retention, key,
                    previousKey, reportKeys);
        }

        /** A key in base64 of at least {@value ServerConfig#MIN_KEY_BYTES} bytes; problems never quote it. */
        private static byte[] key(String env, String value, List<String> problems) {
            if (value == null) {
                return null;
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(value.strip());
            } catch (IllegalArgumentException e) {
                problems.add(env + ": is not base64 (generate a key with 'openssl rand -base64 32')");
                return null;
            }
            if (bytes.length < MIN_KEY_BYTES) {
                problems.add(env + ": holds " + bytes.length + " bytes; a key needs at least " + MIN_KEY_BYTES
                        + " (generate one with 'openssl rand -base64 32')");
                return null;
            }
            return bytes;
        }

        private static Duration duration(String flag, String env, String value, List<String> problems) {
            try {
                return Ttl.parse(value);
            } catch (IllegalArgumentException e) {
                problems.add(problem(flag, env, value, Ttl.RULE));
                return null;
            }
        }

        private static String problem(String flag, String env, String value, String what) {
            return flag + " (" + env + "): '" + value + "' " + what;
        }

        private static String redact(String url) {
            int q = url.indexOf('?');
            return q < 0 ? url : url.substring(0, q) + "?…";
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
