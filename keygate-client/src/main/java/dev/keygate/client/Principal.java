package dev.keygate.client;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who a token is issued to: a service, an integration or a user.
 *
 * @param name        the principal's name, matching {@code [a-z0-9][a-z0-9._@-]{0,127}}
 * @param kind        {@code service}, {@code integration} or {@code user}
 * @param description the description, {@code ""} when none was given
 * @param metadata    free-form JSON object as plain Java values (maps, lists, strings, numbers, booleans,
 *                    nulls), unmodifiable; never null
 * @param createdAt   when it was created
 * @param disabled    whether it is disabled: it then has no live token and can be given none until enabled
 * @param disabledAt  when it was disabled, or {@code null} when it is not
 */
public record Principal(String name, String kind, String description, Map<String, Object> metadata, Instant createdAt,
                        boolean disabled, Instant disabledAt) {

    public Principal {
        // Map.copyOf would reject the JSON nulls a metadata object may hold.
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
