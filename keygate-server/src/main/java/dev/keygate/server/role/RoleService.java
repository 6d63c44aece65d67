package dev.keygate.server.role;

import dev.keygate.core.error.ConflictException;
import dev.keygate.core.error.FieldErrors;
import dev.keygate.core.error.NotFoundException;
import dev.keygate.core.permission.InvalidPermissionException;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.policy.Conditions;
import dev.keygate.core.policy.Effect;
import dev.keygate.core.policy.Grant;
import dev.keygate.core.policy.InvalidConditionException;
import dev.keygate.core.policy.Policy;
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

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Creates, changes and deletes roles. Each change and its audit event share one transaction. A role held by
 * live tokens cannot be deleted, nor widened: widening it would silently widen every token holding it, which
 * is how a role writer could escalate its own token.
 */
public final class RoleService {

    /** The most permissions and grants one role may hold together. */
    public static final int MAX_GRANTS = 100;
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
    public Role create(Caller caller, RoleRequest request) {
        caller.require(AdminPermissions.ROLES_WRITE);
        Instant now = clock.instant();
        Role role = validate(request, true).create(now);
        return db.inTransaction(c -> {
            insert(c, caller, role, now);
            return role;
        });
    }

    /**
     * Inserts a role and its {@code role.create} event, in the caller's transaction.
     *
     * @throws ConflictException if the role exists
     */
    public void insert(Connection c, Caller caller, Role role, Instant now) throws SQLException {
        if (!roles.insert(c, role)) {
            throw new ConflictException("role '" + role.name() + "' exists already");
        }
        audit.append(c, List.of(AuditEvent.change(now, "role.create", caller.actor(), role.name(),
                AdminPermissions.ROLES_WRITE.toString(), describe(role))));
    }

    /**
     * Changes a role: its grants when {@code permissions} or {@code grants} is given (they replace all of them),
     * and where given its description, {@code max_ttl} ({@code none} removes it) and environments ({@code ["*"]}
     * allows all). The name in {@code request} is ignored.
     *
     * @throws NotFoundException if there is no such role
     * @throws ConflictException if live tokens hold the role and the change would widen it, or live tokens hold it
     *                           in an environment the change would exclude
     */
    public Role update(Caller caller, String name, RoleRequest request) {
        caller.require(AdminPermissions.ROLES_WRITE);
        Instant now = clock.instant();
        Draft draft = validate(request, false);
        Role updated = db.inTransaction(c -> {
            Role old = roles.findForChange(c, name).orElseThrow(() -> new NotFoundException("role", name));
            Role role = draft.change(old, now);
            checkChange(c, old, role, now);
            replace(c, caller, role, now);
            return role;
        });
        committed(name);
        return updated;
    }

    /**
     * Stores the new state of an existing role, tells the other nodes (on commit) and records its
     * {@code role.update} event, in the caller's transaction; checks nothing. Call {@link #committed} after the
     * commit.
     */
    public void replace(Connection c, Caller caller, Role role, Instant now) throws SQLException {
        roles.update(c, role);
        db.publishChange(c, ChangeEvents.roleMessage(role.name()));
        audit.append(c, List.of(AuditEvent.change(now, "role.update", caller.actor(), role.name(),
                AdminPermissions.ROLES_WRITE.toString(), describe(role))));
    }

    /**
     * Deletes a role, tells the other nodes (on commit) and records its {@code role.delete} event, in the caller's
     * transaction; checks nothing. Call {@link #committed} after the commit.
     */
    public void remove(Connection c, Caller caller, String name, Instant now) throws SQLException {
        roles.delete(c, name);
        db.publishChange(c, ChangeEvents.roleMessage(name));
        audit.append(c, List.of(AuditEvent.change(now, "role.delete", caller.actor(), name,
                AdminPermissions.ROLES_WRITE.toString(), null)));
    }

    /** Drops this node's cached views of tokens holding the role, once the change to it is committed. */
    public void committed(String name) {
        changes.roleChanged(name);
    }

    /**
     * A validated request.
     *
     * @param grants {@code null} when the request keeps the role's grants
     */
    public record Draft(String name, String description, List<Grant> grants, Change<Duration> maxTtl,
                        Change<List<String>> environments) {

        /** The new role this request describes, with the defaults for the fields it leaves out. */
        public Role create(Instant now) {
            return new Role(name, description == null ? "" : description, grants, maxTtl.applyTo(null),
                    environments.applyTo(null), now, now);
        }

        Role change(Role old, Instant now) {
            return new Role(old.name(), description == null ? old.description() : description,
                    grants == null ? old.grants() : grants, maxTtl.applyTo(old.maxTtl()),
                    environments.applyTo(old.environments()), old.createdAt(), now);
        }
    }

    /**
     * Checks every field of {@code request}: for a new role ({@code create}) the name and the grants are required.
     *
     * @throws dev.keygate.core.error.ValidationException naming every invalid field
     */
    public static Draft validate(RoleRequest request, boolean create) {
        FieldErrors errors = new FieldErrors();
        if (create && errors.required("name", request.name()) && !Names.isValidRole(request.name())) {
            errors.add("name", Names.ROLE_RULE);
        }
        errors.maxLength("description", request.description(), MAX_DESCRIPTION);
        List<Grant> grants = create || request.givesGrants() ? grants(errors, request) : null;
        Change<Duration> cap = maxTtl(errors, request.maxTtl());
        Change<List<String>> envs = environments(errors, request.environments());
        errors.throwIfAny();
        return new Draft(request.name(), request.description(), grants, cap, envs);
    }

    /**
     * Refuses a change that live tokens holding the role would feel as more access, or that would strand them in
     * an environment the role no longer allows.
     *
     * @throws ConflictException saying which
     */
    void checkChange(Connection c, Role old, Role role, Instant now) throws SQLException {
        String refusal = changeRefusal(c, old, role, now);
        if (refusal != null) {
            throw new ConflictException(refusal);
        }
    }

    /**
     * Why changing {@code old} into {@code role} must be refused now (live tokens holding it would be widened, or
     * stranded in an environment it no longer allows), or {@code null} when it may be changed.
     */
    public String changeRefusal(Connection c, Role old, Role role, Instant now) throws SQLException {
        List<String> wider = Policy.widening(old.grants(), role.grants());
        if (!wider.isEmpty()) {
            int live = tokens.countLiveHolding(c, role.name(), now);
            if (live > 0) {
                return "role '" + role.name() + "' is held by " + live + " live token(s); the "
                        + "change would widen them (" + String.join("; ", wider) + "). Create a new role for the "
                        + "wider access instead";
            }
        }
        if (role.environments() != null) {
            List<String> stranded = tokens.liveEnvironmentsHolding(c, role.name(), now).stream()
                    .filter(e -> !role.allowsEnvironment(e)).toList();
            if (!stranded.isEmpty()) {
                return "role '" + role.name() + "' is held by live tokens in " + stranded
                        + ", which the new environments " + role.environments() + " exclude; revoke them or "
                        + "let them expire first";
            }
        }
        return null;
    }

    /** Why the role {@code name} cannot be deleted now (live tokens hold it), or {@code null} when it can. */
    public String deleteRefusal(Connection c, String name, Instant now) throws SQLException {
        int live = tokens.countLiveHolding(c, name, now);
        return live == 0 ? null : "role '" + name + "' is held by " + live
                + " live token(s); revoke them or let them expire first";
    }

    /** How many live tokens (neither revoked, nor rotated out, nor expired) hold the role {@code name}. */
    public int liveHolders(Connection c, String name, Instant now) throws SQLException {
        return tokens.countLiveHolding(c, name, now);
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
            String refusal = deleteRefusal(c, name, now);
            if (refusal != null) {
                throw new ConflictException(refusal);
            }
            remove(c, caller, name, now);
            return null;
        });
        committed(name);
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
    record Change<T>(boolean given, T value) {
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

    /** The grants {@code request} gives: its {@code permissions} as unconditional allows, then its grants. */
    private static List<Grant> grants(FieldErrors errors, RoleRequest request) {
        List<String> permissions = request.permissions() == null ? List.of() : request.permissions();
        List<RoleRequest.GrantRequest> given = request.grants() == null ? List.of() : request.grants();
        if (permissions.isEmpty() && given.isEmpty()) {
            errors.add(request.grants() != null ? "grants" : "permissions",
                    "must hold at least one permission or grant");
            return List.of();
        }
        if (permissions.size() + given.size() > MAX_GRANTS) {
            errors.add("grants", "a role holds at most " + MAX_GRANTS + " permissions and grants together");
            return List.of();
        }
        Set<Grant> grants = new LinkedHashSet<>();
        for (int i = 0; i < permissions.size(); i++) {
            Permission p = permission(errors, "permissions[" + i + "]", permissions.get(i));
            if (p != null) {
                grants.add(Grant.allow(p));
            }
        }
        for (int i = 0; i < given.size(); i++) {
            String field = "grants[" + i + "]";
            RoleRequest.GrantRequest g = given.get(i);
            if (g == null) {
                errors.add(field, "must be an object");
                continue;
            }
            Permission p = errors.required(field + ".permission", g.permission())
                    ? permission(errors, field + ".permission", g.permission()) : null;
            Effect effect = null;
            if (errors.required(field + ".effect", g.effect())) {
                try {
                    effect = Effect.parse(g.effect());
                } catch (IllegalArgumentException e) {
                    errors.add(field + ".effect", e.getMessage());
                }
            }
            boolean conditionOk = g.condition() == null || condition(errors, field + ".condition", g.condition());
            if (p != null && effect != null && conditionOk) {
                grants.add(new Grant(p, effect, g.condition()));
            }
        }
        return List.copyOf(grants);
    }

    private static Permission permission(FieldErrors errors, String field, String text) {
        try {
            return Permission.parse(text);
        } catch (InvalidPermissionException e) {
            errors.add(field, e.getMessage());
            return null;
        }
    }

    /** Compiles a condition to check it; the error names the expression, the position and the problem. */
    private static boolean condition(FieldErrors errors, String field, String source) {
        try {
            Conditions.compile(source);
            return true;
        } catch (InvalidConditionException e) {
            errors.add(field, "'" + source + "' " + e.getMessage());
            return false;
        }
    }

    /** A one-line description of a role for the audit log. */
    private static String describe(Role role) {
        return (role.simple() ? "permissions=" + String.join(",", role.permissions().stream().map(Permission::toString)
                .toList()) : "grants=" + String.join("; ", role.grants().stream().map(Grant::toString).toList()))
                + (role.maxTtl() == null ? "" : " max_ttl=" + Ttl.format(role.maxTtl()))
                + (role.environments() == null ? "" : " environments=" + String.join(",", role.environments()));
    }
}
