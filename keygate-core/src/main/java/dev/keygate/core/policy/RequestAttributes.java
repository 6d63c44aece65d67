package dev.keygate.core.policy;

import java.time.Instant;
import java.util.Map;

/**
 * What a verify request brings to a condition, built once per verify call. Construction does no work: the
 * resource is converted to CEL values only when an expression reads {@code resource}, once per evaluation.
 *
 * @param ip          {@code request.ip}, the client address from the request's {@code context.ip}, or
 *                    {@code null} when none was given (an expression that reads it then fails)
 * @param time        {@code request.time}, the time of the request; {@code null} only if unknown (reading it
 *                    then fails)
 * @param environment {@code request.environment}, the environment asked for, or {@code null} if none
 * @param resource    {@code resource}: free-form attributes from the request's JSON, or {@code null} for none
 *                    (an empty map). Values may be {@code String}, {@code Long}, {@code Integer},
 *                    {@code Double}, {@code Boolean}, {@code null}, {@code List} and {@code Map} with
 *                    {@code String} keys, nested; it must not change while a condition is evaluated
 */
public record RequestAttributes(String ip, Instant time, String environment, Map<String, ?> resource) {

    /** Names the attributes given, not their values: the resource may hold anything. */
    @Override
    public String toString() {
        return "RequestAttributes[ip=" + (ip == null ? "absent" : "given") + ", time=" + time + ", environment="
                + environment + ", resource=" + (resource == null ? 0 : resource.size()) + " keys]";
    }
}
