package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.server.AdminRecovery;
import dev.keygate.server.config.ConfigException;
import dev.keygate.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code keygate admin-token}: the recovery path when every admin token is lost. Works on the store directly
 * (run it where the server runs, with the same store settings), mints a token with the {@code keygate-admin}
 * role and prints it once.
 */
@Command(
        name = "admin-token",
        mixinStandardHelpOptions = true,
        description = {
            "Recovery: mint a new admin token directly in the store and print it once.",
            "Run it on the server host with the same store settings as 'keygate serve' (--data-dir, --db-url, "
                    + "or their environment variables). The secret goes to stdout; everything else to stderr."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, "  1  the store could not be used",
            "  2  bad flags, or an invalid store configuration"})
public final class AdminTokenCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    private StoreOptions store;

    public AdminTokenCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ServerConfig config;
        String secret;
        try {
            config = store.configBuilder(ctx).bootstrapOutput(ctx.out()).build();
        } catch (ConfigException e) {
            e.problems().forEach(p -> ctx.err().println("keygate admin-token: " + p));
            return ExitCodes.USAGE;
        }
        try {
            secret = AdminRecovery.mintAdminToken(config);
        } catch (ConfigException e) {
            e.problems().forEach(p -> ctx.err().println("keygate admin-token: " + p));
            return ExitCodes.USAGE;
        } catch (RuntimeException e) {
            ctx.err().println("keygate admin-token: cannot use the store: " + StoreOptions.describe(e, config, ctx));
            return ExitCodes.ERROR;
        }
        ctx.out().println(secret);
        ctx.out().flush();
        ctx.err().println("keygate admin-token: this new admin token is shown only once: store it in your secret "
                + "manager now, then revoke the tokens that were lost ('keygate token list', 'keygate token revoke').");
        return ExitCodes.OK;
    }
}
