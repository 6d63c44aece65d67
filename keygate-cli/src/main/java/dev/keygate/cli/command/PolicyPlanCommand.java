package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.PolicyPlan;
import picocli.CommandLine.Command;

/**
 * {@code keygate policy plan -f FILE}: what applying the file would change. Exits like
 * {@code terraform plan -detailed-exitcode}: 0 nothing would change, 2 something would, 1 error (usage errors
 * included, so that 2 always means changes).
 */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ExitCodes.ERROR,
        description = {
            "Show what applying a policy file would change: the roles it would create, update (with the fields and "
                    + "their values before and after) and delete, the live tokens holding each, and the changes "
                    + "apply would refuse (BLOCKED). Changes nothing. Needs keygate.roles:read.",
            "With --json, the server's plan."},
        footerHeading = ExitCodes.HEADING,
        footer = {"  0  no changes: the server matches the file",
            "  1  error: the file is invalid (every problem is listed), the server refused",
            "     the request or is unreachable, KEYGATE_TOKEN is not set, or bad flags",
            "  2  changes: applying the file would change the server (blocked changes",
            "     included)",
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class PolicyPlanCommand extends PolicyFileCommand {

    /** The exit code of a plan with changes. */
    static final int CHANGES = 2;

    public PolicyPlanCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        PolicyPlan plan = client.planPolicy(policyFile());
        if (json()) {
            printJson(plan);
        } else {
            PolicyViews.plan(out(), plan, false);
        }
        return plan.hasChanges() ? CHANGES : ExitCodes.OK;
    }
}
