package dev.keygate.cli.command;

import dev.keygate.cli.output.Details;
import dev.keygate.cli.output.Table;
import dev.keygate.cli.output.Text;
import dev.keygate.client.TokenUsage;

import java.io.PrintStream;

/** The human-readable form of usage analytics. */
final class UsageViews {

    /** How the verifications that asked no permission are shown in a table. */
    static final String NO_PERMISSION = "(none asked)";

    private UsageViews() {
    }

    /**
     * A token's usage: its last use and the totals, then a table of the totals per permission, then one of each
     * bucket's counts per permission (a line per bucket and permission).
     */
    static void usage(PrintStream out, TokenUsage u) {
        new Details()
                .add("token", u.tokenId())
                .add("last used", u.lastUsedAt() == null ? "never"
                        : Text.time(u.lastUsedAt()) + (u.lastUsedIp() == null ? "" : " from " + u.lastUsedIp()))
                .add("range", Text.time(u.since()) + " to " + Text.time(u.until()) + ", by " + u.granularity())
                .add("allowed", String.valueOf(u.totals().allow()))
                .add("denied", String.valueOf(u.totals().deny()))
                .print(out);
        if (u.permissions().isEmpty()) {
            out.println();
            out.println("no verifications in this range");
            out.flush();
            return;
        }
        out.println();
        Table permissions = Table.of("PERMISSION", "ALLOW", "DENY");
        u.permissions().forEach(p -> permissions.row(permission(p.permission()), String.valueOf(p.allow()),
                String.valueOf(p.deny())));
        permissions.print(out);
        out.println();
        Table buckets = Table.of("START", "PERMISSION", "ALLOW", "DENY");
        for (TokenUsage.Bucket b : u.buckets()) {
            b.permissions().forEach(p -> buckets.row(Text.time(b.start()), permission(p.permission()),
                    String.valueOf(p.allow()), String.valueOf(p.deny())));
        }
        buckets.print(out);
    }

    private static String permission(String permission) {
        return permission == null ? NO_PERMISSION : permission;
    }
}
