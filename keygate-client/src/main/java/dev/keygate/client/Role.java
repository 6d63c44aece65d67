package dev.keygate.client;

import java.time.Instant;
import java.util.List;

/**
 * A named set of permissions.
 *
 * @param name        the role's name, matching {@code [a-z0-9][a-z0-9_-]{0,62}}
 * @param description the description, {@code ""} when none was given
 * @param permissions the permissions it grants, in the order given; never null
 * @param maxTtl      the longest lifetime of a token holding it, such as {@code 1h}, or {@code null} for none
 * @param createdAt   when it was created
 * @param updatedAt   when it was last changed
 */
public record Role(String name, String description, List<String> permissions, String maxTtl, Instant createdAt,
                   Instant updatedAt) {

    public Role {
        permissions = permissions == null ? List.of() : List.copyOf(permissions);
    }
}
