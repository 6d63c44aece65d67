package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keygate principal create NAME --kind service|integration|user [--description D] [--metadata JSON]}. */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Create a principal. Needs keygate.principals:write.",
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class PrincipalCreateCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The principal's name, e.g. billing-svc.")
    private String name;

    @Option(names = "--kind", required = true, paramLabel = "KIND", converter = Converters.Kind.class,
            description = "service, integration or user.")
    private String kind;

    @Option(names = "--description", paramLabel = "TEXT", description = "Who or what it is.")
    private String description;

    @Option(names = "--metadata", paramLabel = "JSON", converter = Converters.JsonObject.class,
            description = "A JSON object of at most 4 KiB, e.g. '{\"team\":\"payments\"}'.")
    private Converters.JsonObjectValue metadata;

    public PrincipalCreateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        print(client.createPrincipal(name, kind, description,
                metadata == null ? null : metadata.values()), Views::principal);
        return ExitCodes.OK;
    }
}
