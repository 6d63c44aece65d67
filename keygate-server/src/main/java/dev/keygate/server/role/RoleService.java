package dev.keygate.server.role;

import dev.keygate.core.error.ConflictException;
import dev.keygate.core.error.FieldErrors;
import dev.keygate.core.error.NotFoundException;
import dev.keygate.core.permission.InvalidPermissionException;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.permission.PermissionSet;
import dev.keygate.core.role.Names;
import dev.keygate.core.role.Role;
import dev.keygate.core.token.Environments;
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
    public static final int MAX_ENVIRONMENTS = 20;
    /** The {@code max_ttl} that removes a role's cap. */
    public static final String NO_CAP = "none";
    /** The {@code environments} entry that allows every environment. */
    public static final String ALL_ENVIRONMENTS = "*";

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
    public Role create(Caller caller, String name, String description, List<String> permissions, String maxTtl,
                       List<String> environments) {
        caller.require(AdminPermissions.ROLES_WRITE);
        FieldErrors errors = new FieldErrors();
        if (errors.required("name", name) && !Names.isValidRole(name)) {
            errors.add("name", Names.ROLE_RULE);
        }
        List<Permission> parsed = validate(errors, description, permissions);
        Change<Duration> cap = maxTtl(errors, maxTtl);
        Change<List<String>> envs = environments(errors, environments);
        errors.throwIfAny();
        Instant now = clock.instant();
        Role role = new Role(name, description == null ? "" : description, parsed, cap.applyTo(null),
                envs.applyTo(null), now, now);
        return db.inTransaction(c -> {
            if (!roles.insert(c, role)) {
                throw new ConflictException("role '" + name + "' exists already");
            }
            audit.append(c, List.of(AuditEvent.change(now, "role.create", caller.actor(), name,
                    AdminPermissions.ROLES_WRITE.toString(), describe(role))));
            return role;
        });
    }

    /**
     * Replaces a role's permissions and, where given, its description, {@code max_ttl} ({@code none} removes
     * it) and environments ({@code ["*"]} allows all).
     *
     * @throws NotFoundException if there is no such role
     * @throws ConflictException if live tokens hold the role and the change would widen it, or live tokens hold it
     *                           in an environment the change would exclude
     */
    public Role update(Caller caller, String name, String description, List<String> permissions, String maxTtl,
                       List<String> environments) {
        caller.require(AdminPermissions.ROLES_WRITE);
        FieldErrors errors = new FieldErrors();
        List<Permission> parsed = validate(errors, description, permissions);
        Change<Duration> cap = maxTtl(errors, maxTtl);
        Change<List<String>> envs = environments(errors, environments);
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
                    cap.applyTo(old.maxTtl()), envs.applyTo(old.environments()), old.createdAt(), now);
            if (role.environments() != null) {
                List<String> stranded = tokens.liveEnvironmentsHolding(c, name, now).stream()
                        .filter(e -> !role.allowsEnvironment(e)).toList();
                if (!stranded.isEmpty()) {
                    throw new ConflictException("role '" + name + "' is held by live tokens in " + stranded
                            + ", which the new environments " + role.environments() + " exclude; revoke them or "
                            + "let them expire first");
                }
            }
            roles.update(c, role);
            db.publishChange(c, ChangeEvents.roleMessage(name));
            audit.append(c, List.of(AuditEvent.change(now, "role.update", caller.actor(), name,
                    AdminPermissions.ROLES_WRITE.toString(), describe(role))));
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

    /** A field of a role as a request changes it: kept (absent), cleared, or set to a value. */
    private record Change<T>(boolean given, T value) {
        static final Change<?> KEEP = new Change<>(false, null);

        @SuppressWarnings("unchecked")
        static <T> Change<T> keep() {
            return (Change<T>) KEEP;
        }

        T applyTo(T old) {
            return given ? value : old;
        }
    }

    /** The role's {@code max_ttl}: absent keeps it, {@code none} clears it. */
    private static Change<Duration> maxTtl(FieldErrors errors, String text) {
        if (text == null) {
            return Change.keep();
        }
        if (text.equals(NO_CAP)) {
            return new Change<>(true, null);
        }
        try {
            return new Change<>(true, Ttl.parse(text));
        } catch (IllegalArgumentException e) {
            errors.add("max_ttl", e.getMessage() + ", or " + NO_CAP + " for no cap");
            return Change.keep();
        }
    }

    /** The role's environments: absent keeps them, {@code ["*"]} allows all. */
    private static Change<List<String>> environments(FieldErrors errors, List<String> environments) {
        if (environments == null) {
            return Change.keep();
        }
        if (environments.equals(List.of(ALL_ENVIRONMENTS))) {
            return new Change<>(true, null);
        }
        if (environments.isEmpty() || environments.size() > MAX_ENVIRONMENTS) {
            errors.add("environments", "must name 1 to " + MAX_ENVIRONMENTS + " environments, or be [\"*\"] for all");
            return Change.keep();
        }
        for (int i = 0; i < environments.size(); i++) {
            if (ALL_ENVIRONMENTS.equals(environments.get(i))) {
                errors.add("environments[" + i + "]", "\"*\" (all environments) must stand alone");
            } else if (!Environments.isValid(environments.get(i))) {
                errors.add("environments[" + i + "]", "must match [a-z0-9]{1,16}");
            }
        }
        return new Change<>(true, List.copyOf(new LinkedHashSet<>(environments)));
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

    /** A one-line description of a role for the audit log. */
    private static String describe(Role role) {
        return "permissions=" + String.join(",", role.permissions().stream().map(Permission::toString).toList())
                + (role.maxTtl() == null ? "" : " max_ttl=" + Ttl.format(role.maxTtl()))
                + (role.environments() == null ? "" : " environments=" + String.join(",", role.environments()));
    }
}
