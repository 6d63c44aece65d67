package dev.keygate.server.token;

import java.util.List;

/**
 * A request to mint a token, as the caller typed it; {@link TokenService#create} checks every field.
 *
 * @param ttl       a lifetime such as {@code 24h}, or {@code null}
 * @param expiresAt an RFC 3339 instant, or {@code null}; not both with {@code ttl}
 */
public record TokenRequest(String principal, List<String> roles, String name, String environment, String ttl,
                           String expiresAt) {
}
