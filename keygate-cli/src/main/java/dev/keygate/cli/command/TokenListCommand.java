package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keygate token list [--principal P] [--status S] [--limit N] [--expiring-within D] [--rotation-due]}: the
 * newest tokens, or those to replace next.
 */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the newest tokens (100 unless --limit says otherwise). Never shows secrets. "
                + "Needs keygate.tokens:read.",
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class TokenListCommand extends AdminCommand {

    @Option(names = "--principal", paramLabel = "NAME", description = "Only this principal's tokens.")
    private String principal;

    @Option(names = "--status", paramLabel = "STATUS", converter = Converters.Status.class,
            description = "Only tokens that are active, expired, revoked or rotated.")
    private String status;

    @Option(names = "--limit", paramLabel = "N", description = "At most this many, 1 to 1000. Default: 100.")
    private Integer limit;

    @Option(names = "--expiring-within", paramLabel = "DURATION",
            description = "Only active tokens that expire within this time (30m, 24h, 7d), soonest first.")
    private String expiringWithin;

    @Option(names = "--rotation-due",
            description = "Only live tokens whose rotation is due (see 'token create --rotate-every'), most overdue "
                    + "first.")
    private boolean rotationDue;

    public TokenListCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw usageError("--limit must be between 1 and 1000, was " + limit);
        }
        printList(client.listTokens(principal, status, limit, expiringWithin, rotationDue), Views::tokens);
        return ExitCodes.OK;
    }
}
