package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.PolicyPlan;
import picocli.CommandLine.Command;

/** {@code keygate policy apply -f FILE}: makes the server's roles what the file says, all or nothing. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Make the server's roles what a policy file says, in one transaction: roles are created, updated and "
                    + "deleted (all but keygate-admin). Needs keygate.roles:write.",
            "All or nothing: an invalid file (every problem is listed) or a change that live tokens block (a role "
                    + "they hold deleted, widened or moved out of their environment) changes nothing. Applying the "
                    + "same file again changes nothing. Prints what changed; with --json, the server's answer."},
        footerHeading = ExitCodes.HEADING,
        footer = {"  0  applied, or nothing to do",
            ExitCodes.LINE_ERROR, "     (also: the file is invalid, or a change is blocked: nothing was applied)",
            ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class PolicyApplyCommand extends PolicyFileCommand {

    public PolicyApplyCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        PolicyPlan applied = client.applyPolicy(policyFile());
        if (json()) {
            printJson(applied);
        } else {
            PolicyViews.plan(out(), applied, true);
        }
        return ExitCodes.OK;
    }
}
