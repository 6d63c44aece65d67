package dev.keygate.core.permission;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable set of granted permissions, built once per token view and read on every verification.
 * Concrete grants are looked up by their text; wildcard grants are scanned, and there are few of them.
 */
public final class PermissionSet {

    private static final PermissionSet EMPTY = new PermissionSet(List.of());

    private final List<Permission> all;
    private final Set<String> concrete;
    private final Permission[] wildcards;

    private PermissionSet(Collection<Permission> permissions) {
        this.all = List.copyOf(new LinkedHashSet<>(permissions));
        Set<String> exact = new HashSet<>();
        List<Permission> patterns = new ArrayList<>();
        for (Permission p : all) {
            if (p.isWildcard()) {
                patterns.add(p);
            } else {
                exact.add(p.toString());
            }
        }
        this.concrete = Set.copyOf(exact);
        this.wildcards = patterns.toArray(new Permission[0]);
    }

    /** A set of the given permissions; duplicates are dropped and the first order is kept. */
    public static PermissionSet of(Collection<Permission> permissions) {
        return permissions.isEmpty() ? EMPTY : new PermissionSet(permissions);
    }

    public static PermissionSet empty() {
        return EMPTY;
    }

    /**
     * Whether some permission in this set covers {@code requested} (see {@link Permission#covers}). Concrete
     * grants never cover a pattern, so a pattern is only checked against the wildcard grants.
     */
    public boolean covers(Permission requested) {
        if (!requested.isWildcard() && concrete.contains(requested.toString())) {
            return true;
        }
        for (Permission p : wildcards) {
            if (p.covers(requested)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this set covers every permission in {@code requested}. */
    public boolean coversAll(Collection<Permission> requested) {
        for (Permission p : requested) {
            if (!covers(p)) {
                return false;
            }
        }
        return true;
    }

    /** The permissions in this set, without duplicates, in the order they were given. */
    public List<Permission> permissions() {
        return all;
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }

    @Override
    public String toString() {
        return all.toString();
    }
}
