package dev.keygate.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.cli.output.JsonOutput;
import dev.keygate.cli.output.Text;
import dev.keygate.client.AuditPage;
import dev.keygate.client.AuditQuery;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;

/**
 * {@code keygate audit [--token-id T] [--principal P] [--action A] [--decision D] [--since T] [--until T]
 * [--order O] [--limit N] [--cursor C]}: one page of the audit log, newest first unless {@code --order oldest};
 * the cursor of the next page, if any, goes to stderr. Its subcommands verify and export the log.
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "Read the audit log, newest first, one page at a time. Needs keygate.audit:read.",
            "When there are more events, the cursor of the next page is printed to stderr: pass it to --cursor.",
            "'audit verify' checks the log's hash chains; 'audit export' writes every matching event as JSON lines."},
        subcommands = {AuditVerifyCommand.class, AuditExportCommand.class},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class AuditCommand extends AdminCommand {

    @Option(names = "--token-id", paramLabel = "ID", description = "Only events of this token (tok_...).")
    private String tokenId;

    @Option(names = "--principal", paramLabel = "NAME", description = "Only events of this principal's tokens.")
    private String principal;

    @Option(names = "--action", paramLabel = "ACTION",
            description = "Only this action: role.create, role.update, role.delete, principal.create, "
                    + "principal.disable, principal.enable, token.create, token.revoke, token.rotate, verify, "
                    + "audit.prune, or alert.<rule> (an alert raised, e.g. alert.dead_token_use).")
    private String action;

    @Option(names = "--since", paramLabel = "TIME", converter = Converters.RfcTime.class,
            description = "Only events at or after this RFC 3339 time, e.g. 2026-11-22T00:00:00Z.")
    private Instant since;

    @Option(names = "--decision", paramLabel = "DECISION",
            description = "Only events with this decision: allow or deny.")
    private String decision;

    @Option(names = "--until", paramLabel = "TIME", converter = Converters.RfcTime.class,
            description = "Only events before this RFC 3339 time (exclusive).")
    private Instant until;

    @Option(names = "--order", paramLabel = "ORDER", description = "newest (the default) or oldest first.")
    private String order;

    @Option(names = "--limit", paramLabel = "N", description = "Events per page, 1 to 1000. Default: 100.")
    private Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "The cursor printed by the previous page.")
    private String cursor;

    public AuditCommand(CliContext ctx) {
        super(ctx);
    }

    /** {@code value} if it is a decision the API knows; else a usage error naming the flag. */
    static String decision(RemoteCommand command, String value) {
        if (value != null && !value.equals("allow") && !value.equals("deny")) {
            throw command.usageError("--decision must be allow or deny, was '" + Text.safe(value) + "'");
        }
        return value;
    }

    private AuditQuery.Order order(String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "newest" -> AuditQuery.Order.NEWEST;
            case "oldest" -> AuditQuery.Order.OLDEST;
            default -> throw usageError("--order must be newest or oldest, was '" + Text.safe(value) + "'");
        };
    }

    @Override
    protected int run(KeygateClient client) {
        if (tokenId != null) {
            tokenId(tokenId);
        }
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw usageError("--limit must be between 1 and 1000, was " + limit);
        }
        AuditPage page = client.audit(AuditQuery.builder()
                .tokenId(tokenId).principal(principal).action(action).decision(decision(this, decision))
                .since(since).until(until).order(order(order)).limit(limit).cursor(cursor)
                .build());
        if (json()) {
            ObjectNode node = JsonOutput.mapper().createObjectNode();
            node.set("items", JsonOutput.mapper().valueToTree(page.items()));
            node.put("next_cursor", page.nextCursor());
            printJson(node);
        } else {
            Views.audit(out(), page.items());
        }
        if (page.hasNext()) {
            err().println("next page: --cursor " + Text.safe(page.nextCursor()));
        }
        return ExitCodes.OK;
    }
}
