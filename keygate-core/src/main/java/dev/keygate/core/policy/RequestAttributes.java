package dev.keygate.core.policy;

import java.time.Instant;
import java.util.Map;

/** PLACEHOLDER until the CEL branch lands. */
public record RequestAttributes(String ip, Instant time, String environment, Map<String, ?> resource) {
}
