package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code keygate principal show NAME}. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Show one principal. Needs keygate.principals:read.",
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class PrincipalShowCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The principal's name.")
    private String name;

    public PrincipalShowCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        print(client.getPrincipal(name), Views::principal);
        return ExitCodes.OK;
    }
}
