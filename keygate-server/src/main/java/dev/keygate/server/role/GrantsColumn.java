package dev.keygate.server.role;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.policy.Effect;
import dev.keygate.core.policy.Grant;

import java.util.List;

/** The {@code roles.grants} column: a role's grants as a JSON array, written only when the role needs it. */
final class GrantsColumn {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<Stored>> LIST = new TypeReference<>() {
    };

    /** One grant as stored; {@code condition} is absent when null. */
    private record Stored(String permission, String effect, String condition) {
    }

    private GrantsColumn() {
    }

    /** The column's value: {@code null} when every grant is an unconditional allow (the permissions say it all). */
    static String encode(List<Grant> grants) {
        if (grants.stream().allMatch(Grant::unconditionalAllow)) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(grants.stream()
                    .map(g -> new Stored(g.permission().toString(), g.effect().text(), g.condition())).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode grants", e);
        }
    }

    /** The grants stored in {@code json}, which this class wrote. */
    static List<Grant> decode(String json) {
        try {
            return MAPPER.readValue(json, LIST).stream()
                    .map(s -> new Grant(Permission.parse(s.permission()), Effect.parse(s.effect()), s.condition()))
                    .toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the grants column does not hold a JSON array of grants", e);
        }
    }
}
