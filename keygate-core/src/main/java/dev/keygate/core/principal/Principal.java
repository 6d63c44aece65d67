package dev.keygate.core.principal;

import java.time.Instant;

/**
 * The service, integration or person that tokens belong to, so that every action is attributable.
 *
 * @param metadataJson a JSON object with free-form attributes, as text; {@code "{}"} when none were given
 */
public record Principal(String name, PrincipalKind kind, String description, String metadataJson,
                        Instant createdAt) {
}
