package dev.keygate.server.hygiene;

import dev.keygate.core.error.FieldErrors;
import dev.keygate.core.hygiene.LeastPrivilege;
import dev.keygate.core.permission.InvalidPermissionException;
import dev.keygate.core.permission.InvalidQueryException;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.permission.PermissionQuery;
import dev.keygate.core.policy.Effect;
import dev.keygate.core.policy.Grant;
import dev.keygate.core.role.Names;
import dev.keygate.core.role.Role;
import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.auth.Caller;
import dev.keygate.server.role.RoleStore;
import dev.keygate.server.store.Database;
import dev.keygate.server.usage.Granularity;
import dev.keygate.server.usage.UsageStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds the hygiene report of the active tokens ({@code GET /v1/reports/hygiene}): unused and never-used tokens,
 * over-scoped tokens with a least-privilege suggestion, permanent tokens, tokens expiring soon, tokens past their
 * rotation date, and tokens allowed to write from any address. Use is what the usage roll-ups hold (verifications);
 * admin API calls are not verifications, so {@code keygate.*} grants are left out of the over-scope analysis.
 */
public final class HygieneService {

    public static final int DEFAULT_DAYS = 30;
    /** At most the retention of the daily roll-ups: use further back is no longer known. */
    public static final int MAX_DAYS = (int) Granularity.DAY.retention().toDays();
    public static final Duration EXPIRING_WITHIN = Duration.ofDays(7);
    /** The actions that only read: a permission with any other action, or the wildcard action, writes. */
    public static final Set<String> READ_ACTIONS = Set.of("read", "list", "get");
    private static final String NEW_ROLE_SUFFIX = "-least-privilege";

    private final Database db;
    private final HygieneStore tokens;
    private final RoleStore roles;
    private final UsageStore usage;
    private final Clock clock;

    public HygieneService(Database db, HygieneStore tokens, RoleStore roles, UsageStore usage, Clock clock) {
        this.db = db;
        this.tokens = tokens;
        this.roles = roles;
        this.usage = usage;
        this.clock = clock;
    }

    /**
     * The report.
     *
     * @param daysText N as the query string gave it (a whole number from 1 to {@value #MAX_DAYS}), or {@code null}
     *                 for {@value #DEFAULT_DAYS}
     * @throws dev.keygate.core.error.ForbiddenException  without {@code keygate.reports:read}
     * @throws dev.keygate.core.error.ValidationException on {@code days} when it is not such a number
     */
    public HygieneReport report(Caller caller, String daysText) {
        caller.require(AdminPermissions.REPORTS_READ);
        FieldErrors errors = new FieldErrors();
        int days = errors.wholeNumber("days", daysText, 1, MAX_DAYS, DEFAULT_DAYS);
        errors.throwIfAny();
        Instant now = clock.instant();
        Instant usageSince = Granularity.DAY.bucketStart(now).minus(Duration.ofDays(days));
        Snapshot s = db.read(c -> new Snapshot(tokens.activeTokens(c, now), tokens.predecessors(c, now),
                roles.list(c), usage.allowedPermissionsSince(c, usageSince.toEpochMilli())));
        return new Builder(s, now, days, usageSince).build();
    }

    private record RoleQuestion(List<Permission> needed, List<Permission> held, String environment) {
    }

    /** Everything the report is made of, read at once. */
    private record Snapshot(List<HygieneStore.ActiveToken> tokens, Map<String, List<HygieneStore.Predecessor>> lines,
                            List<Role> roles, Map<String, Set<String>> used) {
    }

    /** One report in the making. */
    private static final class Builder {
        private final Snapshot s;
        private final Instant now;
        private final int days;
        private final Instant usageSince;
        private final Map<String, Role> rolesByName;
        /** Tokens minted alike ask the same question: each is answered once per report. */
        private final Map<RoleQuestion, Optional<LeastPrivilege.RoleMatch>> roleAnswers = new HashMap<>();

        Builder(Snapshot s, Instant now, int days, Instant usageSince) {
            this.s = s;
            this.now = now;
            this.days = days;
            this.usageSince = usageSince;
            this.rolesByName = s.roles().stream().collect(Collectors.toMap(Role::name, Function.identity()));
        }

        HygieneReport build() {
            Instant unusedBefore = now.minus(Duration.ofDays(days));
            List<HygieneReport.TokenSummary> unused = new ArrayList<>();
            List<HygieneReport.TokenSummary> neverUsed = new ArrayList<>();
            List<HygieneReport.OverScoped> overScoped = new ArrayList<>();
            List<HygieneReport.NotEnoughHistory> young = new ArrayList<>();
            List<HygieneReport.TokenSummary> permanent = new ArrayList<>();
            List<HygieneReport.TokenSummary> expiring = new ArrayList<>();
            List<HygieneReport.TokenSummary> overdue = new ArrayList<>();
            List<HygieneReport.Writable> writable = new ArrayList<>();
            for (HygieneStore.ActiveToken t : s.tokens()) {
                HygieneReport.TokenSummary summary = new HygieneReport.TokenSummary(t.id(), t.principal(), t.name(),
                        t.roles(), t.environment(), t.createdAt(), t.expiresAt(), t.lastUsedAt(), t.rotationDueAt());
                if (t.lastUsedAt() == null) {
                    neverUsed.add(summary);
                } else if (t.lastUsedAt().isBefore(unusedBefore)) {
                    unused.add(summary);
                }
                if (t.expiresAt() == null) {
                    permanent.add(summary);
                } else if (!t.expiresAt().isAfter(now.plus(EXPIRING_WITHIN))) {
                    expiring.add(summary);
                }
                if (!t.rotated() && t.rotationDueAt() != null && !t.rotationDueAt().isAfter(now)) {
                    overdue.add(summary);
                }
                List<Permission> held = allows(t);
                List<String> writes = held.stream().filter(p -> !READ_ACTIONS.contains(p.action()))
                        .map(Permission::toString).sorted().toList();
                if (!t.ipBound() && !writes.isEmpty()) {
                    writable.add(new HygieneReport.Writable(summary, writes));
                }
                scope(t, summary, held, overScoped, young);
            }
            unused.sort(Comparator.comparing(HygieneReport.TokenSummary::lastUsedAt));
            expiring.sort(Comparator.comparing(HygieneReport.TokenSummary::expiresAt));
            overdue.sort(Comparator.comparing(HygieneReport.TokenSummary::rotationDueAt));
            return new HygieneReport(now, days, usageSince, s.tokens().size(), unused, neverUsed, overScoped, young,
                    permanent, expiring, overdue, writable);
        }

        /** Adds the token to the over-scoped, or to the not-enough-history, section if it holds more than it used. */
        private void scope(HygieneStore.ActiveToken t, HygieneReport.TokenSummary summary, List<Permission> held,
                           List<HygieneReport.OverScoped> overScoped, List<HygieneReport.NotEnoughHistory> young) {
            // Admin API calls are not verifications: what keygate.* grants are used for is not known here.
            List<Permission> granted = held.stream().filter(p -> !guardsKeygate(p)).toList();
            if (granted.isEmpty()) {
                return;
            }
            List<HygieneStore.Predecessor> line = s.lines().getOrDefault(t.id(), List.of());
            Instant historySince = line.stream().map(HygieneStore.Predecessor::createdAt)
                    .min(Comparator.naturalOrder()).filter(p -> p.isBefore(t.createdAt())).orElse(t.createdAt());
            Set<String> usedTexts = new LinkedHashSet<>(s.used().getOrDefault(t.id(), Set.of()));
            line.forEach(p -> usedTexts.addAll(s.used().getOrDefault(p.id(), Set.of())));
            LeastPrivilege.Analysis a = LeastPrivilege.analyse(granted, permissionsUsed(usedTexts, granted));
            if (!a.overScoped()) {
                return;
            }
            if (historySince.isAfter(now.minus(Duration.ofDays(days)))) {
                young.add(new HygieneReport.NotEnoughHistory(summary, historySince));
                return;
            }
            overScoped.add(new HygieneReport.OverScoped(summary, historySince, texts(a.exercised()),
                    texts(a.unexercised()), a.broader().stream()
                    .map(b -> new HygieneReport.Broader(b.grant().toString(), texts(b.used()))).toList(),
                    suggestion(t, a.exercised(), held)));
        }

        private HygieneReport.Suggestion suggestion(HygieneStore.ActiveToken t, List<Permission> needed,
                                                    List<Permission> held) {
            if (needed.isEmpty()) {
                return new HygieneReport.Suggestion(List.of(), null, null, null, true);
            }
            Optional<LeastPrivilege.RoleMatch> match = roleAnswers.computeIfAbsent(
                    new RoleQuestion(needed, held, t.environment()),
                    q -> LeastPrivilege.narrowestRole(s.roles(), q.needed(), q.held(), q.environment()));
            boolean exact = match.map(LeastPrivilege.RoleMatch::exact).orElse(false);
            return new HygieneReport.Suggestion(texts(needed), match.map(LeastPrivilege.RoleMatch::role).orElse(null),
                    match.map(LeastPrivilege.RoleMatch::exact).orElse(null),
                    exact ? null : new HygieneReport.NewRole(newRoleName(t.principal()), texts(needed)), false);
        }

        /** Every permission the token's roles allow, with a condition or not, without duplicates. */
        private List<Permission> allows(HygieneStore.ActiveToken t) {
            Set<Permission> allows = new LinkedHashSet<>();
            for (String name : t.roles()) {
                Role role = rolesByName.get(name);
                if (role == null) {
                    continue; // live tokens keep their roles from being deleted; a read racing a change may miss one
                }
                for (Grant g : role.grants()) {
                    if (g.effect() == Effect.ALLOW) {
                        allows.add(g.permission());
                    }
                }
            }
            return List.copyOf(allows);
        }

        /** {@code <principal>-least-privilege}, made a valid role name that no role has yet. */
        private String newRoleName(String principal) {
            String base = principal.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
            int room = 63 - NEW_ROLE_SUFFIX.length() - 4; // room for a "-NNN" to make it unique
            base = (base.length() > room ? base.substring(0, room) : base) + NEW_ROLE_SUFFIX;
            String name = base;
            for (int i = 2; rolesByName.containsKey(name) && i < 1000; i++) {
                name = base + "-" + i;
            }
            return Names.isValidRole(name) ? name : "least-privilege";
        }
    }

    /**
     * The permissions used, from the texts asked in allowed verifications: a permission as it is; of an allowed
     * query, the permissions it names that the token is granted (which of them decided is not recorded).
     */
    static List<Permission> permissionsUsed(Collection<String> texts, List<Permission> granted) {
        Set<Permission> used = new LinkedHashSet<>();
        for (String text : texts) {
            try {
                if (PermissionQuery.isQuery(text)) {
                    PermissionQuery.parse(text).permissions().stream()
                            .filter(p -> granted.stream().anyMatch(g -> g.covers(p)))
                            .forEach(used::add);
                } else {
                    used.add(Permission.parse(text));
                }
            } catch (InvalidPermissionException | InvalidQueryException e) {
                // Verify refuses malformed permissions before any event is written; nothing to count.
            }
        }
        return List.copyOf(used);
    }

    /** Whether a permission is in Keygate's own namespace ({@code keygate.*}). */
    static boolean guardsKeygate(Permission p) {
        String resource = p.resource();
        return resource.equals("keygate") || resource.startsWith("keygate.");
    }

    private static List<String> texts(Collection<Permission> permissions) {
        return permissions.stream().map(Permission::toString).toList();
    }
}
