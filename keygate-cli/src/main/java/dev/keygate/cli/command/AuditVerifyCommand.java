package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.cli.output.Text;
import dev.keygate.client.AuditVerification;
import dev.keygate.client.KeygateClient;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code keygate audit verify}: asks the server to walk the audit log's hash chains and prints, per chain, what
 * was checked and the first broken link; exits {@link ExitCodes#BROKEN} when the log is not intact, so that a
 * scheduled job can alert on it.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Verify the audit log's hash chains: every event is checked against the one before it, from the "
                    + "latest retention checkpoint (its signature checked) to the newest. Needs keygate.audit:read.",
            "Prints each chain's result and, when broken, the first broken link: its seq and what it means "
                    + "(an event edited, deleted, reordered; the newest deleted; a checkpoint forged). See "
                    + "docs/audit.md."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_AUDIT_VERIFY_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.LINE_AUDIT_VERIFY_BROKEN, ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class AuditVerifyCommand extends AdminCommand {

    /** The server reads the whole log: a large one takes a while. */
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    public AuditVerifyCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected Duration timeout() {
        return TIMEOUT;
    }

    @Override
    protected int run(KeygateClient client) {
        AuditVerification v = client.verifyAudit();
        print(v, AuditVerifyCommand::human);
        return v.intact() ? ExitCodes.OK : ExitCodes.BROKEN;
    }

    private static void human(PrintStream out, AuditVerification v) {
        for (AuditVerification.ChainReport c : v.chains()) {
            StringBuilder line = new StringBuilder(Text.safe(c.chain())).append(": ");
            AuditVerification.Break b = c.broken();
            if (b == null) {
                line.append("intact, ");
            } else {
                line.append("BROKEN at seq ").append(b.seq());
                if (b.id() != null) {
                    line.append(" (id ").append(b.id()).append(')');
                }
                line.append(": ").append(Text.safe(b.meaning())).append(" (").append(Text.safe(b.problem()))
                        .append("): ").append(Text.safe(b.detail())).append("; ");
            }
            line.append(c.eventsChecked()).append(c.eventsChecked() == 1 ? " event" : " events").append(" checked");
            if (c.firstSeq() != null) {
                line.append(" (seq ").append(c.firstSeq()).append(" to ").append(c.lastSeq()).append(')');
            }
            line.append(", head at seq ").append(c.headSeq());
            AuditVerification.Checkpoint cp = c.checkpoint();
            if (cp != null) {
                line.append("; from the checkpoint at seq ").append(cp.seq()).append(" (pruned before ")
                        .append(Text.time(cp.prunedBefore())).append(", signature ")
                        .append(Text.safe(cp.signature()).replace('_', ' ')).append(')');
            }
            out.println(line);
        }
        if (v.unchainedEvents() > 0) {
            out.println("outside every chain: " + v.unchainedEvents()
                    + (v.unchainedEvents() == 1 ? " event" : " events") + " (inserted by hand)");
        }
        out.println(v.intact() ? "The audit log is intact." : "The audit log is NOT intact.");
        out.flush();
    }
}
