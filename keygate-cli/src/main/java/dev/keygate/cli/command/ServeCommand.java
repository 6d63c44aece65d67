package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.server.KeygateServer;
import dev.keygate.server.config.ConfigException;
import dev.keygate.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code keygate serve}: starts the server and runs until the process is stopped (SIGTERM, Ctrl-C) or the
 * thread is interrupted; on the way out it closes the server, which drains the audit queue to the store.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run the Keygate server.",
            "Every option falls back to its environment variable; a flag wins over it. On an empty store, the "
                    + "first admin token is printed once to stdout, or written to --bootstrap-token-file."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_SERVE_OK, ExitCodes.LINE_SERVE_ERROR, ExitCodes.LINE_SERVE_USAGE})
public final class ServeCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    private StoreOptions store;

    @Mixin
    private AlertOptions alerts;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Where to listen. Default: $KEYGATE_LISTEN, else " + ServerConfig.DEFAULT_LISTEN + ".")
    private String listen;

    @Option(names = "--bootstrap-token-file", paramLabel = "FILE",
            description = "Write the first admin token here (mode 0600) instead of stdout. "
                    + "Default: $KEYGATE_BOOTSTRAP_TOKEN_FILE.")
    private String bootstrapTokenFile;

    @Option(names = "--default-ttl", paramLabel = "TTL",
            description = "Lifetime of a token when none is asked, e.g. 24h. Default: $KEYGATE_DEFAULT_TTL, else 24h.")
    private String defaultTtl;

    @Option(names = "--max-ttl", paramLabel = "TTL",
            description = "Longest lifetime a token may have. Default: $KEYGATE_MAX_TTL, else 90d.")
    private String maxTtl;

    @Option(names = "--cache-ttl", paramLabel = "TTL",
            description = "How long a verified token may be served from cache (at most 10m). "
                    + "Default: $KEYGATE_CACHE_TTL, else 30s.")
    private String cacheTtl;

    @Option(names = "--allow-permanent-tokens", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
            description = "Allow tokens that never expire, for callers holding keygate.tokens:create-permanent. "
                    + "Default: $KEYGATE_ALLOW_PERMANENT_TOKENS, else false.")
    private String allowPermanentTokens;

    @Option(names = "--max-rotation-grace", paramLabel = "TTL",
            description = "Longest time a rotated token may keep working beside its successor; 0 allows none. "
                    + "Default: $KEYGATE_MAX_ROTATION_GRACE, else 7d.")
    private String maxRotationGrace;

    @Option(names = "--audit-verify-events", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
            description = "Record every verification (audit event, usage roll-ups, alert rules). "
                    + "Default: $KEYGATE_AUDIT_VERIFY_EVENTS, else true.")
    private String auditVerifyEvents;

    @Option(names = "--audit-retention", paramLabel = "TTL",
            description = "How long verify events are kept in the audit log, e.g. 90d; 0 keeps them for ever. Admin "
                    + "events are always kept. Default: $KEYGATE_AUDIT_RETENTION, else 30d.")
    private String auditRetention;

    @Option(names = "--audit-sink", paramLabel = "stdout|file:PATH",
            description = "Also write every committed audit event as a JSON line to stdout or to a file (appended), "
                    + "for a log shipper. Default: $KEYGATE_AUDIT_SINK, else none.")
    private String auditSink;

    @Option(names = "--leak-report-keys", paramLabel = "FILE",
            description = "Accept leak reports (POST /v1/leaks) sent straight by GitHub's secret scanning, checking "
                    + "their signatures with the keys in FILE: a copy of "
                    + "https://api.github.com/meta/public_keys/secret_scanning, read at start-up (restart with a new "
                    + "copy when GitHub adds a key). Default: $KEYGATE_LEAK_REPORT_KEYS, else none: reports need a "
                    + "bearer token.")
    private String leakReportKeys;

    public ServeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ServerConfig config;
        try {
            config = store.configBuilder(ctx)
                    .listen(StoreOptions.pick(listen, ctx, "KEYGATE_LISTEN"))
                    .bootstrapTokenFile(StoreOptions.pick(bootstrapTokenFile, ctx, "KEYGATE_BOOTSTRAP_TOKEN_FILE"))
                    .defaultTtl(StoreOptions.pick(defaultTtl, ctx, "KEYGATE_DEFAULT_TTL"))
                    .maxTtl(StoreOptions.pick(maxTtl, ctx, "KEYGATE_MAX_TTL"))
                    .cacheTtl(StoreOptions.pick(cacheTtl, ctx, "KEYGATE_CACHE_TTL"))
                    .allowPermanentTokens(StoreOptions.pick(allowPermanentTokens, ctx, "KEYGATE_ALLOW_PERMANENT_TOKENS"))
                    .maxRotationGrace(StoreOptions.pick(maxRotationGrace, ctx, "KEYGATE_MAX_ROTATION_GRACE"))
                    .alerts(a -> alerts.apply(a, ctx))
                    .auditVerifyEvents(StoreOptions.pick(auditVerifyEvents, ctx, "KEYGATE_AUDIT_VERIFY_EVENTS"))
                    .auditRetention(StoreOptions.pick(auditRetention, ctx, "KEYGATE_AUDIT_RETENTION"))
                    .auditSink(StoreOptions.pick(auditSink, ctx, "KEYGATE_AUDIT_SINK"))
                    .auditSinkOutput(ctx.out())
                    .leakReportKeys(StoreOptions.pick(leakReportKeys, ctx, "KEYGATE_LEAK_REPORT_KEYS"))
                    // Keys, like the database password, come from the environment only: flags show in ps.
                    .auditKey(ctx.env("KEYGATE_AUDIT_KEY"))
                    .auditPreviousKey(ctx.env("KEYGATE_AUDIT_PREVIOUS_KEY"))
                    .bootstrapOutput(ctx.out())
                    .build();
        } catch (ConfigException e) {
            e.problems().forEach(p -> ctx.err().println("keygate serve: " + p));
            return ExitCodes.USAGE;
        }
        KeygateServer server;
        try {
            server = KeygateServer.start(config);
        } catch (ConfigException e) {
            e.problems().forEach(p -> ctx.err().println("keygate serve: " + p));
            return ExitCodes.USAGE;
        } catch (RuntimeException e) {
            ctx.err().println("keygate serve: cannot start: " + StoreOptions.describe(e, config, ctx));
            return ExitCodes.ERROR;
        }
        ctx.err().println("keygate listening on " + server.baseUri() + " (store: " + config.redactedDbUrl() + ")");
        return runUntilStopped(server);
    }

    private int runUntilStopped(KeygateServer server) {
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            ctx.err().println("keygate: stopping (draining the audit queue)");
            server.close();
            closed.countDown();
        }, "keygate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            closed.await();
        } catch (InterruptedException e) {
            // Stopped in-process (tests, embedding): close here unless the JVM is already shutting down.
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                server.close();
            } catch (IllegalStateException shuttingDown) {
                // The hook is running and closes the server.
            }
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }
}
