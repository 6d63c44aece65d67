package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.Grant;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.Role;
import dev.keygate.client.RoleRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/**
 * {@code keygate role update NAME [--permission P]... [--grant 'EFFECT PERMISSION [if CONDITION]']...
 * [--description D] [--max-ttl TTL|none] [--environment E... | --all-environments]}. Every field left out keeps
 * its value on the server: the grants unless {@code --permission} or {@code --grant} is given (together they
 * replace all of them), the description unless {@code --description} is given ({@code --description ""} clears
 * it), the max ttl unless {@code --max-ttl} is given ({@code none} removes it), and the environments unless
 * {@code --environment} or {@code --all-environments} is given.
 */
@Command(
        name = "update",
        mixinStandardHelpOptions = true,
        description = {
            "Change a role: what it grants (--permission and --grant together replace all of its grants), its "
                    + "description, max ttl or environments; what is not given is kept. Needs keygate.roles:write.",
            "Refused (409) if live tokens hold the role and the change would widen it (allow more, deny less), or "
                    + "exclude their environment: narrow it, or create a new role."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class RoleUpdateCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The role's name.")
    private String name;

    @Option(names = "--permission", paramLabel = "PERMISSION",
            description = "A permission the role allows from now on. Repeat for more. With --grant, the new, complete "
                    + "list of what the role grants. Default: keep the current grants.")
    private List<String> permissions;

    @Option(names = "--grant", paramLabel = "GRANT", converter = Converters.GrantSpec.class,
            description = "A grant from now on, as '" + Converters.GrantSpec.FORM + "' (EFFECT allow or deny), e.g. "
                    + "'deny billing.refunds:write'. Repeat for more; they follow the --permission ones, and together "
                    + "replace all of the role's grants. Default: keep the current grants.")
    private List<Grant> grants;

    @Option(names = "--description", paramLabel = "TEXT",
            description = "The new description. Default: keep the current one.")
    private String description;

    @Option(names = "--max-ttl", paramLabel = "DURATION",
            description = "The new longest lifetime of a token holding the role (30m, 24h, 7d), or none to remove "
                    + "the cap. Default: keep the current one.")
    private String maxTtl;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Environments environments;

    /** The new environments, or all of them; neither keeps the current ones. */
    static final class Environments {
        @Option(names = "--environment", paramLabel = "ENV",
                description = "An environment tokens holding the role may be for from now on, e.g. staging. Repeat "
                        + "for more (up to 20); the list replaces the old one. Default: keep the current ones.")
        List<String> only;

        @Option(names = "--all-environments", description = "Let tokens of every environment hold the role.")
        boolean all;

        /** What to send: the list, ["*"] for all. */
        List<String> value() {
            return all ? Role.ALL_ENVIRONMENTS : only;
        }
    }

    public RoleUpdateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        // Fields left out of the PUT keep their current values on the server.
        List<String> newEnvironments = environments == null ? null : environments.value();
        print(client.updateRole(name, RoleRequest.builder().description(description).permissions(permissions)
                .grants(grants).maxTtl(maxTtl).environments(newEnvironments).build()), Views::role);
        return ExitCodes.OK;
    }
}
