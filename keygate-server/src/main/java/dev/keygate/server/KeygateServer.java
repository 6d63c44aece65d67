package dev.keygate.server;

import dev.keygate.core.policy.Conditions;
import dev.keygate.core.token.TokenStatus;
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
 * A running Keygate server: its store, caches, audit writer, retention and sink, and HTTP listener.
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
    private final AuditRetention retention;
    private final AuditSink sink;
    private final HttpApi http;
    private final VerifyService verifier;
    private final PostgresChangeListener listener;
    private boolean closed;

    private KeygateServer(ServerConfig config, Database db, AuditWriter auditWriter, AuditRetention retention,
                          AuditSink sink, HttpApi http, VerifyService verifier, PostgresChangeListener listener) {
        this.config = config;
        this.db = db;
        this.auditWriter = auditWriter;
        this.retention = retention;
        this.sink = sink;
        this.http = http;
        this.verifier = verifier;
        this.listener = listener;
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
        Database db = Database.open(config);
        AuditWriter writer = null;
        AuditRetention retention = null;
        AuditSink sink = null;
        PostgresChangeListener listener = null;
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
            writer = new AuditWriter(db, stores.audit(), stores.tokens(), config.auditQueueCapacity());
            retention = new AuditRetention(db, stores.audit(), auditKey, config.auditRetention(),
                    config.auditPruneInterval(), config.clock());
            Meter meter = new Meter(db, stores.tokens(), new RateLimiter(config.clock(), RATE_LIMIT_BUCKETS));
            VerifyService verifier = new VerifyService(cache, loader, writer, meter, config.clock());
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
                    new PolicyService(db, stores.roles(), roles, config.clock()));
            try {
                http.start(config.host(), config.port());
            } catch (RuntimeException e) {
                throw new ConfigException(List.of("--listen (KEYGATE_LISTEN): cannot listen on " + config.host() + ":"
                        + config.port() + ": " + rootMessage(e)));
            }
            // DEBUG: 'keygate serve' tells the user where it listens; an embedding application decides for itself.
            log.debug("listening on {}:{} ({})", config.host(), http.port(), config);
            return new KeygateServer(config, db, writer, retention, sink, http, verifier, listener);
        } catch (RuntimeException e) {
            if (sink != null) {
                sink.close();
            }
            if (retention != null) {
                retention.close();
            }
            if (writer != null) {
                writer.close();
            }
            if (listener != null) {
                listener.close();
            }
            db.close();
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

    /** The audit writer, for its metrics. */
    public AuditWriter auditWriter() {
        return auditWriter;
    }

    /** Retention of the verify chain: runs on its own schedule; {@link AuditRetention#pruneNow()} runs it now. */
    public AuditRetention auditRetention() {
        return retention;
    }

    /** Every route of the HTTP API. */
    public List<dev.keygate.server.http.Route> routes() {
        return http.routes();
    }

    /**
     * Stops accepting requests, stops retention, drains the audit queue to the store, lets the audit sink write
     * what that committed, and closes the store. Idempotent.
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
        retention.close();
        auditWriter.close();
        if (sink != null) {
            // After the writer drained: the sink's last pass then holds the last verifications too.
            sink.close();
        }
        db.close();
        log.info("keygate stopped; {} verify events written, {} dropped", auditWriter.written(),
                auditWriter.dropped());
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
