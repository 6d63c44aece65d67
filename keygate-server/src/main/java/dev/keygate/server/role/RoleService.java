package dev.keygate.server.role;

import dev.keygate.core.error.ConflictException;
import dev.keygate.core.error.FieldErrors;
import dev.keygate.core.error.NotFoundException;
import dev.keygate.core.permission.InvalidPermissionException;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.permission.PermissionSet;
import dev.keygate.core.role.Names;
import dev.keygate.core.role.Role;
import dev.keygate.core.token.Ttl;
import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.audit.AuditStore;
import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.auth.Caller;
import dev.keygate.server.store.Database;
import dev.keygate.server.token.ChangeEvents;
import dev.keygate.server.token.TokenStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Creates, changes and deletes roles. Each change and its audit event share one transaction. A role held by
 * live tokens cannot be deleted, nor widened: widening it would silently widen every token holding it, which
 * is how a role writer could escalate its own token.
 */
public final class RoleService {

    public static final int MAX_PERMISSIONS = 100;
    public static final int MAX_DESCRIPTION = 1000;

    private final Database db;
    private final RoleStore roles;
    private final TokenStore tokens;
    private final AuditStore audit;
    private final ChangeEvents changes;
    private final Clock clock;

    public RoleService(Database db, RoleStore roles, TokenStore tokens, AuditStore audit, ChangeEvents changes,
                       Clock clock) {
        this.db = db;
        this.roles = roles;
        this.tokens = tokens;
        this.audit = audit;
        this.changes = changes;
        this.clock = clock;
    }

    /**
     * Creates a role.
     *
     * @throws dev.keygate.core.error.ValidationException if a field is invalid
     * @throws ConflictException if the role exists
     */
    public Role create(Caller caller, String name, String description, List<String> permissions, String maxTtl) {
        caller.require(AdminPermissions.ROLES_WRITE);
        FieldErrors errors = new FieldErrors();
        if (errors.required("name", name) && !Names.isValidRole(name)) {
            errors.add("name", Names.ROLE_RULE);
        }
        List<Permission> parsed = validate(errors, description, permissions);
        Duration cap = maxTtl(errors, maxTtl);
        errors.throwIfAny();
        Instant now = clock.instant();
        Role role = new Role(name, description == null ? "" : description, parsed, cap, now, now);
        return db.inTransaction(c -> {
            if (!roles.insert(c, role)) {
                throw new ConflictException("role '" + name + "' exists already");
            }
            audit.append(c, List.of(AuditEvent.change(now, "role.create", caller.actor(), name,
                    AdminPermissions.ROLES_WRITE.toString(), "permissions=" + String.join(",", strings(parsed)))));
            return role;
        });
    }

    /**
     * Replaces a role's description and permissions.
     *
     * @throws NotFoundException if there is no such role
     * @throws ConflictException if live tokens hold the role and the change would widen it
     */
    public Role update(Caller caller, String name, String description, List<String> permissions, String maxTtl) {
        caller.require(AdminPermissions.ROLES_WRITE);
        FieldErrors errors = new FieldErrors();
        List<Permission> parsed = validate(errors, description, permissions);
        Duration cap = maxTtl(errors, maxTtl);
        errors.throwIfAny();
        Instant now = clock.instant();
        Role updated = db.inTransaction(c -> {
            Role old = roles.findForChange(c, name).orElseThrow(() -> new NotFoundException("role", name));
            PermissionSet before = PermissionSet.of(old.permissions());
            List<String> added = parsed.stream().filter(p -> !before.covers(p)).map(Permission::toString).toList();
            if (!added.isEmpty()) {
                int live = tokens.countLiveHolding(c, name, now);
                if (live > 0) {
                    throw new ConflictException("role '" + name + "' is held by " + live + " live token(s); adding "
                            + added + " would widen them. Create a new role for the wider access instead");
                }
            }
            Role role = new Role(name, description == null ? old.description() : description, parsed,
                    cap == null ? old.maxTtl() : cap, old.createdAt(), now);
            roles.update(c, role);
            db.publishChange(c, ChangeEvents.roleMessage(name));
            audit.append(c, List.of(AuditEvent.change(now, "role.update", caller.actor(), name,
                    AdminPermissions.ROLES_WRITE.toString(), "permissions=" + String.join(",", strings(parsed)))));
            return role;
        });
        changes.roleChanged(name);
        return updated;
    }

    /**
     * Deletes a role.
     *
     * @throws NotFoundException if there is no such role
     * @throws ConflictException if live tokens hold it
     */
    public void delete(Caller caller, String name) {
        caller.require(AdminPermissions.ROLES_WRITE);
        Instant now = clock.instant();
        db.inTransaction(c -> {
            if (roles.findForChange(c, name).isEmpty()) {
                throw new NotFoundException("role", name);
            }
            int live = tokens.countLiveHolding(c, name, now);
            if (live > 0) {
                throw new ConflictException("role '" + name + "' is held by " + live
                        + " live token(s); revoke them or let them expire first");
            }
            roles.delete(c, name);
            db.publishChange(c, ChangeEvents.roleMessage(name));
            audit.append(c, List.of(AuditEvent.change(now, "role.delete", caller.actor(), name,
                    AdminPermissions.ROLES_WRITE.toString(), null)));
            return null;
        });
        changes.roleChanged(name);
    }

    public Role get(Caller caller, String name) {
        caller.require(AdminPermissions.ROLES_READ);
        return db.read(c -> roles.find(c, name)).orElseThrow(() -> new NotFoundException("role", name));
    }

    public List<Role> list(Caller caller) {
        caller.require(AdminPermissions.ROLES_READ);
        return db.read(roles::list);
    }

    /** The role's {@code max_ttl}, or {@code null} when none was given (or it is invalid: then an error). */
    private static Duration maxTtl(FieldErrors errors, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Ttl.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add("max_ttl", e.getMessage());
            return null;
        }
    }

    private static List<Permission> validate(FieldErrors errors, String description, List<String> permissions) {
        errors.maxLength("description", description, MAX_DESCRIPTION);
        List<Permission> parsed = new ArrayList<>();
        if (permissions == null || permissions.isEmpty()) {
            errors.add("permissions", "must hold at least one permission");
            return parsed;
        }
        if (permissions.size() > MAX_PERMISSIONS) {
            errors.add("permissions", "must hold at most " + MAX_PERMISSIONS + " permissions");
            return parsed;
        }
        for (int i = 0; i < permissions.size(); i++) {
            try {
                parsed.add(Permission.parse(permissions.get(i)));
            } catch (InvalidPermissionException e) {
                errors.add("permissions[" + i + "]", e.getMessage());
            }
        }
        return List.copyOf(new LinkedHashSet<>(parsed));
    }

    private static List<String> strings(List<Permission> permissions) {
        return permissions.stream().map(Permission::toString).toList();
    }
}
