package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/**
 * {@code keygate role update NAME --permission P [--permission P2] [--description D] [--max-ttl TTL]}. The
 * permissions are replaced; the description is kept unless {@code --description} is given ({@code --description ""}
 * clears it), and the max ttl unless {@code --max-ttl} is given.
 */
@Command(
        name = "update",
        mixinStandardHelpOptions = true,
        description = {
            "Replace a role's permissions and, if given, its description. Needs keygate.roles:write "
                    + "(and keygate.roles:read when --description is omitted, to keep the current one).",
            "Refused (409) if live tokens hold the role and the change would widen it: narrow it, or create a "
                    + "new role."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class RoleUpdateCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The role's name.")
    private String name;

    @Option(names = "--permission", required = true, paramLabel = "PERMISSION",
            description = "A permission the role grants from now on. Repeat for more; the list replaces the old one.")
    private List<String> permissions;

    @Option(names = "--description", paramLabel = "TEXT",
            description = "The new description. Default: keep the current one.")
    private String description;

    @Option(names = "--max-ttl", paramLabel = "DURATION",
            description = "The new longest lifetime of a token holding the role (30m, 24h, 7d). Default: keep the "
                    + "current one.")
    private String maxTtl;

    public RoleUpdateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        // PUT replaces the whole role: without --description, send the current one so it is not lost.
        String newDescription = description != null ? description : client.getRole(name).description();
        print(client.updateRole(name, newDescription, permissions, maxTtl), Views::role);
        return ExitCodes.OK;
    }
}
