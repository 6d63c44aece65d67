package dev.keygate.cli.command;

import dev.keygate.cli.output.Details;
import dev.keygate.cli.output.JsonOutput;
import dev.keygate.cli.output.Table;
import dev.keygate.cli.output.Text;
import dev.keygate.client.AuditEvent;
import dev.keygate.client.Principal;
import dev.keygate.client.Role;
import dev.keygate.client.TokenInfo;
import dev.keygate.client.VerifyResult;

import java.io.PrintStream;
import java.util.List;

/** The human-readable form of each API object: a table for lists, a detail view for one. */
final class Views {

    private Views() {
    }

    static void roles(PrintStream out, List<Role> roles) {
        Table t = Table.of("NAME", "PERMISSIONS", "DESCRIPTION", "UPDATED");
        roles.forEach(r -> t.row(r.name(), Text.list(r.permissions()), blankAsDash(r.description()),
                Text.time(r.updatedAt())));
        t.print(out);
    }

    static void role(PrintStream out, Role r) {
        Details details = new Details()
                .add("name", r.name())
                .add("description", blankAsDash(r.description()))
                .add("permissions", Text.list(r.permissions()));
        if (r.maxTtl() != null) {
            details.add("max ttl", r.maxTtl());
        }
        details.add("created", Text.time(r.createdAt()))
                .add("updated", Text.time(r.updatedAt()))
                .print(out);
    }

    static void principals(PrintStream out, List<Principal> principals) {
        Table t = Table.of("NAME", "KIND", "DESCRIPTION", "CREATED");
        principals.forEach(p -> t.row(p.name(), p.kind(), blankAsDash(p.description()), Text.time(p.createdAt())));
        t.print(out);
    }

    static void principal(PrintStream out, Principal p) {
        new Details()
                .add("name", p.name())
                .add("kind", p.kind())
                .add("description", blankAsDash(p.description()))
                .add("metadata", p.metadata().isEmpty() ? "-" : compactJson(p.metadata()))
                .add("created", Text.time(p.createdAt()))
                .print(out);
    }

    static void tokens(PrintStream out, List<TokenInfo> tokens) {
        Table t = Table.of("ID", "PRINCIPAL", "ROLES", "ENV", "STATUS", "EXPIRES", "NAME");
        tokens.forEach(k -> t.row(k.id(), k.principal(), Text.list(k.roles()), k.environment(), k.status(),
                Text.time(k.expiresAt()), k.name()));
        t.print(out);
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
                .add("expires", Text.time(k.expiresAt()))
                .add("last used", Text.time(k.lastUsedAt()));
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
                    .add("expires", Text.time(r.expiresAt()));
        }
        d.print(out);
    }

    static void audit(PrintStream out, List<AuditEvent> events) {
        Table t = Table.of("ID", "TIME", "ACTION", "TOKEN", "PRINCIPAL", "TARGET", "PERMISSION", "DECISION", "CODE",
                "DETAIL");
        events.forEach(e -> t.row(String.valueOf(e.id()), Text.time(e.time()), e.action(), e.actorTokenId(),
                e.actorPrincipal(), e.target(), e.permission(), e.decision(), e.code(), e.detail()));
        t.print(out);
    }

    private static String blankAsDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    private static String compactJson(Object value) {
        return JsonOutput.tree(value).toString();
    }
}
