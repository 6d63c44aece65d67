package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code keygate token show ID}. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Show one token (never its secret). Needs keygate.tokens:read.",
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class TokenShowCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The token's id, tok_...")
    private String id;

    public TokenShowCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        print(client.getToken(tokenId(id)), Views::token);
        return ExitCodes.OK;
    }
}
