package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.ExplainRequest;
import dev.keygate.client.Explanation;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keygate explain [--token-id ID] [--permission P] [--env E] [--ip ADDR]
 * [--resource K=V... | --resource-json J]}: whether a token would be allowed, and why. The token is the one of
 * {@code --token-id}, else the secret in {@code KEYGATE_EXPLAIN_TOKEN}, else the first line of stdin; a secret is
 * never taken from an argument (arguments show in {@code ps} and shell history). Exits as {@code verify} does: 0
 * when allowed, 3 when not.
 */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = {
            "Explain whether a token would be allowed, and why: the check that refuses it (revoked, expired, ...), "
                    + "or every grant of its roles that bears on the permission, in order, the one that decides "
                    + "marked with '>'. Spends nothing: usage and rate limits are not checked. Needs "
                    + "keygate.policy:explain.",
            "The token is the one of --token-id; without it, the secret is read from $KEYGATE_EXPLAIN_TOKEN if "
                    + "set, else from the first line of stdin, e.g. 'keygate explain --permission "
                    + "billing.refunds:write < token.txt'. A secret is never taken as an argument."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_EXPLAIN_OK, ExitCodes.LINE_EXPLAIN_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.LINE_EXPLAIN_DENIED,
            ExitCodes.ENV_HEADING,
            "  KEYGATE_URL            the server, default http://127.0.0.1:8080 (--url wins)",
            "  KEYGATE_TOKEN          the admin token (never taken as an argument)",
            "  KEYGATE_EXPLAIN_TOKEN  the token to explain, without --token-id (else stdin)"})
public final class ExplainCommand extends AdminCommand {

    @Option(names = "--token-id", paramLabel = "ID",
            description = "The token to explain, by its id (tok_...). Default: the secret in $KEYGATE_EXPLAIN_TOKEN, "
                    + "else on stdin.")
    private String tokenId;

    @Option(names = "--permission", paramLabel = "PERMISSION",
            description = "The permission to explain, e.g. billing.refunds:write. Default: only whether the token is "
                    + "usable.")
    private String permission;

    @Option(names = "--env", paramLabel = "ENV", description = "The environment the request is for, e.g. live.")
    private String environment;

    @Option(names = "--ip", paramLabel = "ADDR", converter = Converters.IpAddress.class,
            description = "The address the request comes from, e.g. 10.1.2.3; a token bound to networks "
                    + "(--allow-cidr) is refused without it.")
    private String ip;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private KeyValueOptions.Resource resource;

    public ExplainCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        ExplainRequest.Builder request = ExplainRequest.builder().permission(permission).environment(environment)
                .ip(ip).resource(KeyValueOptions.values(resource));
        if (tokenId != null) {
            request.tokenId(tokenId(tokenId));
        } else {
            request.token(secretFromEnvOrStdin("KEYGATE_EXPLAIN_TOKEN", "no token to explain: give --token-id, pipe "
                    + "the secret on stdin ('keygate explain < token.txt') or set KEYGATE_EXPLAIN_TOKEN; a secret is "
                    + "never taken as an argument"));
        }
        Explanation explanation = client.explain(request.build());
        print(explanation, Views::explain);
        return explanation.allowed() ? ExitCodes.OK : ExitCodes.DENIED;
    }
}
