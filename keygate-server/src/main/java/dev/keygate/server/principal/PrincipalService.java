package dev.keygate.server.principal;

import dev.keygate.core.error.ConflictException;
import dev.keygate.core.error.FieldErrors;
import dev.keygate.core.error.NotFoundException;
import dev.keygate.core.principal.Principal;
import dev.keygate.core.principal.PrincipalKind;
import dev.keygate.core.role.Names;
import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.audit.AuditStore;
import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.auth.Caller;
import dev.keygate.server.store.Database;
import dev.keygate.server.token.Revocations;
import dev.keygate.server.token.TokenService;
import dev.keygate.server.token.TokenStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates, reads, disables and enables principals; each change and its audit events share one transaction.
 * Disabling a principal revokes every token it holds (with their descendants) and refuses it new ones.
 */
public final class PrincipalService {

    public static final int MAX_DESCRIPTION = 1000;
    public static final int MAX_METADATA_BYTES = 4096;

    private final Database db;
    private final PrincipalStore principals;
    private final TokenStore tokens;
    private final AuditStore audit;
    private final Revocations revocations;
    private final Clock clock;

    public PrincipalService(Database db, PrincipalStore principals, TokenStore tokens, AuditStore audit,
                            Revocations revocations, Clock clock) {
        this.db = db;
        this.principals = principals;
        this.tokens = tokens;
        this.audit = audit;
        this.revocations = revocations;
        this.clock = clock;
    }

    /** A principal after disabling it, and how many tokens that revoked. */
    public record Disabled(Principal principal, int revoked) {
    }

    /**
     * Disables a principal: revokes every token it holds, with their descendants, in one transaction, and
     * refuses it new tokens until {@link #enable}. Disabling a disabled principal revokes nothing more.
     *
     * @throws NotFoundException if there is no such principal
     */
    public Disabled disable(Caller caller, String name, String reason) {
        caller.require(AdminPermissions.PRINCIPALS_DISABLE);
        FieldErrors errors = new FieldErrors();
        errors.maxLength("reason", reason, TokenService.MAX_REASON);
        errors.throwIfAny();
        Instant now = clock.instant();
        List<String> revoked = new ArrayList<>();
        Principal principal = db.inTransaction(c -> {
            principals.find(c, name).orElseThrow(() -> new NotFoundException("principal", name));
            // The update locks the row first: a minting for this principal either committed before (its token
            // is found below) or waits and then sees the principal disabled.
            List<AuditEvent> disabled = principals.setDisabled(c, name, now, caller.token().id())
                    ? List.of(AuditEvent.change(now, "principal.disable", caller.actor(), name,
                            AdminPermissions.PRINCIPALS_DISABLE.toString(), reason == null ? null : "reason=" + reason))
                    : List.of();
            // Its event is appended with the revocations', after the tokens are locked: the chain's head goes last.
            revoked.addAll(revocations.revokeTrees(c, tokens.unrevokedOfPrincipal(c, name), caller, now,
                    reason == null ? "principal disabled" : reason, "principal=" + name + " disabled", AdminPermissions.TOKENS_REVOKE, disabled));
            return principals.find(c, name).orElseThrow();
        });
        revocations.invalidate(revoked);
        return new Disabled(principal, revoked.size());
    }

    /**
     * Enables a disabled principal so that it may be given tokens again; its revoked tokens stay revoked.
     * Enabling an enabled principal changes nothing.
     *
     * @throws NotFoundException if there is no such principal
     */
    public Principal enable(Caller caller, String name) {
        caller.require(AdminPermissions.PRINCIPALS_DISABLE);
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            principals.find(c, name).orElseThrow(() -> new NotFoundException("principal", name));
            if (principals.setDisabled(c, name, null, null)) {
                audit.append(c, List.of(AuditEvent.change(now, "principal.enable", caller.actor(), name,
                        AdminPermissions.PRINCIPALS_DISABLE.toString(), null)));
            }
            return principals.find(c, name).orElseThrow();
        });
    }

    /**
     * Creates a principal.
     *
     * @param metadataJson compact JSON text as the HTTP layer serialized it (it must be an object), or {@code null}
     * @throws dev.keygate.core.error.ValidationException if a field is invalid
     * @throws ConflictException if the principal exists
     */
    public Principal create(Caller caller, String name, String kind, String description, String metadataJson) {
        caller.require(AdminPermissions.PRINCIPALS_WRITE);
        FieldErrors errors = new FieldErrors();
        if (errors.required("name", name) && !Names.isValidPrincipal(name)) {
            errors.add("name", Names.PRINCIPAL_RULE);
        }
        PrincipalKind k = null;
        if (errors.required("kind", kind)) {
            k = PrincipalKind.fromApiName(kind);
            if (k == null) {
                errors.add("kind", "must be one of service, integration, user");
            }
        }
        errors.maxLength("description", description, MAX_DESCRIPTION);
        errors.jsonObject("metadata", metadataJson, MAX_METADATA_BYTES);
        String metadata = metadataJson == null ? "{}" : metadataJson;
        errors.throwIfAny();
        Instant now = clock.instant();
        Principal principal = new Principal(name, k, description == null ? "" : description, metadata, now, null);
        return db.inTransaction(c -> {
            if (!principals.insert(c, principal)) {
                throw new ConflictException("principal '" + name + "' exists already");
            }
            audit.append(c, List.of(AuditEvent.change(now, "principal.create", caller.actor(), name,
                    AdminPermissions.PRINCIPALS_WRITE.toString(), "kind=" + kind)));
            return principal;
        });
    }

    public Principal get(Caller caller, String name) {
        caller.require(AdminPermissions.PRINCIPALS_READ);
        return db.read(c -> principals.find(c, name)).orElseThrow(() -> new NotFoundException("principal", name));
    }

    public List<Principal> list(Caller caller) {
        caller.require(AdminPermissions.PRINCIPALS_READ);
        return db.read(principals::list);
    }
}
