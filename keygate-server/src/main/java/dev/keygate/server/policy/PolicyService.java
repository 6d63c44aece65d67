package dev.keygate.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.core.error.ConflictException;
import dev.keygate.core.error.ValidationException;
import dev.keygate.core.policy.Grant;
import dev.keygate.core.role.Role;
import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.auth.Caller;
import dev.keygate.server.role.RoleService;
import dev.keygate.server.role.RoleStore;
import dev.keygate.server.store.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Policy as code: the roles as one document that a file in version control holds, and the plan and the
 * application of such a file. The file is authoritative for every role but Keygate's built-in
 * {@value AdminPermissions#ADMIN_ROLE}, which it never names and which is never changed: roles it lacks are
 * removed. Each role is checked, and each change refused, exactly as {@link RoleService} checks and refuses it one
 * role at a time; an application is all or nothing, in one transaction.
 */
public final class PolicyService {

    /** The version of the policy file format, the one a file must declare. */
    public static final int FILE_VERSION = 1;

    /** What a change does to a role. */
    public enum Action {
        CREATE, UPDATE, DELETE;

        /** The lower-case name used in the API. */
        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One role the file would change.
     *
     * @param changed    for an update, the fields that differ ({@code description}, {@code grants},
     *                   {@code max_ttl}, {@code environments}); empty for a creation or a deletion
     * @param before     the role as it is, or {@code null} for a creation
     * @param after      the role as it would be, or {@code null} for a deletion
     * @param liveTokens how many live tokens hold the role (and feel the change at their next verification)
     * @param blocked    why applying would be refused, or {@code null} when it would not be
     */
    public record Change(String role, Action action, List<String> changed, Role before, Role after, int liveTokens,
                         String blocked) {
        public Change {
            changed = List.copyOf(changed);
        }
    }

    /**
     * The difference between a file and the store.
     *
     * @param changes   the roles that would change, sorted by name
     * @param unchanged how many roles of the file are as the file says already
     */
    public record Plan(List<Change> changes, int unchanged) {
        public Plan {
            changes = List.copyOf(changes);
        }

        /** The changes that applying would refuse. */
        public List<Change> blocked() {
            return changes.stream().filter(c -> c.blocked() != null).toList();
        }
    }

    private final Database db;
    private final RoleStore roles;
    private final RoleService roleService;
    private final Clock clock;

    public PolicyService(Database db, RoleStore roles, RoleService roleService, Clock clock) {
        this.db = db;
        this.roles = roles;
        this.roleService = roleService;
        this.clock = clock;
    }

    /** Every role a policy file manages (all but the built-in one), sorted by name: what an export writes. */
    public List<Role> export(Caller caller) {
        caller.require(AdminPermissions.ROLES_READ);
        return db.read(roles::list).stream().filter(r -> !r.name().equals(AdminPermissions.ADMIN_ROLE)).toList();
    }

    /**
     * What applying {@code file} would change now; changes nothing.
     *
     * @throws ValidationException naming every problem of the file
     */
    public Plan plan(Caller caller, JsonNode file) {
        caller.require(AdminPermissions.ROLES_READ);
        Instant now = clock.instant();
        Map<String, Role> wanted = PolicyFile.read(file, now);
        return db.read(c -> diff(c, wanted, roles.list(c), now));
    }

    /**
     * Makes the roles what {@code file} says, in one transaction, and returns what changed (nothing when the
     * roles are as the file says already; then nothing is written, not even an audit event). Each change is audited
     * as its single-role call would be. The plan is made again under lock, so it holds what was applied; two
     * applications run one after the other.
     *
     * @throws ValidationException naming every problem of the file
     * @throws ConflictException   listing every change that would be refused; then nothing is changed
     */
    public Plan apply(Caller caller, JsonNode file) {
        caller.require(AdminPermissions.ROLES_WRITE);
        Instant now = clock.instant();
        Map<String, Role> wanted = PolicyFile.read(file, now);
        Plan applied = db.inTransaction(c -> {
            Plan plan = diff(c, wanted, roles.listForChange(c), now);
            List<Change> blocked = plan.blocked();
            if (!blocked.isEmpty()) {
                throw new ConflictException(blocked.size() + " of the " + plan.changes().size()
                        + " change(s) would be refused, so none was applied: " + blocked.stream()
                        .map(b -> b.action().apiName() + " '" + b.role() + "': " + b.blocked())
                        .collect(Collectors.joining(" | ")));
            }
            for (Change change : plan.changes()) {
                switch (change.action()) {
                    case CREATE -> roleService.insert(c, caller, change.after(), now);
                    case UPDATE -> roleService.replace(c, caller, change.after(), now);
                    case DELETE -> roleService.remove(c, caller, change.role(), now);
                }
            }
            return plan;
        });
        for (Change change : applied.changes()) {
            if (change.action() != Action.CREATE) {
                roleService.committed(change.role());
            }
        }
        return applied;
    }

    /** The changes that turn {@code current} into {@code wanted}, with the live tokens each one reaches. */
    private Plan diff(Connection c, Map<String, Role> wanted, List<Role> current, Instant now) throws SQLException {
        Map<String, Role> existing = current.stream()
                .filter(r -> !r.name().equals(AdminPermissions.ADMIN_ROLE))
                .collect(Collectors.toMap(Role::name, Function.identity()));
        TreeSet<String> names = new TreeSet<>(existing.keySet());
        names.addAll(wanted.keySet());
        List<Change> changes = new ArrayList<>();
        int unchanged = 0;
        for (String name : names) {
            Role before = existing.get(name);
            Role want = wanted.get(name);
            if (before == null) {
                changes.add(new Change(name, Action.CREATE, List.of(), null, want, 0, null));
            } else if (want == null) {
                changes.add(new Change(name, Action.DELETE, List.of(), before, null,
                        roleService.liveHolders(c, name, now), roleService.deleteRefusal(c, name, now)));
            } else {
                List<String> changed = changed(before, want);
                if (changed.isEmpty()) {
                    unchanged++;
                    continue;
                }
                Role after = merged(before, want, now);
                changes.add(new Change(name, Action.UPDATE, changed, before, after,
                        roleService.liveHolders(c, name, now), roleService.changeRefusal(c, before, after, now)));
            }
        }
        return new Plan(changes, unchanged);
    }

    /**
     * The fields in which two roles differ. The order of grants and of environments decides nothing, so only
     * their sets are compared.
     */
    static List<String> changed(Role before, Role after) {
        List<String> changed = new ArrayList<>();
        if (!before.description().equals(after.description())) {
            changed.add("description");
        }
        if (!new HashSet<>(before.grants()).equals(new HashSet<>(after.grants()))) {
            changed.add("grants");
        }
        if (!Objects.equals(before.maxTtl(), after.maxTtl())) {
            changed.add("max_ttl");
        }
        if (!sameSet(before.environments(), after.environments())) {
            changed.add("environments");
        }
        return changed;
    }

    /**
     * {@code want} as the stored role becomes: its creation time kept, and the stored order of its grants and
     * environments kept where only the order differs, so that a reordered file changes nothing at all.
     */
    private static Role merged(Role before, Role want, Instant now) {
        List<Grant> grants = new HashSet<>(before.grants()).equals(new HashSet<>(want.grants()))
                ? before.grants() : want.grants();
        List<String> environments = sameSet(before.environments(), want.environments())
                ? before.environments() : want.environments();
        return new Role(want.name(), want.description(), grants, want.maxTtl(), environments, before.createdAt(),
                now);
    }

    private static boolean sameSet(List<String> a, List<String> b) {
        return a == null || b == null ? a == b : new HashSet<>(a).equals(new HashSet<>(b));
    }
}
