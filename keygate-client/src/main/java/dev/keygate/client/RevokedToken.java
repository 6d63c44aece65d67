package dev.keygate.client;

import java.util.Objects;

/**
 * The answer to {@link KeygateClient#revokeToken(String, String)}: the token and how many tokens the call revoked.
 *
 * @param token        the token, with status {@code revoked}
 * @param revokedCount how many tokens this call revoked: the token and its descendants (child tokens, their
 *                     children, ...); {@code 0} if all were revoked already
 */
public record RevokedToken(TokenInfo token, int revokedCount) {

    public RevokedToken {
        Objects.requireNonNull(token, "token");
    }
}
