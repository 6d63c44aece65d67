package dev.keygate.core.hygiene;

import dev.keygate.core.permission.Permission;
import dev.keygate.core.policy.Effect;
import dev.keygate.core.policy.Grant;
import dev.keygate.core.role.Role;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Least-privilege analysis of one token, as cloud IAM access analyzers do it: which of the permissions it is granted
 * it has not exercised, which wildcard grants are broader than what it used, the narrowest set of permissions that
 * covers what it used, and an existing role that grants that set exactly, or most narrowly. Pure and stateless.
 */
public final class LeastPrivilege {

    private static final Comparator<Permission> BY_TEXT = Comparator.comparing(Permission::toString);

    private LeastPrivilege() {
    }

    /**
     * A wildcard grant that covers permissions the token used without being used as such itself.
     *
     * @param used the permissions it covers that were used, minimal and sorted
     */
    public record Broader(Permission grant, List<Permission> used) {
    }

    /**
     * How a token's grants compare with its use.
     *
     * @param exercised   the permissions used that some grant covers, minimal (none covered by another) and sorted:
     *                    the least-privilege set
     * @param unexercised the grants that cover nothing used, sorted
     * @param broader     the wildcard grants that cover what was used but more besides, sorted by grant
     */
    public record Analysis(List<Permission> exercised, List<Permission> unexercised, List<Broader> broader) {

        /** Whether the token holds more than it used: an unexercised grant or a wildcard broader than its use. */
        public boolean overScoped() {
            return !unexercised.isEmpty() || !broader.isEmpty();
        }
    }

    /**
     * Compares what a token is granted with what it used.
     *
     * @param granted the permissions (patterns) its roles allow
     * @param used    the permissions asked in its allowed verifications; those no grant covers (a grant since
     *                removed) are left out of the analysis, so that a suggestion never widens the token
     */
    public static Analysis analyse(Collection<Permission> granted, Collection<Permission> used) {
        Set<Permission> grants = new LinkedHashSet<>(granted);
        List<Permission> covered = used.stream().distinct()
                .filter(u -> grants.stream().anyMatch(g -> g.covers(u)))
                .toList();
        List<Permission> unexercised = new ArrayList<>();
        List<Broader> broader = new ArrayList<>();
        for (Permission g : grants) {
            List<Permission> usedUnder = covered.stream().filter(g::covers).toList();
            if (usedUnder.isEmpty()) {
                unexercised.add(g);
            } else if (g.isWildcard() && !usedUnder.contains(g)) {
                broader.add(new Broader(g, minimal(usedUnder)));
            }
        }
        unexercised.sort(BY_TEXT);
        broader.sort(Comparator.comparing(b -> b.grant().toString()));
        return new Analysis(minimal(covered), List.copyOf(unexercised), List.copyOf(broader));
    }

    /** The permissions without those another of them covers, without duplicates, sorted by text. */
    public static List<Permission> minimal(Collection<Permission> permissions) {
        Set<Permission> distinct = new LinkedHashSet<>(permissions);
        return distinct.stream()
                .filter(p -> distinct.stream().noneMatch(q -> !q.equals(p) && q.covers(p)))
                .sorted(BY_TEXT)
                .toList();
    }

    /**
     * An existing role the token could hold instead of its roles.
     *
     * @param exact whether the role allows exactly the permissions needed, nothing more
     */
    public record RoleMatch(String role, boolean exact) {
    }

    /**
     * The role that grants {@code needed} most narrowly, among the roles that
     * <ul>
     *   <li>a token in {@code environment} may hold;</li>
     *   <li>grant every permission needed with an unconditional allow, and deny none of them (any deny that
     *       overlaps one rules the role out, whatever its condition: a suggestion fails closed);</li>
     *   <li>are within what the token holds (each of their allows is covered by an allow in {@code held}), and
     *       narrower than it (some allow of {@code held} is covered by none of theirs): a suggestion never widens
     *       a token, nor leaves it as it is.</li>
     * </ul>
     * An exact role (its allows are exactly {@code needed}) comes first; then the fewest allows beyond those needed,
     * the fewest wildcards, the fewest grants, and the name.
     *
     * @param needed the least-privilege set ({@link Analysis#exercised()}); empty gives no role
     * @param held   every permission the token's roles allow, conditions or not
     * @return the role, or empty when no role qualifies
     */
    public static Optional<RoleMatch> narrowestRole(Collection<Role> roles, List<Permission> needed,
                                                    Collection<Permission> held, String environment) {
        if (needed.isEmpty()) {
            return Optional.empty();
        }
        Set<String> neededText = needed.stream().map(Permission::toString).collect(Collectors.toSet());
        return roles.stream()
                .filter(r -> r.allowsEnvironment(environment))
                .filter(r -> grantsAll(r, needed))
                .filter(r -> withinAndNarrower(allows(r), held))
                .map(r -> new Candidate(r, allows(r), neededText))
                .min(Comparator.comparing((Candidate c) -> !c.exact())
                        .thenComparingLong(Candidate::excess)
                        .thenComparingLong(Candidate::wildcards)
                        .thenComparingInt(c -> c.role().grants().size())
                        .thenComparing(c -> c.role().name()))
                .map(c -> new RoleMatch(c.role().name(), c.exact()));
    }

    private static boolean grantsAll(Role r, List<Permission> needed) {
        List<Permission> unconditional = r.permissions();
        for (Permission n : needed) {
            if (unconditional.stream().noneMatch(a -> a.covers(n))) {
                return false;
            }
            for (Grant g : r.grants()) {
                if (g.effect() == Effect.DENY && g.permission().overlaps(n)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean withinAndNarrower(List<Permission> allows, Collection<Permission> held) {
        if (!allows.stream().allMatch(a -> held.stream().anyMatch(h -> h.covers(a)))) {
            return false;
        }
        return held.stream().anyMatch(h -> allows.stream().noneMatch(a -> a.covers(h)));
    }

    /** Every permission the role allows, with a condition or not. */
    private static List<Permission> allows(Role r) {
        return r.grants().stream().filter(g -> g.effect() == Effect.ALLOW).map(Grant::permission).distinct()
                .toList();
    }

    private record Candidate(Role role, List<Permission> allows, Set<String> needed) {

        boolean exact() {
            return new TreeSet<>(allows.stream().map(Permission::toString).toList()).equals(new TreeSet<>(needed));
        }

        /** Allows beyond the permissions needed. */
        long excess() {
            return allows.stream().filter(a -> !needed.contains(a.toString())).count();
        }

        long wildcards() {
            return allows.stream().filter(Permission::isWildcard).count();
        }
    }
}
