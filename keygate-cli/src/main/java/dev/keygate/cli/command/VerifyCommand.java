package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.VerifyRequest;
import dev.keygate.client.VerifyResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keygate verify [--permission P] [--env E] [--cost N] [--ip ADDR] [--resource K=V... | --resource-json J]}:
 * checks a token. The token comes from {@code KEYGATE_VERIFY_TOKEN}, else from the first line of stdin, and never
 * from an argument (arguments show in {@code ps} and shell history). Needs no admin token.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Verify a token: is it valid, and does it grant the permission? For a token with limits, the answer "
                    + "shows the uses left, the rate limit left and, when rate limited, when to retry. --resource "
                    + "describes what the request is for, for grants whose conditions read it.",
            "The token is read from $KEYGATE_VERIFY_TOKEN if set, else from the first line of stdin, e.g. "
                    + "'keygate verify --permission billing.invoices:read < token.txt'. It is never taken as an "
                    + "argument. Needs no admin token."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_VERIFY_OK, ExitCodes.LINE_VERIFY_ERROR, ExitCodes.LINE_USAGE, ExitCodes.LINE_DENIED,
            ExitCodes.ENV_HEADING,
            "  KEYGATE_URL           the server, default http://127.0.0.1:8080 (--url wins)",
            "  KEYGATE_VERIFY_TOKEN  the token to verify (else the first line of stdin)"})
public final class VerifyCommand extends RemoteCommand {

    @Option(names = "--permission", paramLabel = "PERMISSION",
            description = "The permission to check, e.g. billing.invoices:read. "
                    + "Default: only check that the token is valid.")
    private String permission;

    @Option(names = "--env", paramLabel = "ENV", description = "The environment the token must be for, e.g. live.")
    private String environment;

    @Option(names = "--cost", paramLabel = "N", converter = Converters.Cost.class,
            description = "How many uses this verification spends from a token with --max-uses; 0 checks without "
                    + "spending. Default: 1.")
    private Long cost;

    @Option(names = "--ip", paramLabel = "ADDR", converter = Converters.IpAddress.class,
            description = "The address the request came from, e.g. 10.1.2.3; a token bound to networks "
                    + "(--allow-cidr) is refused without it.")
    private String ip;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private KeyValueOptions.Resource resource;

    public VerifyCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        VerifyResult result = client.verify(VerifyRequest.builder().token(tokenToVerify()).permission(permission)
                .environment(environment).cost(cost).ip(ip).resource(KeyValueOptions.values(resource)).build());
        print(result, Views::verify);
        // Every code but VALID is a refusal, the ones a newer server may add included: exit 3.
        return result.valid() && result.allowed() ? ExitCodes.OK : ExitCodes.DENIED;
    }

    private String tokenToVerify() {
        return secretFromEnvOrStdin("KEYGATE_VERIFY_TOKEN", "no token to verify: pipe it on stdin "
                + "('keygate verify < token.txt') or set KEYGATE_VERIFY_TOKEN; it is never taken as an argument");
    }
}
