package dev.keygate.core.policy;

import dev.keygate.core.policy.AttributeValues.AttributeMap;

import java.time.Instant;
import java.util.Map;

/**
 * The token and its principal as conditions see them: {@code token.id}, {@code token.metadata},
 * {@code token.environment}, {@code token.created_at}, {@code principal.name}, {@code principal.kind} and
 * {@code principal.metadata}. Build it once per cached token view and reuse it for every evaluation: the
 * metadata is converted to CEL values here, up front. Immutable and thread-safe.
 */
public final class SubjectAttributes {

    final String tokenId;
    final AttributeMap tokenMetadata;
    final String tokenEnvironment;
    final Instant tokenCreatedAt;
    final String principalName;
    final String principalKind;
    final AttributeMap principalMetadata;

    private SubjectAttributes(String tokenId, AttributeMap tokenMetadata, String tokenEnvironment,
                              Instant tokenCreatedAt, String principalName, String principalKind,
                              AttributeMap principalMetadata) {
        this.tokenId = tokenId;
        this.tokenMetadata = tokenMetadata;
        this.tokenEnvironment = tokenEnvironment;
        this.tokenCreatedAt = tokenCreatedAt;
        this.principalName = principalName;
        this.principalKind = principalKind;
        this.principalMetadata = principalMetadata;
    }

    /**
     * The attributes of a token and its principal. A null string or time is an absent attribute (an expression
     * that reads it fails); null metadata is an empty map. Metadata values are as JSON gives them:
     * {@code String}, {@code Long}, {@code Integer}, {@code Double}, {@code Boolean}, {@code null}, and
     * {@code List} and {@code Map} with {@code String} keys, nested; they are copied.
     *
     * @param principalKind the principal's kind as its API name ({@code PrincipalKind.apiName()}), e.g.
     *                      {@code service}
     * @throws IllegalArgumentException if metadata holds a value of another type, a key that is not a string,
     *                                  or lists and maps nested more than 64 deep; the message names the type,
     *                                  never a value
     */
    public static SubjectAttributes of(String tokenId, Map<String, ?> tokenMetadata, String tokenEnvironment,
                                       Instant tokenCreatedAt, String principalName, String principalKind,
                                       Map<String, ?> principalMetadata) {
        return new SubjectAttributes(tokenId, AttributeValues.convertMap(tokenMetadata, "token metadata"),
                tokenEnvironment, tokenCreatedAt, principalName, principalKind,
                AttributeValues.convertMap(principalMetadata, "principal metadata"));
    }

    /** Names the token and principal, not the metadata. */
    @Override
    public String toString() {
        return "SubjectAttributes[token=" + tokenId + ", principal=" + principalName + "]";
    }
}
