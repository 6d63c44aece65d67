package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;

/** {@code keygate principal list}. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the principals, by name. Needs keygate.principals:read.",
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class PrincipalListCommand extends AdminCommand {

    public PrincipalListCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        printList(client.listPrincipals(), Views::principals);
        return ExitCodes.OK;
    }
}
