package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.cli.output.Text;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code keygate role delete NAME}: prints a confirmation in human mode, nothing with {@code --json}. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = {
            "Delete a role. Needs keygate.roles:write. Refused (409) while live tokens hold it.",
            "With --json nothing is printed: the exit code says whether it worked."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class RoleDeleteCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The role's name.")
    private String name;

    public RoleDeleteCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        client.deleteRole(name);
        if (!json()) {
            out().println("Deleted role " + Text.safe(name) + ".");
        }
        return ExitCodes.OK;
    }
}
