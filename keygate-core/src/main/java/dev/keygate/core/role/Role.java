package dev.keygate.core.role;

import dev.keygate.core.permission.Permission;

import java.time.Instant;
import java.util.List;

/**
 * A role: a named, minimal set of permissions for one task.
 *
 * @param name        unique, see {@link Names#ROLE}
 * @param description free text, possibly empty, never {@code null}
 * @param permissions the permissions it grants, without duplicates
 */
public record Role(String name, String description, List<Permission> permissions, Instant createdAt,
                   Instant updatedAt) {

    public Role {
        permissions = List.copyOf(permissions);
    }
}
