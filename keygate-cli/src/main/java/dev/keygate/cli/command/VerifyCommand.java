package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.CliException;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code keygate verify [--permission P] [--env E]}: checks a token. The token comes from
 * {@code KEYGATE_VERIFY_TOKEN}, else from the first line of stdin, and never from an argument (arguments show in
 * {@code ps} and shell history). Needs no admin token.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Verify a token: is it valid, and does it grant the permission?",
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

    public VerifyCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        VerifyResult result = client.verify(tokenToVerify(), permission, environment);
        print(result, Views::verify);
        return result.valid() && result.allowed() ? ExitCodes.OK : ExitCodes.DENIED;
    }

    private String tokenToVerify() {
        String fromEnv = ctx.env("KEYGATE_VERIFY_TOKEN");
        if (fromEnv != null) {
            return fromEnv.strip();
        }
        String line;
        try {
            line = new BufferedReader(new InputStreamReader(ctx.stdin(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token from stdin", e);
        }
        if (line == null || line.isBlank()) {
            throw new CliException(ExitCodes.ERROR, "no token to verify: pipe it on stdin "
                    + "('keygate verify < token.txt') or set KEYGATE_VERIFY_TOKEN; it is never taken as an argument");
        }
        return line.strip();
    }
}
