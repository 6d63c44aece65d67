package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.CliException;
import dev.keygate.cli.ExitCodes;
import dev.keygate.cli.output.JsonOutput;
import dev.keygate.client.CreatedToken;

/**
 * A command that needs an admin token. The token comes from {@code KEYGATE_TOKEN} only, never from an argument:
 * arguments end up in shell history and in every user's {@code ps}.
 */
public abstract class AdminCommand extends RemoteCommand {

    protected AdminCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String adminToken() {
        String token = ctx.env("KEYGATE_TOKEN");
        if (token == null) {
            throw new CliException(ExitCodes.ERROR, "KEYGATE_TOKEN is not set: export an admin token first "
                    + "(it is never taken as an argument; on the server host, 'keygate admin-token' mints one)");
        }
        return token.strip();
    }

    /**
     * Prints a token just minted, whose secret is shown this once. With {@code --json}, the server's JSON, the
     * secret in {@code token}; else the secret alone goes to stdout, so that {@code > file} captures only it, and
     * {@code notes} and a warning go to stderr.
     */
    protected void printCreated(CreatedToken created, String... notes) {
        if (json()) {
            printJson(JsonOutput.tree(created.token()).put("token", created.secret()));
            return;
        }
        out().println(created.secret());
        out().flush();
        for (String note : notes) {
            err().println(note);
        }
        err().println("The secret is shown only this once: store it now, e.g. in your secret manager.");
    }

    /**
     * Refuses a token secret where a token id belongs: it would travel in the URL and end up in access logs.
     *
     * @throws picocli.CommandLine.ParameterException (exit 2) naming the mistake, never the value
     */
    protected String tokenId(String id) {
        if (id.startsWith("kg_")) {
            throw usageError("that is a token secret, not a token id: give the tok_... id (see 'keygate token list')");
        }
        return id;
    }
}
