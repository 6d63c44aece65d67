package dev.keygate.core.principal;

import java.time.Instant;

/**
 * The service, integration or person that tokens belong to, so that every action is attributable.
 *
 * @param metadataJson a JSON object with free-form attributes, as text; {@code "{}"} when none were given
 * @param disabledAt   when it was disabled (it then has no live tokens and can be given none), or {@code null}
 */
public record Principal(String name, PrincipalKind kind, String description, String metadataJson,
                        Instant createdAt, Instant disabledAt) {

    public boolean disabled() {
        return disabledAt != null;
    }
}
