package dev.keygate.core.role;

import dev.keygate.core.permission.Permission;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A role: a named, minimal set of permissions for one task.
 *
 * @param name        unique, see {@link Names#ROLE}
 * @param description free text, possibly empty, never {@code null}
 * @param permissions the permissions it grants, without duplicates
 * @param maxTtl      the longest lifetime a token holding this role may have, or {@code null} for no cap
 *                    beyond the server's
 * @param environments the environments tokens holding this role may be minted for, or {@code null} for all
 */
public record Role(String name, String description, List<Permission> permissions, Duration maxTtl,
                   List<String> environments, Instant createdAt, Instant updatedAt) {

    public Role {
        permissions = List.copyOf(permissions);
        environments = environments == null ? null : List.copyOf(environments);
    }

    /** Whether a token for {@code environment} may hold this role. */
    public boolean allowsEnvironment(String environment) {
        return environments == null || environments.contains(environment);
    }
}
