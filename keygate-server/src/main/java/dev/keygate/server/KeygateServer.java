package dev.keygate.server;

import dev.keygate.core.policy.Conditions;
import dev.keygate.core.token.TokenStatus;
import dev.keygate.server.alert.AlertRetention;
import dev.keygate.server.alert.AlertSink;
import dev.keygate.server.alert.Alerts;
import dev.keygate.server.alert.WebhookDeliverer;
import dev.keygate.server.audit.AuditKey;
import dev.keygate.server.audit.AuditRetention;
import dev.keygate.server.audit.AuditService;
import dev.keygate.server.audit.AuditSink;
import dev.keygate.server.audit.AuditWriter;
import dev.keygate.server.audit.LegacyEvents;
import dev.keygate.server.auth.AdminBootstrap;
import dev.keygate.server.auth.Authenticator;
import dev.keygate.server.config.ConfigException;
import dev.keygate.server.config.ServerConfig;
import dev.keygate.server.http.HttpApi;
import dev.keygate.server.hygiene.HygieneService;
import dev.keygate.server.hygiene.JdbcHygieneStore;
import dev.keygate.server.leak.LeakService;
import dev.keygate.server.metrics.Metrics;
import dev.keygate.server.policy.ExplainService;
import dev.keygate.server.policy.PolicyService;
import dev.keygate.server.principal.PrincipalService;
import dev.keygate.server.role.RoleService;
import dev.keygate.server.store.Database;
import dev.keygate.server.store.Dialect;
import dev.keygate.server.store.PostgresChangeListener;
import dev.keygate.server.token.Revocations;
import dev.keygate.server.token.TokenQuery;
import dev.keygate.server.token.TokenRules;
import dev.keygate.server.token.TokenService;
import dev.keygate.server.token.TokenStore;
import dev.keygate.server.token.TokenViewCache;
import dev.keygate.server.token.TokenViewLoader;
import dev.keygate.server.usage.JdbcUsageStore;
import dev.keygate.server.usage.UsageRetention;
import dev.keygate.server.usage.UsageRollup;
import dev.keygate.server.usage.UsageService;
import dev.keygate.server.usage.UsageStore;
import dev.keygate.server.verify.Meter;
import dev.keygate.server.verify.RateLimiter;
import dev.keygate.server.verify.VerifyService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

/**
 * A running Keygate server: its store, caches, audit writer (with the usage roll-up and the alert rules), audit,
 * usage and alert retention, audit sink, alert delivery, metrics and HTTP listener.
 */
public final class KeygateServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KeygateServer.class);
    private static final long TOKEN_CACHE_SIZE = 100_000;
    /** How many tokens' rate-limit buckets a node tracks at most (an evicted bucket starts full again). */
    private static final long RATE_LIMIT_BUCKETS = 100_000;
    /** Compiled at start-up to build CEL's environment before a request needs it. */
    private static final String WARMUP_CONDITION = "request.ip.inCidr('10.0.0.0/8') && request.time.getHours() >= 0";

    private final ServerConfig config;
    private final Database db;
    private final AuditWriter auditWriter;
    private final Alerts alerts;
    private final AuditRetention auditRetention;
    private final AuditSink sink;
    private final HttpApi http;
    private final VerifyService verifier;
    private final PostgresChangeListener listener;
    private final Metrics metrics;
    private final UsageRetention usageRetention;
    private boolean closed;

    private KeygateServer(ServerConfig config, Database db, AuditWriter auditWriter, Alerts alerts,
                          AuditRetention auditRetention, AuditSink sink, HttpApi http, VerifyService verifier,
                          PostgresChangeListener listener, Metrics metrics, UsageRetention usageRetention) {
        this.config = config;
        this.metrics = metrics;
        this.db = db;
        this.auditWriter = auditWriter;
        this.alerts = alerts;
        this.auditRetention = auditRetention;
        this.sink = sink;
        this.http = http;
        this.verifier = verifier;
        this.listener = listener;
        this.usageRetention = usageRetention;
    }

    /**
     * Opens the store (migrating it, and chaining audit events written before the hash chain), loads the audit
     * key, opens the audit sink, bootstraps an empty store, starts the audit writer, retention and the HTTP
     * listener.
     *
     * @throws ConfigException if the store cannot be opened, the audit sink cannot be opened, the bootstrap token
     *                         cannot be written (or would be printed into a stdout audit sink), or the address
     *                         cannot be listened on
     */
    public static KeygateServer start(ServerConfig config) {
        return start(config, AlertSink.NONE);
    }

    /**
     * Starts as {@link #start(ServerConfig)} does, and also passes every alert the server raises (by its rules or
     * for a reported leak) to {@code observer}, on the connection of the transaction that raises it, after the
     * server stored it: for tests and embedding applications. An observer that throws undoes that transaction.
     *
     * @throws ConfigException as {@link #start(ServerConfig)}
     */
    public static KeygateServer start(ServerConfig config, AlertSink observer) {
        Database db = Database.open(config);
        Metrics metrics = new Metrics(config.clock());
        AuditWriter writer = null;
        Alerts alerts = null;
        AuditRetention auditRetention = null;
        AuditSink sink = null;
        PostgresChangeListener listener = null;
        UsageRetention usageRetention = null;
        try {
            Stores stores = Stores.jdbc(db.dialect());
            // Before anything is appended: events of a store upgraded from before the chain join it in id order.
            LegacyEvents.chain(db, stores.audit());
            AuditKey auditKey = AuditKey.load(db, stores.audit(),
                    config.auditKey() == null ? null : AuditKey.of(config.auditKey()),
                    config.auditPreviousKey() == null ? List.of() : List.of(AuditKey.of(config.auditPreviousKey())),
                    config.clock());
            // From the heads as they are now: the bootstrap's events below are the first it writes.
            sink = openSink(config, db, stores);
            new AdminBootstrap(db, stores.roles(), stores.principals(), stores.tokens(), stores.audit(),
                    config.clock()).bootstrapIfEmpty(config.maxTtl(), secret -> deliverBootstrapToken(config, secret));
            warnOfPermanentTokens(config, db, stores.tokens());
            // The first condition compiled in a JVM builds CEL's environment (a few hundred ms): do it now, aside,
            // rather than in the first verify of a token whose roles have conditions.
            Thread.ofVirtual().name("keygate-cel-warmup").start(() -> Conditions.compile(WARMUP_CONDITION));
            TokenViewCache cache = new TokenViewCache(TOKEN_CACHE_SIZE, config.cacheTtl());
            if (db.dialect() == Dialect.POSTGRESQL) {
                // Other nodes may share this store: apply the changes they commit to our cache.
                listener = new PostgresChangeListener(config, cache).start();
            }
            TokenViewLoader loader = new TokenViewLoader(db, stores.tokens(), stores.roles(), stores.principals());
            alerts = Alerts.create(db, stores.audit(), config.alerts(), config.clock(), observer);
            UsageStore usage = new JdbcUsageStore();
            // The usage roll-up and the alert rules run on the audit writer's thread, with each batch of verify events.
            writer = new AuditWriter(db, stores.audit(), stores.tokens(), config.auditQueueCapacity(),
                    List.of(new UsageRollup(usage), alerts.rules()));
            usageRetention = new UsageRetention(db, usage, config.clock()).start();
            if (config.leakReportKeys().accepted()) {
                log.info("POST /v1/leaks accepts reports signed by GitHub's secret scanning, with {} keys from {} "
                        + "(current: {})", config.leakReportKeys().size(), config.leakReportKeysFile(),
                        config.leakReportKeys().current().isEmpty() ? "none"
                                : String.join(", ", config.leakReportKeys().current()));
            }
            if (!config.auditVerifyEvents()) {
                log.warn("verify events are off (--audit-verify-events=false): the alert rules see no verification");
            }
            auditRetention = new AuditRetention(db, stores.audit(), auditKey, config.auditRetention(),
                    config.auditPruneInterval(), config.clock());
            Meter meter = new Meter(db, stores.tokens(), new RateLimiter(config.clock(), RATE_LIMIT_BUCKETS));
            bindAuditMetrics(metrics, writer);
            metrics.liveTokens(() -> db.read(c -> stores.tokens().countLiveByEnvironment(c, config.clock().instant())));
            VerifyService verifier = new VerifyService(cache, loader, config.auditVerifyEvents() ? writer : null, meter,
                    config.clock(), metrics.verify());
            Revocations revocations = new Revocations(db, stores.tokens(), stores.audit(), cache);
            RoleService roles = new RoleService(db, stores.roles(), stores.tokens(), stores.audit(), cache,
                    config.clock());
            HttpApi http = new HttpApi(db,
                    new Authenticator(cache, loader, meter, config.clock()),
                    roles,
                    new PrincipalService(db, stores.principals(), stores.tokens(), stores.audit(), revocations,
                            config.clock()),
                    new TokenService(db, stores.tokens(), stores.roles(), stores.principals(), stores.audit(),
                            revocations, config.clock(), new TokenRules(config.defaultTtl(), config.maxTtl(),
                            config.allowPermanentTokens(), config.maxRotationGrace())),
                    verifier,
                    new AuditService(db, stores.audit(), auditKey),
                    new ExplainService(loader, config.clock()),
                    new PolicyService(db, stores.roles(), roles, config.clock()),
                    new LeakService(db, stores.tokens(), stores.audit(), revocations, alerts.service(),
                            config.leakReportKeys(), config.clock()),
                    metrics,
                    new UsageService(db, usage, config.clock()),
                    new HygieneService(db, new JdbcHygieneStore(), stores.roles(), usage, config.clock()),
                    alerts.service());
            bindAlertMetrics(metrics, alerts.deliverer());
            // Alert retention runs on the audit retention's interval (tests set it to zero: only when asked).
            alerts.start(config.auditPruneInterval());
            try {
                http.start(config.host(), config.port());
            } catch (RuntimeException e) {
                throw new ConfigException(List.of("--listen (KEYGATE_LISTEN): cannot listen on " + config.host() + ":"
                        + config.port() + ": " + rootMessage(e)));
            }
            // DEBUG: 'keygate serve' tells the user where it listens; an embedding application decides for itself.
            log.debug("listening on {}:{} ({})", config.host(), http.port(), config);
            return new KeygateServer(config, db, writer, alerts, auditRetention, sink, http, verifier, listener,
                    metrics, usageRetention);
        } catch (RuntimeException e) {
            if (sink != null) {
                sink.close();
            }
            if (auditRetention != null) {
                auditRetention.close();
            }
            if (usageRetention != null) {
                usageRetention.close();
            }
            if (writer != null) {
                writer.close();
            }
            if (alerts != null) {
                alerts.close();
            }
            if (listener != null) {
                listener.close();
            }
            db.close();
            metrics.close();
            throw e;
        }
    }

    /** The port actually listened on (useful with port 0). */
    public int port() {
        return http.port();
    }

    /** {@code http://host:port}. */
    public URI baseUri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + port());
    }

    /** The verify service, for in-process use (benchmarks, embedding). */
    public VerifyService verifier() {
        return verifier;
    }

    /** The server's meters (what {@code GET /metrics} serves). */
    public Metrics metrics() {
        return metrics;
    }

    /** The pruning of usage roll-ups, to prune now (tests, operators' tools) rather than at the next hour. */
    public UsageRetention usageRetention() {
        return usageRetention;
    }

    /** The audit writer, for its metrics. */
    public AuditWriter auditWriter() {
        return auditWriter;
    }

    /** The alert deliverer, for its counts ({@code sent()}, {@code failed()}). */
    public WebhookDeliverer alertDeliverer() {
        return alerts.deliverer();
    }

    /** Retention of alerts and ended suppressions: {@link AlertRetention#pruneNow()} runs it now. */
    public AlertRetention alertRetention() {
        return alerts.retention();
    }

    /** Retention of the verify chain: runs on its own schedule; {@link AuditRetention#pruneNow()} runs it now. */
    public AuditRetention auditRetention() {
        return auditRetention;
    }

    /** Every route of the HTTP API. */
    public List<dev.keygate.server.http.Route> routes() {
        return http.routes();
    }

    /**
     * Stops accepting requests, stops retention, drains the audit queue to the store (running the usage roll-up
     * and the alert rules on the last batches), lets the audit sink write what that committed, stops alert
     * delivery and retention (pending deliveries stay in the store), and closes the store. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.stop();
        if (listener != null) {
            listener.close();
        }
        usageRetention.close();
        auditRetention.close();
        auditWriter.close();
        if (sink != null) {
            // After the writer drained: the sink's last pass then holds the last verifications too.
            sink.close();
        }
        alerts.close();
        db.close();
        metrics.close();
        log.info("keygate stopped; {} verify events written, {} dropped", auditWriter.written(),
                auditWriter.dropped());
    }

    private static void bindAuditMetrics(Metrics metrics, AuditWriter writer) {
        metrics.gauge("keygate.audit.queue.depth", "Verify events waiting for the audit writer", writer,
                AuditWriter::depth);
        metrics.counter("keygate.audit.events.dropped", "Verify events dropped: queue full, closed, or write failed",
                writer, AuditWriter::dropped);
        metrics.counter("keygate.audit.events.written", "Verify events written to the store", writer,
                AuditWriter::written);
    }

    private static void bindAlertMetrics(Metrics metrics, WebhookDeliverer deliverer) {
        metrics.counter("keygate.alerts.deliveries.delivered", "Alert deliveries this node ended delivered (2xx)",
                deliverer, WebhookDeliverer::sent);
        metrics.counter("keygate.alerts.deliveries.failed", "Alert deliveries this node gave up after the last attempt",
                deliverer, WebhookDeliverer::failed);
    }

    /**
     * The audit sink the configuration asks for, or {@code null}. A file is opened for appending (created mode
     * 0640 if new) here, so that a path that cannot be written stops the start-up with the reason.
     */
    private static AuditSink openSink(ServerConfig config, Database db, Stores stores) {
        if (config.auditSink() == null) {
            return null;
        }
        Path file = config.auditSinkFile();
        if (file == null) {
            return new AuditSink(db, stores.audit(), config.auditSinkOutput(), false, config.auditSink(),
                    config.auditSinkPollInterval());
        }
        PrintStream out;
        try {
            try {
                Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            } catch (FileAlreadyExistsException exists) {
                // Appended to: a shipper may be tailing it already.
            } catch (UnsupportedOperationException notPosix) {
                if (!Files.exists(file)) {
                    Files.createFile(file);
                }
            }
            out = new PrintStream(new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)), false, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of("--audit-sink (KEYGATE_AUDIT_SINK): '" + config.auditSink()
                    + "' cannot be opened for writing: " + describe(e)));
        }
        return new AuditSink(db, stores.audit(), out, true, config.auditSink(), config.auditSinkPollInterval());
    }

    private static String describe(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> "its directory does not exist";
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason();
            default -> String.valueOf(e.getMessage());
        };
    }

    private static void deliverBootstrapToken(ServerConfig config, String secret) {
        Path file = config.bootstrapTokenFile();
        if (file == null && ServerConfig.STDOUT_SINK.equals(config.auditSink())) {
            // Thrown inside the bootstrap's transaction: the store stays empty, and the secret unprinted.
            throw new ConfigException(List.of("--audit-sink (KEYGATE_AUDIT_SINK): 'stdout' would ship the first "
                    + "admin token, printed to stdout on an empty store, with the audit lines: give "
                    + "--bootstrap-token-file (KEYGATE_BOOTSTRAP_TOKEN_FILE) for the first start"));
        }
        if (file == null) {
            config.bootstrapOutput().println("""
                    Keygate: first start on an empty store. This is the admin token; it is shown once and never \
                    again, so store it in a secret manager now:""");
            config.bootstrapOutput().println(secret);
            config.bootstrapOutput().flush();
            return;
        }
        try {
            Files.deleteIfExists(file);
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, secret + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new ConfigException(List.of("--bootstrap-token-file (KEYGATE_BOOTSTRAP_TOKEN_FILE): '" + file
                    + "' cannot be written: " + e.getMessage()));
        }
        log.info("first start: the admin token was written to {} (mode 0600)", file);
    }

    /**
     * Permanent tokens minted while they were allowed keep working after the operator turns them off (refusing
     * them at a restart could stop production at once); say so at start-up, with how to find them.
     */
    private static void warnOfPermanentTokens(ServerConfig config, Database db, TokenStore tokens) {
        if (config.allowPermanentTokens()) {
            return;
        }
        Instant now = config.clock().instant();
        int live = db.read(c -> tokens.list(c, new TokenQuery(null, TokenStatus.ACTIVE, null, false, true, 1001),
                now)).size();
        if (live > 0) {
            log.warn("{} live permanent token(s) exist but --allow-permanent-tokens is off: they keep working until "
                    + "revoked; list them with GET /v1/tokens?permanent=true&status=active",
                    live > 1000 ? "more than 1000" : live);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
