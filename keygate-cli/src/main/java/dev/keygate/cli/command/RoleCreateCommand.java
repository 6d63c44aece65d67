package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/**
 * {@code keygate role create NAME --permission P [--permission P2] [--description D] [--max-ttl TTL]
 * [--environment E]...}.
 */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Create a role. Needs keygate.roles:write.",
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class RoleCreateCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The role's name, e.g. billing-reader.")
    private String name;

    @Option(names = "--permission", required = true, paramLabel = "PERMISSION",
            description = "A permission the role grants, e.g. billing.invoices:read. Repeat for more.")
    private List<String> permissions;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the role is for.")
    private String description;

    @Option(names = "--max-ttl", paramLabel = "DURATION",
            description = "The longest lifetime of a token holding the role (30m, 24h, 7d). Default: none.")
    private String maxTtl;

    @Option(names = "--environment", paramLabel = "ENV",
            description = "An environment tokens holding the role may be for, e.g. staging. Repeat for more (up to "
                    + "20). Default: all.")
    private List<String> environments;

    public RoleCreateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        print(client.createRole(name, description, permissions, maxTtl, environments), Views::role);
        return ExitCodes.OK;
    }
}
