package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.CliException;
import dev.keygate.cli.ExitCodes;
import dev.keygate.cli.output.JsonOutput;
import dev.keygate.cli.output.Text;
import dev.keygate.client.AuditEvent;
import dev.keygate.client.AuditPage;
import dev.keygate.client.AuditQuery;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Instant;

/**
 * {@code keygate audit export --since T [--until T] [filters] [--format jsonl]}: every matching event, oldest
 * first, one JSON object per line on stdout, for archives and log shippers. Pages through the API (each page
 * written and flushed before the next is asked for), so the export never holds the log in memory.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write every audit event matching the filters to stdout, oldest first, as JSON lines (one event per "
                    + "line, the fields of GET /v1/audit). Needs keygate.audit:read.",
            "Reads the log a page at a time, so any amount can be exported; how many were written goes to stderr. "
                    + "Example: keygate audit export --since 2026-11-01T00:00:00Z --until 2026-12-01T00:00:00Z "
                    + "> audit-2026-11.jsonl"},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            "     (after an error mid-way, the lines already written are complete events)",
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class AuditExportCommand extends AdminCommand {

    @Option(names = "--since", required = true, paramLabel = "TIME", converter = Converters.RfcTime.class,
            description = "Events at or after this RFC 3339 time, e.g. 2026-11-01T00:00:00Z. Required.")
    private Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = Converters.RfcTime.class,
            description = "Events before this RFC 3339 time (exclusive). Default: up to the newest.")
    private Instant until;

    @Option(names = "--token-id", paramLabel = "ID", description = "Only events of this token (tok_...).")
    private String tokenId;

    @Option(names = "--principal", paramLabel = "NAME", description = "Only events of this principal's tokens.")
    private String principal;

    @Option(names = "--action", paramLabel = "ACTION", description = "Only this action, e.g. token.revoke or verify.")
    private String action;

    @Option(names = "--decision", paramLabel = "DECISION",
            description = "Only events with this decision: allow or deny.")
    private String decision;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl",
            description = "jsonl: one JSON object per line (the only format). Default: jsonl.")
    private String format;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "1000",
            description = "Events asked for per request, 1 to 1000. Default: 1000.")
    private int pageSize;

    public AuditExportCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        if (!"jsonl".equals(format)) {
            throw usageError("--format must be jsonl, was '" + Text.safe(format) + "'");
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw usageError("--page-size must be between 1 and 1000, was " + pageSize);
        }
        if (until != null && !until.isAfter(since)) {
            throw usageError("--until must be after --since");
        }
        if (tokenId != null) {
            tokenId(tokenId);
        }
        AuditQuery.Builder query = AuditQuery.builder().tokenId(tokenId).principal(principal).action(action)
                .decision(AuditCommand.decision(this, decision)).since(since).until(until)
                .order(AuditQuery.Order.OLDEST).limit(pageSize);
        PrintStream out = out();
        long written = 0;
        String cursor = null;
        try {
            do {
                AuditPage page = client.audit(query.cursor(cursor).build());
                for (AuditEvent e : page.items()) {
                    JsonOutput.line(out, e);
                }
                out.flush();
                written += page.items().size();
                cursor = page.nextCursor();
            } while (cursor != null);
        } catch (RuntimeException e) {
            // Reported by the CLI's error handler; say how far the export got first.
            err().println("keygate: audit export stopped after " + written + " events");
            throw e;
        }
        if (out.checkError()) {
            throw new CliException(ExitCodes.ERROR, "cannot write to stdout after " + written + " events");
        }
        err().println("exported " + written + (written == 1 ? " event" : " events"));
        return ExitCodes.OK;
    }
}
