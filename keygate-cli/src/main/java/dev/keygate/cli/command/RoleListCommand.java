package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;

/** {@code keygate role list}. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the roles, by name. Needs keygate.roles:read.",
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class RoleListCommand extends AdminCommand {

    public RoleListCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        printList(client.listRoles(), Views::roles);
        return ExitCodes.OK;
    }
}
