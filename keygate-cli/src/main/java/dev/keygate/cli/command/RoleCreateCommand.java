package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.Grant;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.RoleRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/**
 * {@code keygate role create NAME [--permission P]... [--grant 'EFFECT PERMISSION [if CONDITION]']...
 * [--description D] [--max-ttl TTL] [--environment E]...}. The role needs at least one permission or grant; when
 * neither is given, the server says so.
 */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = {
            "Create a role. Needs keygate.roles:write.",
            "What it grants: --permission (allowed always) and --grant (allow or deny, always or only if a "
                    + "condition holds), at least one of them. A deny wins over every allow of the token's roles."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class RoleCreateCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The role's name, e.g. billing-reader.")
    private String name;

    @Option(names = "--permission", paramLabel = "PERMISSION",
            description = "A permission the role allows, e.g. billing.invoices:read. Repeat for more.")
    private List<String> permissions;

    @Option(names = "--grant", paramLabel = "GRANT", converter = Converters.GrantSpec.class,
            description = "A grant, as '" + Converters.GrantSpec.FORM + "' (EFFECT allow or deny), e.g. "
                    + "'deny billing.refunds:write' or \"allow crm.*:read if request.environment == 'live'\" "
                    + "(a CEL condition). Repeat for more; they follow the --permission ones.")
    private List<Grant> grants;

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
        print(client.createRole(RoleRequest.builder().name(name).description(description).permissions(permissions)
                .grants(grants).maxTtl(maxTtl).environments(environments).build()), Views::role);
        return ExitCodes.OK;
    }
}
