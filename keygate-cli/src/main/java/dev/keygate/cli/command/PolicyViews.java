package dev.keygate.cli.command;

import dev.keygate.cli.output.Text;
import dev.keygate.client.PolicyPlan;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A plan, or what an application changed, for people: one block per role ({@code + create}, {@code ~ update} with
 * each changed field as {@code before -> after} and grants as {@code +}/{@code -} lines, {@code - delete}), the live
 * tokens each change reaches, {@code BLOCKED} and why, and a summary line.
 */
final class PolicyViews {

    private static final String INDENT = "    ";
    private static final int LABEL = 14;

    private PolicyViews() {
    }

    /** @param applied whether the changes were made ({@code apply}) or would be ({@code plan}) */
    static void plan(PrintStream out, PolicyPlan plan, boolean applied) {
        if (!plan.hasChanges()) {
            out.println("No changes: the server " + (applied ? "already matched" : "matches") + " the file ("
                    + count(plan.unchanged(), "role") + ").");
            return;
        }
        int create = 0;
        int update = 0;
        int delete = 0;
        for (PolicyPlan.Change c : plan.changes()) {
            switch (c.action()) {
                case "create" -> {
                    create++;
                    created(out, c);
                }
                case "delete" -> {
                    delete++;
                    out.println("- delete " + Text.safe(c.role()) + "  (" + liveTokens(c) + ")");
                }
                default -> {
                    update++;
                    updated(out, c);
                }
            }
            if (c.blocked() != null) {
                field(out, "BLOCKED", c.blocked());
            }
            out.println();
        }
        String unchanged = plan.unchanged() + " unchanged.";
        if (applied) {
            out.println("Applied: " + create + " created, " + update + " updated, " + delete + " deleted; " + unchanged);
        } else {
            out.println("Plan: " + create + " to create, " + update + " to update, " + delete + " to delete; "
                    + unchanged);
            int blocked = plan.blocked().size();
            if (blocked > 0) {
                out.println(count(blocked, "change") + (blocked == 1 ? " is" : " are") + " BLOCKED: apply would "
                        + "refuse the whole file, and change nothing, until " + (blocked == 1 ? "it is" : "they are")
                        + " resolved.");
            }
        }
        out.flush();
    }

    private static void created(PrintStream out, PolicyPlan.Change c) {
        out.println("+ create " + Text.safe(c.role()));
        PolicyPlan.RoleState r = c.after();
        if (r == null) {
            return;
        }
        if (!r.description().isEmpty()) {
            field(out, "description", r.description());
        }
        if (!r.permissions().isEmpty()) {
            field(out, "permissions", String.join(", ", r.permissions()));
        }
        List<PolicyPlan.Grant> others = r.grants().stream().filter(g -> !g.unconditionalAllow()).toList();
        for (int i = 0; i < others.size(); i++) {
            field(out, i == 0 ? "grants" : "", others.get(i).toString());
        }
        if (r.maxTtl() != null) {
            field(out, "max ttl", r.maxTtl());
        }
        if (r.environments() != null) {
            field(out, "environments", String.join(", ", r.environments()));
        }
    }

    private static void updated(PrintStream out, PolicyPlan.Change c) {
        out.println("~ update " + Text.safe(c.role()) + "  (" + liveTokens(c) + ")");
        PolicyPlan.RoleState before = c.before();
        PolicyPlan.RoleState after = c.after();
        if (before == null || after == null) {
            return;
        }
        if (c.changed().contains("description")) {
            field(out, "description", quoted(before.description()) + " -> " + quoted(after.description()));
        }
        if (c.changed().contains("grants")) {
            Set<PolicyPlan.Grant> old = new HashSet<>(before.grants());
            Set<PolicyPlan.Grant> now = new HashSet<>(after.grants());
            String label = "grants";
            for (PolicyPlan.Grant g : after.grants()) {
                if (!old.contains(g)) {
                    field(out, label, "+ " + g);
                    label = "";
                }
            }
            for (PolicyPlan.Grant g : before.grants()) {
                if (!now.contains(g)) {
                    field(out, label, "- " + g);
                    label = "";
                }
            }
        }
        if (c.changed().contains("max_ttl")) {
            field(out, "max ttl", orElse(before.maxTtl(), "none") + " -> " + orElse(after.maxTtl(), "none"));
        }
        if (c.changed().contains("environments")) {
            field(out, "environments", environments(before) + " -> " + environments(after));
        }
    }

    private static void field(PrintStream out, String label, String value) {
        out.println(INDENT + label + " ".repeat(Math.max(1, LABEL - label.length())) + Text.safe(value));
    }

    private static String liveTokens(PolicyPlan.Change c) {
        return c.liveTokens() == 0 ? "no live tokens" : count(c.liveTokens(), "live token");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static String environments(PolicyPlan.RoleState r) {
        return r.environments() == null ? "all" : String.join(", ", r.environments());
    }
}
