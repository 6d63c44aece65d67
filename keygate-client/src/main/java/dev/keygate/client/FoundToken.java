package dev.keygate.client;

import java.util.Objects;

/**
 * A token found by {@link KeygateClient#lookupTokens}: the hash it was asked for by, and the token.
 *
 * @param hash  the SHA-256 of the token's secret, as 64 lower-case hex digits (see {@link KeygateClient#hashToken})
 * @param token the token; never holds the secret
 */
public record FoundToken(String hash, TokenInfo token) {

    public FoundToken {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(token, "token");
    }
}
