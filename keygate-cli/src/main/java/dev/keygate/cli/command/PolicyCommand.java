package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code keygate policy}: policy as code; alone, prints its commands and exits 2. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = {
            "Policy as code: every role (but keygate-admin) in one YAML file kept in version control.",
            "export writes the file, plan shows what applying one would change, apply makes the server match it "
                    + "in one transaction. See docs/policy-as-code.md."},
        subcommands = {PolicyExportCommand.class, PolicyPlanCommand.class, PolicyApplyCommand.class},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            "     (policy plan: 2 means changes; its usage errors exit 1)",
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class PolicyCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    public PolicyCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(ctx.err());
        return ExitCodes.USAGE;
    }
}
