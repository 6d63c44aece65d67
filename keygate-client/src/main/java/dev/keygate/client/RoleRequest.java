package dev.keygate.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A role to create ({@link KeygateClient#createRole(RoleRequest)}) or the changes to make to one
 * ({@link KeygateClient#updateRole(String, RoleRequest)}); build one with {@link #builder()}. A field left
 * {@code null} is not sent: on creation the server's default applies, on an update the role keeps its value. The
 * server checks every field and answers a 400 naming each bad one.
 *
 * <p>What the role grants is given by {@code permissions}, the shorthand for unconditional allows, and
 * {@code grants}, the full form (allows and denies, each with an optional condition); the role holds the
 * permissions first, then the grants. Giving either on an update replaces all of the role's grants; giving neither
 * keeps them.
 *
 * @param name         the role's name, matching {@code [a-z0-9][a-z0-9_-]{0,62}}: required to create a role, and
 *                     not sent on an update (a role cannot be renamed)
 * @param description  at most 1000 characters ({@code ""} clears it on an update), or {@code null}
 * @param permissions  permissions to allow unconditionally ({@code billing.invoices:read}), or {@code null}
 * @param grants       allows and denies, in order, or {@code null}; a role holds at most 100 permissions and grants
 *                     together
 * @param maxTtl       the longest lifetime of a token holding the role ({@code 30m}, {@code 24h}, {@code 7d}), on
 *                     an update {@link Role#NO_MAX_TTL} to remove the cap, or {@code null}
 * @param environments 1 to 20 environments a token holding the role may be for, {@link Role#ALL_ENVIRONMENTS}, or
 *                     {@code null}
 */
public record RoleRequest(String name, String description, List<String> permissions, List<Grant> grants,
                          String maxTtl, List<String> environments) {

    public RoleRequest {
        permissions = permissions == null ? null : List.copyOf(permissions);
        grants = grants == null ? null : List.copyOf(grants);
        environments = environments == null ? null : List.copyOf(environments);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RoleRequest}; every field starts unset ({@code null}). */
    public static final class Builder {
        private String name;
        private String description;
        private List<String> permissions;
        private List<Grant> grants;
        private String maxTtl;
        private List<String> environments;

        private Builder() {
        }

        /** The role's name; required by {@link KeygateClient#createRole(RoleRequest)}. */
        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder description(String value) {
            this.description = value;
            return this;
        }

        /** Adds one permission the role allows unconditionally. */
        public Builder permission(String value) {
            Objects.requireNonNull(value, "permission");
            if (permissions == null) {
                permissions = new ArrayList<>();
            }
            permissions.add(value);
            return this;
        }

        /**
         * Replaces the permissions; {@code null} for none given (an update given neither permissions nor grants keeps
         * the role's grants).
         */
        public Builder permissions(List<String> values) {
            this.permissions = values == null ? null : new ArrayList<>(values);
            return this;
        }

        /** Adds one grant, such as {@code Grant.deny("billing.refunds:write")}. */
        public Builder grant(Grant value) {
            Objects.requireNonNull(value, "grant");
            if (grants == null) {
                grants = new ArrayList<>();
            }
            grants.add(value);
            return this;
        }

        /** Replaces the grants; {@code null} for none given. */
        public Builder grants(List<Grant> values) {
            this.grants = values == null ? null : new ArrayList<>(values);
            return this;
        }

        /**
         * The longest lifetime of a token holding the role, as the server reads it ({@code 30m}, {@code 24h},
         * {@code 7d}); on an update, {@link Role#NO_MAX_TTL} removes the cap.
         */
        public Builder maxTtl(String value) {
            this.maxTtl = value;
            return this;
        }

        /** The environments a token holding the role may be for; {@link Role#ALL_ENVIRONMENTS} for all. */
        public Builder environments(List<String> values) {
            this.environments = values == null ? null : new ArrayList<>(values);
            return this;
        }

        public RoleRequest build() {
            return new RoleRequest(name, description, permissions, grants, maxTtl, environments);
        }
    }
}
