package dev.keygate.core.role;

import dev.keygate.core.permission.Permission;
import dev.keygate.core.policy.Grant;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A role: a named, minimal set of grants for one task.
 *
 * @param name         unique, see {@link Names#ROLE}
 * @param description  free text, possibly empty, never {@code null}
 * @param grants       what it allows and denies, in order, without duplicates
 * @param maxTtl       the longest lifetime a token holding this role may have, or {@code null} for no cap
 *                     beyond the server's
 * @param environments the environments tokens holding this role may be minted for, or {@code null} for all
 */
public record Role(String name, String description, List<Grant> grants, Duration maxTtl,
                   List<String> environments, Instant createdAt, Instant updatedAt) {

    public Role {
        grants = List.copyOf(grants);
        environments = environments == null ? null : List.copyOf(environments);
    }

    /** A role of unconditional allows only. */
    public static Role allowing(String name, String description, List<Permission> permissions, Duration maxTtl,
                                List<String> environments, Instant createdAt, Instant updatedAt) {
        return new Role(name, description, permissions.stream().map(Grant::allow).toList(), maxTtl, environments,
                createdAt, updatedAt);
    }

    /** The permissions it allows with no condition: the {@code permissions} shorthand of the API. */
    public List<Permission> permissions() {
        return grants.stream().filter(Grant::unconditionalAllow).map(Grant::permission).toList();
    }

    /** Whether every grant is an unconditional allow, so that {@link #permissions()} says all it does. */
    public boolean simple() {
        return grants.stream().allMatch(Grant::unconditionalAllow);
    }

    /** Whether a token for {@code environment} may hold this role. */
    public boolean allowsEnvironment(String environment) {
        return environments == null || environments.contains(environment);
    }
}
