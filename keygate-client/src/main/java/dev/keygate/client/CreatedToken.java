package dev.keygate.client;

import java.util.Objects;

/**
 * A token just created: its description and its secret. The secret is returned once, by
 * {@link KeygateClient#createToken(CreateTokenRequest)}, and cannot be read again; the server keeps only its hash.
 *
 * <p>{@link #toString()} leaves the secret out, so that logging this object does not leak it.
 *
 * @param token  the token's description
 * @param secret the token itself, {@code kg_<environment>_<secret>}: show it once, never log it
 */
public record CreatedToken(TokenInfo token, String secret) {

    public CreatedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(secret, "secret");
    }

    /** The new token's id, for example {@code tok_4Jd8...}; shorthand for {@code token().id()}. */
    public String id() {
        return token.id();
    }

    /** Describes the token; the secret is shown as {@code ***}. */
    @Override
    public String toString() {
        return "CreatedToken[token=" + token + ", secret=***]";
    }
}
