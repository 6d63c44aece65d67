package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.cli.output.Text;
import dev.keygate.client.CreatedToken;
import dev.keygate.client.KeygateClient;
import dev.keygate.core.token.Ttl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/**
 * {@code keygate token rotate ID [--grace 1h]}: mints the token's successor and prints its secret once, as
 * {@code token create} does (alone on stdout in human mode; with {@code --json}, the server's full JSON).
 */
@Command(
        name = "rotate",
        mixinStandardHelpOptions = true,
        description = {
            "Replace a token by a successor with the same principal, roles, environment and name and a fresh "
                    + "lifetime, and print the successor's secret, once. The old token keeps working for the "
                    + "grace period, then verification answers ROTATED. Needs keygate.tokens:rotate, and "
                    + "permissions covering the token's roles (or keygate.roles:bind).",
            "The secret alone goes to stdout, the rest to stderr: 'keygate token rotate ... > token.txt' "
                    + "captures only the secret. With --json, stdout gets the full JSON, secret included."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class TokenRotateCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The token's id, tok_... (not its secret).")
    private String id;

    @Option(names = "--grace", paramLabel = "DURATION", converter = Converters.Grace.class,
            description = "How long the old token keeps working beside its successor (e.g. 1h), at most the "
                    + "server's --max-rotation-grace (7d unless configured). Default: 0, it stops at once.")
    private Duration grace;

    public TokenRotateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        String old = tokenId(id);
        CreatedToken successor = client.rotateToken(old, grace);
        boolean overlap = grace != null && !grace.isZero();
        printCreated(successor, "Rotated token " + Text.safe(old) + " into " + Views.summary(successor.token()) + ".",
                Text.safe(old) + (overlap ? " keeps working for " + Ttl.format(grace) + ", then" : " stopped working:")
                        + " verification answers ROTATED.");
        return ExitCodes.OK;
    }
}
