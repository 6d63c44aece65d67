package dev.keygate.server.role;

import java.util.List;

/**
 * A role as a request gives it. {@code permissions} is the shorthand for unconditional allows; {@code grants} are
 * the full form. On a change, a field left {@code null} keeps its value, and giving either {@code permissions} or
 * {@code grants} replaces all of the role's grants.
 *
 * @param maxTtl       a duration, or {@code none} to remove the cap
 * @param environments the environments, or {@code ["*"]} for all
 */
public record RoleRequest(String name, String description, List<String> permissions, List<GrantRequest> grants,
                          String maxTtl, List<String> environments) {

    /**
     * One grant as a request gives it.
     *
     * @param effect    {@code allow} or {@code deny}
     * @param condition a CEL expression, or {@code null}
     */
    public record GrantRequest(String permission, String effect, String condition) {
    }

    /** Whether the request says what the role grants (else a change keeps the role's grants). */
    boolean givesGrants() {
        return permissions != null || grants != null;
    }
}
