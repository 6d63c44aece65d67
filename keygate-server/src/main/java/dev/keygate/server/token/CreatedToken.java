package dev.keygate.server.token;

import dev.keygate.core.token.Token;

/** A freshly minted token and its secret, which exists only in this object and the one response that carries it. */
public record CreatedToken(Token token, String secret) {

    @Override
    public String toString() {
        return "CreatedToken[" + token.id() + ", secret=<redacted>]";
    }
}
