package dev.keygate.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.cli.output.JsonOutput;
import dev.keygate.cli.output.Table;
import dev.keygate.cli.output.Text;
import dev.keygate.client.Alert;
import dev.keygate.client.AlertDelivery;
import dev.keygate.client.AlertPage;
import dev.keygate.client.AlertQuery;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code keygate alerts list [--rule R] [--token-id T] [--since T] [--limit N] [--cursor C]}: one page of alerts,
 * newest first, with each delivery's state; the cursor of the next page, if any, goes to stderr.
 */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "List alerts, newest first, one page at a time, with their delivery to each webhook. "
                    + "Needs keygate.alerts:read.",
            "When there are more alerts, the cursor of the next page is printed to stderr: pass it to --cursor."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class AlertsListCommand extends AdminCommand {

    static final List<String> RULES = List.of("failed_verifications_ip", "failed_verifications_token", "new_network",
            "dead_token_use", "usage_spike", "token_leaked");

    @Option(names = "--rule", paramLabel = "RULE",
            description = "Only this rule: failed_verifications_ip, failed_verifications_token, new_network, "
                    + "dead_token_use, usage_spike or token_leaked.")
    private String rule;

    @Option(names = "--token-id", paramLabel = "ID", description = "Only alerts about this token (tok_...).")
    private String tokenId;

    @Option(names = "--since", paramLabel = "TIME", converter = Converters.RfcTime.class,
            description = "Only alerts raised at or after this RFC 3339 time, e.g. 2026-11-22T00:00:00Z.")
    private Instant since;

    @Option(names = "--limit", paramLabel = "N", description = "Alerts per page, 1 to 1000. Default: 100.")
    private Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "The cursor printed by the previous page.")
    private String cursor;

    public AlertsListCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        if (tokenId != null) {
            tokenId(tokenId);
        }
        if (rule != null && !RULES.contains(rule)) {
            throw usageError("--rule must be one of " + String.join(", ", RULES) + ", was " + Text.safe(rule));
        }
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw usageError("--limit must be between 1 and 1000, was " + limit);
        }
        AlertPage page = client.alerts(AlertQuery.builder()
                .rule(rule).tokenId(tokenId).since(since).limit(limit).cursor(cursor).build());
        if (json()) {
            ObjectNode node = JsonOutput.mapper().createObjectNode();
            node.set("items", JsonOutput.mapper().valueToTree(page.items()));
            node.put("next_cursor", page.nextCursor());
            printJson(node);
        } else {
            table(out(), page.items());
        }
        if (page.hasNext()) {
            err().println("next page: --cursor " + Text.safe(page.nextCursor()));
        }
        return ExitCodes.OK;
    }

    static void table(PrintStream out, List<Alert> alerts) {
        Table t = Table.of("ID", "TIME", "RULE", "TOKEN", "PRINCIPAL", "IP", "DELIVERIES", "DETAIL");
        alerts.forEach(a -> t.row(String.valueOf(a.id()), Text.time(a.time()), a.rule(), a.tokenId(), a.principal(),
                a.ip(), deliveries(a.deliveries()), a.detail()));
        t.print(out);
    }

    /** {@code ops:delivered pager:pending(2)}: each webhook, its state, and the attempts when not delivered at once. */
    private static String deliveries(List<AlertDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return "-";
        }
        return deliveries.stream().map(d -> d.webhook() + ":" + d.state()
                + (d.attempts() > 1 || !d.delivered() && d.attempts() > 0 ? "(" + d.attempts() + ")" : ""))
                .collect(Collectors.joining(" "));
    }
}
