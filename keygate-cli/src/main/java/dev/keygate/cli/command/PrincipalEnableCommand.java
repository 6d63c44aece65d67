package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code keygate principal enable NAME}: idempotent. */
@Command(
        name = "enable",
        mixinStandardHelpOptions = true,
        description = "Enable a disabled principal: it may be given tokens again. The tokens revoked when it was "
                + "disabled stay revoked. Needs keygate.principals:disable.",
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class PrincipalEnableCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The principal's name.")
    private String name;

    public PrincipalEnableCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        print(client.enablePrincipal(name), Views::principal);
        return ExitCodes.OK;
    }
}
