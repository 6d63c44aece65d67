package dev.keygate.cli.command;

import dev.keygate.cli.output.Details;
import dev.keygate.cli.output.JsonOutput;
import dev.keygate.cli.output.Table;
import dev.keygate.cli.output.Text;
import dev.keygate.client.AuditEvent;
import dev.keygate.client.Explanation;
import dev.keygate.client.Grant;
import dev.keygate.client.Principal;
import dev.keygate.client.RateLimitState;
import dev.keygate.client.Role;
import dev.keygate.client.TokenInfo;
import dev.keygate.client.VerifyResult;

import java.io.PrintStream;
import java.util.List;
import java.util.Objects;

/** The human-readable form of each API object: a table for lists, a detail view for one. */
final class Views {

    private Views() {
    }

    static void roles(PrintStream out, List<Role> roles) {
        Table t = Table.of("NAME", "PERMISSIONS", "ENVIRONMENTS", "DESCRIPTION", "UPDATED");
        roles.forEach(r -> t.row(r.name(), permissionsAndOtherGrants(r),
                r.environments() == null ? "all" : Text.list(r.environments()), blankAsDash(r.description()),
                Text.time(r.updatedAt())));
        t.print(out);
    }

    static void role(PrintStream out, Role r) {
        Details details = new Details()
                .add("name", r.name())
                .add("description", blankAsDash(r.description()))
                .add("permissions", Text.list(r.permissions()));
        if (otherGrants(r) > 0) {
            // Every grant in order, one a line: the permissions alone do not tell what the role denies.
            for (int i = 0; i < r.grants().size(); i++) {
                details.add(i == 0 ? "grants" : "", r.grants().get(i).toString());
            }
        }
        if (r.maxTtl() != null) {
            details.add("max ttl", r.maxTtl());
        }
        if (r.environments() != null) {
            details.add("environments", Text.list(r.environments()));
        }
        details.add("created", Text.time(r.createdAt()))
                .add("updated", Text.time(r.updatedAt()))
                .print(out);
    }

    static void principals(PrintStream out, List<Principal> principals) {
        Table t = Table.of("NAME", "KIND", "DESCRIPTION", "CREATED", "DISABLED");
        principals.forEach(p -> t.row(p.name(), p.kind(), blankAsDash(p.description()), Text.time(p.createdAt()),
                p.disabled() ? disabledSince(p) : "-"));
        t.print(out);
    }

    static void principal(PrintStream out, Principal p) {
        Details details = new Details()
                .add("name", p.name())
                .add("kind", p.kind())
                .add("description", blankAsDash(p.description()))
                .add("metadata", p.metadata().isEmpty() ? "-" : compactJson(p.metadata()))
                .add("created", Text.time(p.createdAt()));
        if (p.disabled()) {
            details.add("disabled", disabledSince(p));
        }
        details.print(out);
    }

    static void tokens(PrintStream out, List<TokenInfo> tokens) {
        Table t = Table.of("ID", "PRINCIPAL", "ROLES", "ENV", "STATUS", "EXPIRES", "NAME");
        tokens.forEach(k -> t.row(k.id(), k.principal(), Text.list(k.roles()), k.environment(), k.status(),
                expiry(k), k.name()));
        t.print(out);
    }

    /** A new token in one line: {@code token ID for P (roles: R; environment: E; expires T)}. */
    static String summary(TokenInfo t) {
        return "token " + Text.safe(t.id()) + " for " + Text.safe(t.principal()) + " (roles: " + Text.list(t.roles())
                + "; environment: " + Text.safe(t.environment()) + "; expires " + expiry(t) + ")";
    }

    static void token(PrintStream out, TokenInfo k) {
        Details d = new Details()
                .add("id", k.id())
                .add("name", k.name())
                .add("principal", k.principal())
                .add("roles", Text.list(k.roles()))
                .add("environment", k.environment())
                .add("status", k.status())
                .add("created", Text.time(k.createdAt()))
                .add("created by", k.createdBy())
                .add("expires", expiry(k));
        if (k.maxUses() != null) {
            // A rotated token has no count of its own: its uses are spent from its successor's.
            d.add("max uses", k.maxUses() + (k.remaining() == null ? " (counted on its successor)"
                    : " (" + k.remaining() + " left)"));
        }
        if (k.rateLimit() != null) {
            d.add("rate limit", k.rateLimit().limit() + "/" + k.rateLimit().window());
        }
        if (k.allowedCidrs() != null) {
            d.add("allowed cidrs", Text.list(k.allowedCidrs()));
        }
        if (!k.metadata().isEmpty()) {
            d.add("metadata", compactJson(k.metadata()));
        }
        if (k.parentId() != null) {
            d.add("parent", k.parentId());
        }
        if (k.rotateEvery() != null) {
            d.add("rotate every", k.rotateEvery())
                    .add("rotation due", Text.time(k.rotationDueAt()));
        }
        if (k.rotatedFrom() != null) {
            d.add("rotated from", k.rotatedFrom());
        }
        if (k.rotatedTo() != null) {
            d.add("rotated to", k.rotatedTo())
                    .add("rotation ends", Text.time(k.rotationEndsAt()));
        }
        d.add("last used", Text.time(k.lastUsedAt())
                + (k.lastUsedAt() == null || k.lastUsedIp() == null ? "" : " from " + Text.safe(k.lastUsedIp())));
        if (k.revokedAt() != null) {
            d.add("revoked", Text.time(k.revokedAt()))
                    .add("revoked by", k.revokedBy())
                    .add("reason", k.revokeReason());
        }
        d.print(out);
    }

    static void verify(PrintStream out, VerifyResult r) {
        Details d = new Details()
                .add("allowed", String.valueOf(r.allowed()))
                .add("valid", String.valueOf(r.valid()))
                .add("code", r.code());
        if (r.tokenId() != null) {
            d.add("token id", r.tokenId())
                    .add("principal", r.principal())
                    .add("roles", Text.list(r.roles()))
                    .add("permissions", Text.list(r.permissions()))
                    .add("environment", r.environment())
                    // Only a token that never expires is described without an expiry time.
                    .add("expires", r.expiresAt() == null ? "never" : Text.time(r.expiresAt()));
        }
        if (r.remaining() != null) {
            d.add("uses left", String.valueOf(r.remaining()));
        }
        RateLimitState rate = r.rateLimit();
        if (rate != null) {
            d.add("rate limit", rate.limit() + "/" + rate.window() + " (" + rate.remaining() + " left)");
        }
        if (r.retryAfter() != null) {
            d.add("retry after", r.retryAfter() + "s");
        }
        d.print(out);
    }

    /**
     * An explanation: the decision, the token, the reason; then per permission each grant that bears on it, in
     * order, the one that decided marked with {@code >}, and its outcome; then the notes.
     */
    static void explain(PrintStream out, Explanation e) {
        Details d = new Details()
                .add("decision", e.decision())
                .add("code", e.code());
        if (e.tokenId() != null) {
            d.add("token id", e.tokenId())
                    .add("principal", e.principal())
                    .add("roles", Text.list(e.roles()))
                    .add("environment", e.environment());
        }
        d.add("reason", e.reason()).print(out);
        for (Explanation.PermissionResult p : e.permissions()) {
            out.println();
            out.println(Text.safe(p.permission()) + ": " + (p.allowed() ? "allowed" : "denied"));
            if (p.rules().isEmpty()) {
                out.println("  no grant of the token's roles matches it");
                continue;
            }
            Table rules = Table.of("", "ROLE", "GRANT", "RULE", "OUTCOME");
            for (Explanation.Rule r : p.rules()) {
                rules.row(decided(r, p.decidedBy()) ? ">" : "", r.role(), String.valueOf(r.grant()),
                        new Grant(r.permission(), r.effect(), r.condition()).toString(), outcome(r));
            }
            rules.print(out);
        }
        if (!e.notes().isEmpty()) {
            out.println();
            e.notes().forEach(n -> out.println("note: " + Text.safe(n)));
        }
        out.flush();
    }

    static void audit(PrintStream out, List<AuditEvent> events) {
        // The hash is too long for a table: --json shows it.
        // COUNT: verifications alike but for their time, recorded as one event (their times: --json).
        Table t = Table.of("ID", "CHAIN", "SEQ", "TIME", "ACTION", "COUNT", "TOKEN", "PRINCIPAL", "TARGET",
                "PERMISSION", "DECISION", "CODE", "REQUEST IP", "DETAIL");
        events.forEach(e -> t.row(String.valueOf(e.id()), e.chain(), e.seq() == null ? null : String.valueOf(e.seq()),
                Text.time(e.time()), e.action(), String.valueOf(e.count()), e.actorTokenId(), e.actorPrincipal(),
                e.target(), e.permission(), e.decision(), e.code(), e.requestIp(), e.detail()));
        t.print(out);
    }

    /** {@code 1 token}, {@code 0 tokens}, {@code 3 tokens}. */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The grants of a role that its permissions do not show: its denies and conditional allows. */
    private static int otherGrants(Role r) {
        return (int) r.grants().stream().filter(g -> !Grant.ALLOW.equals(g.effect()) || g.condition() != null)
                .count();
    }

    /** {@code billing.*:* (+1 other grant)}; {@code (2 grants)} for a role with no unconditional permission. */
    private static String permissionsAndOtherGrants(Role r) {
        int others = otherGrants(r);
        if (others == 0) {
            return Text.list(r.permissions());
        }
        return r.permissions().isEmpty() ? "(" + count(others, "grant") + ")"
                : Text.list(r.permissions()) + " (+" + count(others, "other grant") + ")";
    }

    /** Whether {@code rule} is the grant that decided (the same grant of the same role). */
    private static boolean decided(Explanation.Rule rule, Explanation.Rule decider) {
        return decider != null && Objects.equals(rule.role(), decider.role()) && rule.grant() == decider.grant();
    }

    /** {@code applies}, {@code condition false}, {@code condition failed: <why>}. */
    private static String outcome(Explanation.Rule r) {
        String outcome = r.outcome() == null ? "-" : r.outcome().replace('_', ' ');
        return r.error() == null ? outcome : outcome + ": " + r.error();
    }

    /** When the token expires; {@code never} for a permanent token. */
    private static String expiry(TokenInfo t) {
        return t.permanent() ? "never" : Text.time(t.expiresAt());
    }

    private static String disabledSince(Principal p) {
        return p.disabledAt() == null ? "yes" : Text.time(p.disabledAt());
    }

    private static String blankAsDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    private static String compactJson(Object value) {
        return JsonOutput.tree(value).toString();
    }
}
