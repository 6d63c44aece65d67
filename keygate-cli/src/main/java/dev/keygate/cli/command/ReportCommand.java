package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keygate report [--days N]}: the hygiene report of the active tokens. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Report on the hygiene of the active tokens: unused for --days and never used; over-scoped (permissions "
                + "not exercised in --days) with a least-privilege suggestion; permanent; expiring within 7 days; "
                + "past their rotation date; allowed to write without an IP binding. Needs keygate.reports:read.",
            "Revoked, expired and rotated-out tokens are left out."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class ReportCommand extends AdminCommand {

    @Option(names = "--days", paramLabel = "N", description = "The period of use to look at, 1 to 400. Default: 30.")
    private Integer days;

    public ReportCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        if (days != null && (days < 1 || days > 400)) {
            throw usageError("--days must be between 1 and 400, was " + days);
        }
        print(client.hygieneReport(days), ReportViews::hygiene);
        return ExitCodes.OK;
    }
}
