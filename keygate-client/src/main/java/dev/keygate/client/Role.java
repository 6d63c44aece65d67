package dev.keygate.client;

import java.time.Instant;
import java.util.List;

/**
 * A named set of permissions.
 *
 * @param name         the role's name, matching {@code [a-z0-9][a-z0-9_-]{0,62}}
 * @param description  the description, {@code ""} when none was given
 * @param permissions  the permissions it grants, in the order given; never null
 * @param maxTtl       the longest lifetime of a token holding it, such as {@code 1h}, or {@code null} for none
 * @param environments the environments a token holding it may be for, or {@code null} for all
 * @param createdAt    when it was created
 * @param updatedAt    when it was last changed
 */
public record Role(String name, String description, List<String> permissions, String maxTtl,
                   List<String> environments, Instant createdAt, Instant updatedAt) {

    /** The {@code maxTtl} that removes a role's cap when it is updated (on creation, the same as none given). */
    public static final String NO_MAX_TTL = "none";

    /** The {@code environments} that allow every environment: {@code ["*"]}. */
    public static final List<String> ALL_ENVIRONMENTS = List.of("*");

    public Role {
        permissions = permissions == null ? List.of() : List.copyOf(permissions);
        // Kept null, not empty: absent from the server's JSON means every environment.
        environments = environments == null ? null : List.copyOf(environments);
    }
}
