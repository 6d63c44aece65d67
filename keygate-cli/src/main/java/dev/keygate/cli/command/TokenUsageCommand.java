package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;

/** {@code keygate token usage ID [--granularity hour|day] [--since T] [--until T]}. */
@Command(
        name = "usage",
        mixinStandardHelpOptions = true,
        description = {
            "Show a token's usage: its verifications counted per hour or UTC day, permission asked and decision, "
                + "and where it was last used from. Needs keygate.tokens:read.",
            "Hourly counts are kept 14 days, daily counts 400 days."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class TokenUsageCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The token's id, tok_...")
    private String id;

    @Option(names = "--granularity", paramLabel = "SIZE", converter = Granularity.class,
            description = "hour or day. Default: hour.")
    private String granularity;

    @Option(names = "--since", paramLabel = "TIME", converter = Converters.RfcTime.class,
            description = "Start of the range (RFC 3339), rounded down to its hour or day. "
                    + "Default: 24 hours (hour) or 30 days (day) before --until.")
    private Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = Converters.RfcTime.class,
            description = "End of the range (RFC 3339), exclusive. Default: the end of the current hour or day.")
    private Instant until;

    public TokenUsageCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        print(client.tokenUsage(tokenId(id), granularity, since, until), UsageViews::usage);
        return ExitCodes.OK;
    }

    /** {@code hour} or {@code day}. */
    static final class Granularity extends Converters.OneOf {
        Granularity() {
            super("hour", "day");
        }
    }
}
