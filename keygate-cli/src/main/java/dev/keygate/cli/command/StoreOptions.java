package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.server.config.ServerConfig;
import picocli.CommandLine.Option;

/**
 * Where the store is: {@code --data-dir} and {@code --db-url}, each falling back to its environment variable.
 * The database user and password come from {@code KEYGATE_DB_USER} and {@code KEYGATE_DB_PASSWORD} only: a
 * password given as a flag would show in {@code ps} and shell history.
 */
public final class StoreOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of the embedded SQLite store. Default: $KEYGATE_DATA_DIR, else "
                    + ServerConfig.DEFAULT_DATA_DIR + ".")
    private String dataDir;

    @Option(names = "--db-url", paramLabel = "JDBC_URL",
            description = "jdbc:postgresql://host:port/db or jdbc:sqlite:path instead of the data dir. "
                    + "Default: $KEYGATE_DB_URL. User and password: $KEYGATE_DB_USER, $KEYGATE_DB_PASSWORD.")
    private String dbUrl;

    /** A builder holding the store settings; a flag wins over its environment variable. */
    ServerConfig.Builder configBuilder(CliContext ctx) {
        return ServerConfig.builder()
                .dataDir(pick(dataDir, ctx, "KEYGATE_DATA_DIR"))
                .dbUrl(pick(dbUrl, ctx, "KEYGATE_DB_URL"))
                .dbUser(ctx.env("KEYGATE_DB_USER"))
                .dbPassword(ctx.env("KEYGATE_DB_PASSWORD"));
    }

    /** The flag's value if given, else the environment variable's, else {@code null} (the default). */
    static String pick(String flag, CliContext ctx, String env) {
        return flag != null ? flag : ctx.env(env);
    }

    /**
     * A one-line description of a failure to start or to use the store, for stderr: the exception's messages
     * with the store URL's query string and the database password masked, since drivers and pools may quote
     * them. Stack traces only with {@code KEYGATE_DEBUG}.
     */
    static String describe(Throwable failure, ServerConfig config, CliContext ctx) {
        StringBuilder text = new StringBuilder(String.valueOf(failure));
        for (Throwable c = failure.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            text.append(": ").append(c);
        }
        if (ctx.env("KEYGATE_DEBUG") != null) {
            failure.printStackTrace(ctx.err());
        }
        String out = text.toString().replace(config.dbUrl(), config.redactedDbUrl());
        if (config.dbPassword() != null) {
            out = out.replace(config.dbPassword(), "***");
        }
        return out;
    }
}
