package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code keygate token}: the token commands; alone, prints their list and exits 2. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Manage tokens: create, list, show, revoke, rotate; show their usage.",
        subcommands = {TokenCreateCommand.class, TokenListCommand.class, TokenShowCommand.class,
            TokenRevokeCommand.class, TokenRotateCommand.class, TokenUsageCommand.class},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class TokenCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    public TokenCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(ctx.err());
        return ExitCodes.USAGE;
    }
}
