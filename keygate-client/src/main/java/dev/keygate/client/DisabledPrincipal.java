package dev.keygate.client;

import java.util.Objects;

/**
 * The answer to {@link KeygateClient#disablePrincipal(String, String)}: the principal and how many tokens the call
 * revoked.
 *
 * @param principal    the principal, {@link Principal#disabled()} true
 * @param revokedCount how many tokens this call revoked: the principal's live tokens and their descendants;
 *                     {@code 0} when it had none (for example because it was disabled already)
 */
public record DisabledPrincipal(Principal principal, int revokedCount) {

    public DisabledPrincipal {
        Objects.requireNonNull(principal, "principal");
    }
}
