package dev.keygate.client;

import java.time.Instant;
import java.util.List;

/**
 * A role: what a token holding it is allowed and denied.
 *
 * @param name         the role's name, matching {@code [a-z0-9][a-z0-9_-]{0,62}}
 * @param description  the description, {@code ""} when none was given
 * @param permissions  the permissions it allows unconditionally (its allows without a condition), in order; never
 *                     null, empty for a role of denies or conditional allows only
 * @param grants       everything it allows and denies, in order, {@code permissions} included; never null. When the
 *                     server sent none (a server older than grants), the {@code permissions} as allows
 * @param maxTtl       the longest lifetime of a token holding it ({@code 1h}, {@code 7d}), or {@code null} for no cap
 *                     of its own
 * @param environments the environments a token holding it may be for, or {@code null} for every environment
 * @param createdAt    when it was created
 * @param updatedAt    when it was last changed
 */
public record Role(String name, String description, List<String> permissions, List<Grant> grants, String maxTtl,
                   List<String> environments, Instant createdAt, Instant updatedAt) {

    /** The {@code maxTtl} that removes a role's cap when it is updated (on creation, the same as none given). */
    public static final String NO_MAX_TTL = "none";

    /** The {@code environments} that allow every environment: {@code ["*"]}. */
    public static final List<String> ALL_ENVIRONMENTS = List.of("*");

    public Role {
        permissions = permissions == null ? List.of() : List.copyOf(permissions);
        grants = grants == null ? permissions.stream().map(Grant::allow).toList() : List.copyOf(grants);
        // Kept null, not empty: absent from the server's JSON means every environment.
        environments = environments == null ? null : List.copyOf(environments);
    }

    /**
     * A role of unconditional allows only, as roles were before grants: its {@code grants} are its
     * {@code permissions} as allows. Kept so that code written against earlier versions still compiles.
     */
    public Role(String name, String description, List<String> permissions, String maxTtl, List<String> environments,
                Instant createdAt, Instant updatedAt) {
        this(name, description, permissions, null, maxTtl, environments, createdAt, updatedAt);
    }
}
