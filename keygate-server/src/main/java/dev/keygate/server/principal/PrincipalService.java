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

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Creates and reads principals; each creation and its audit event share one transaction. */
public final class PrincipalService {

    public static final int MAX_DESCRIPTION = 1000;
    public static final int MAX_METADATA_BYTES = 4096;

    private final Database db;
    private final PrincipalStore principals;
    private final AuditStore audit;
    private final Clock clock;

    public PrincipalService(Database db, PrincipalStore principals, AuditStore audit, Clock clock) {
        this.db = db;
        this.principals = principals;
        this.audit = audit;
        this.clock = clock;
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
        String metadata = metadataJson == null ? "{}" : metadataJson;
        if (!metadata.startsWith("{")) {
            errors.add("metadata", "must be a JSON object");
        } else if (metadata.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
            errors.add("metadata", "must be at most " + MAX_METADATA_BYTES + " bytes as JSON");
        }
        errors.throwIfAny();
        Instant now = clock.instant();
        Principal principal = new Principal(name, k, description == null ? "" : description, metadata, now);
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
