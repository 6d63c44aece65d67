package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.cli.output.JsonOutput;
import dev.keygate.client.DisabledPrincipal;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keygate principal disable NAME [--reason R]}: revokes its tokens and refuses it new ones; idempotent. */
@Command(
        name = "disable",
        mixinStandardHelpOptions = true,
        description = "Disable a principal: revoke all its live tokens and their descendants at once, and refuse it "
                + "new tokens until it is enabled. Disabling a disabled principal revokes nothing more. Needs "
                + "keygate.principals:disable.",
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class PrincipalDisableCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The principal's name.")
    private String name;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Why, kept with each token revoked and in the audit log.")
    private String reason;

    public PrincipalDisableCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        DisabledPrincipal disabled = client.disablePrincipal(name, reason);
        if (json()) {
            printJson(JsonOutput.tree(disabled.principal()).put("revoked_count", disabled.revokedCount()));
        } else {
            Views.principal(out(), disabled.principal());
            out().println("Revoked " + Views.count(disabled.revokedCount(), "token") + ".");
        }
        return ExitCodes.OK;
    }
}
