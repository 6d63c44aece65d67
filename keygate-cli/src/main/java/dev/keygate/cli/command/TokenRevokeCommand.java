package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.cli.output.JsonOutput;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.RevokedToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keygate token revoke ID [--reason R]}: revokes the token, its descendants and its predecessors still in
 * their grace period; idempotent.
 */
@Command(
        name = "revoke",
        mixinStandardHelpOptions = true,
        description = "Revoke a token and its descendants (its child tokens, theirs, ...), and the tokens it "
                + "replaced by rotation that are still in their grace period, at once. Revoking a revoked token "
                + "changes nothing. Needs keygate.tokens:revoke.",
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class TokenRevokeCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The token's id, tok_... (not its secret).")
    private String id;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, kept with the token and in the audit log.")
    private String reason;

    public TokenRevokeCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        RevokedToken revoked = client.revokeToken(tokenId(id), reason);
        if (json()) {
            printJson(JsonOutput.tree(revoked.token()).put("revoked_count", revoked.revokedCount()));
        } else {
            Views.token(out(), revoked.token());
            if (revoked.revokedCount() > 1) {
                out().println("Revoked " + revoked.revokedCount() + " tokens: this one and "
                        + (revoked.revokedCount() - 1) + " more (its descendants, and the tokens it replaced by "
                        + "rotation still in their grace period).");
            }
        }
        return ExitCodes.OK;
    }
}
