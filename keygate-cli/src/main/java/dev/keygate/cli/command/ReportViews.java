package dev.keygate.cli.command;

import dev.keygate.cli.output.Table;
import dev.keygate.cli.output.Text;
import dev.keygate.client.HygieneReport;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;

/** The human-readable form of reports: a heading, then each section as a count and a table (none when empty). */
final class ReportViews {

    private ReportViews() {
    }

    static void hygiene(PrintStream out, HygieneReport r) {
        out.println("hygiene of " + Views.count(r.activeTokens(), "active token") + " (revoked, expired and "
                + "rotated-out tokens are left out); use counted since " + Text.time(r.usageSince()) + " ("
                + r.days() + " days)");
        section(out, "unused for " + r.days() + " days", r.unused(), list -> {
            Table t = Table.of("ID", "PRINCIPAL", "NAME", "LAST USED");
            list.forEach(k -> t.row(k.id(), k.principal(), k.name(), Text.time(k.lastUsedAt())));
            t.print(out);
        });
        section(out, "never used", r.neverUsed(), list -> {
            Table t = Table.of("ID", "PRINCIPAL", "NAME", "CREATED");
            list.forEach(k -> t.row(k.id(), k.principal(), k.name(), Text.time(k.createdAt())));
            t.print(out);
        });
        section(out, "over-scoped", r.overScoped(), list -> {
            Table t = Table.of("ID", "PRINCIPAL", "UNEXERCISED", "BROADER THAN USED", "SUGGESTION");
            list.forEach(o -> t.row(o.id(), o.principal(), Text.list(o.unexercised()), broader(o.broaderThanUsed()),
                    suggestion(o.suggestion())));
            t.print(out);
        });
        section(out, "not enough history to judge scope (younger than " + r.days() + " days)",
                r.notEnoughHistory(), list -> {
                    Table t = Table.of("ID", "PRINCIPAL", "NAME", "HISTORY SINCE");
                    list.forEach(n -> t.row(n.id(), n.principal(), n.name(), Text.time(n.historySince())));
                    t.print(out);
                });
        section(out, "permanent", r.permanent(), list -> {
            Table t = Table.of("ID", "PRINCIPAL", "NAME", "CREATED");
            list.forEach(k -> t.row(k.id(), k.principal(), k.name(), Text.time(k.createdAt())));
            t.print(out);
        });
        section(out, "expiring within 7 days", r.expiringSoon(), list -> {
            Table t = Table.of("ID", "PRINCIPAL", "NAME", "EXPIRES");
            list.forEach(k -> t.row(k.id(), k.principal(), k.name(), Text.time(k.expiresAt())));
            t.print(out);
        });
        section(out, "past their rotation date", r.rotationOverdue(), list -> {
            Table t = Table.of("ID", "PRINCIPAL", "NAME", "ROTATION DUE");
            list.forEach(k -> t.row(k.id(), k.principal(), k.name(), Text.time(k.rotationDueAt())));
            t.print(out);
        });
        section(out, "allowed to write with no IP binding", r.writableWithoutIpBinding(), list -> {
            Table t = Table.of("ID", "PRINCIPAL", "NAME", "WRITE PERMISSIONS");
            list.forEach(w -> t.row(w.id(), w.principal(), w.name(), Text.list(w.writePermissions())));
            t.print(out);
        });
        out.flush();
    }

    /** A blank line, {@code title: N}, and the table when there is anything to show. */
    private static <T> void section(PrintStream out, String title, List<T> items, Consumer<List<T>> table) {
        out.println();
        out.println(title + ": " + (items.isEmpty() ? "none" : items.size()));
        if (!items.isEmpty()) {
            table.accept(items);
        }
    }

    /** {@code docs:* (used docs:read)}, one per wildcard grant. */
    private static String broader(List<HygieneReport.Broader> broader) {
        return broader.isEmpty() ? "-" : String.join("; ", broader.stream()
                .map(b -> b.grant() + " (used " + String.join(", ", b.used()) + ")").toList());
    }

    /** What to do, in a phrase: use a role, create one, or revoke the token. */
    static String suggestion(HygieneReport.Suggestion s) {
        if (Boolean.TRUE.equals(s.revoke())) {
            return "revoke: it used none of its permissions";
        }
        String create = s.newRole() == null ? null
                : "create role " + s.newRole().name() + " with " + String.join(", ", s.newRole().permissions());
        if (s.role() == null) {
            return create;
        }
        if (Boolean.TRUE.equals(s.roleExact())) {
            return "use role " + s.role() + " (exactly what it used)";
        }
        return create + ", or use role " + s.role() + " (narrower, not exact)";
    }
}
