package dev.keygate.core.policy;

import java.time.Instant;
import java.util.Map;

/** PLACEHOLDER until the CEL branch lands. */
public final class SubjectAttributes {
    private SubjectAttributes() {
    }

    public static SubjectAttributes of(String tokenId, Map<String, ?> tokenMetadata, String tokenEnvironment,
                                       Instant tokenCreatedAt, String principalName, String principalKind,
                                       Map<String, ?> principalMetadata) {
        return new SubjectAttributes();
    }
}
