package dev.keygate.core.policy;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.WithUtf8Length;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.keygate.core.policy.TestAttributes.request;
import static dev.keygate.core.policy.TestAttributes.subject;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the CEL compile path with Jazzer: whatever the text, {@link Conditions#compile} gives a condition with that
 * source or throws an {@link InvalidConditionException} whose position lies within the text; and what compiles,
 * evaluated against fixed attributes, answers or throws a {@link ConditionException}, nothing else (no
 * {@code StackOverflowError}, no CEL exception leaking through, no runaway evaluation: the fuzzer's own timeout
 * catches that). {@code ./build verify} fuzzes it for a bounded time (see the {@code fuzz} execution in
 * {@code keygate-core/pom.xml} and {@code docs/testing.md}); a plain test run replays {@link #seeds()} only.
 */
class ConditionsFuzzTest {

    private static final RequestAttributes REQUEST = request()
            .resource(Map.of("owner", "billing-svc", "n", 1L, "tags", List.of("a", "b"))).build();
    private static final SubjectAttributes SUBJECT = subject().build();

    static Stream<String> seeds() {
        return Stream.of(
                "request.time.getHours() >= 8 && request.time.getHours() < 18",
                "request.time.getHours('Europe/Berlin') < 18",
                "resource.owner == principal.name",
                "request.ip.startsWith('10.') || request.ip.inCidr('2001:db8::/32')",
                "'team' in token.metadata && token.metadata.team == 'billing'",
                "resource.tags.exists(t, t.matches('^a'))",
                "[1, 2, 3].all(x, x > 0) ? true : false",
                "size(resource) > 1 && has(resource.owner)");
    }

    @MethodSource("seeds")
    @DictionaryEntries({"request.", "resource.", "token.", "principal.", "ip", "time", "environment", "metadata",
        "created_at", "name", "kind", "owner", ".inCidr(", ".getHours(", ".matches(", ".exists(", ".all(", ".map(",
        ".filter(", "has(", "size(", " && ", " || ", " == ", " in ", "'10.0.0.0/8'", "'::1/128'", "timestamp(",
        "duration(", "'1h'"})
    @FuzzTest
    void compileWhenAnyTextThenConditionOrInvalidConditionException(@WithUtf8Length(max = 2100) String source) {
        Condition condition;
        try {
            condition = Conditions.compile(source);
        } catch (InvalidConditionException e) {
            assertThat(e.position()).as("position of %s", e).isBetween(-1, source == null ? 0 : source.length());
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(condition.source()).isEqualTo(source);
        try {
            condition.test(REQUEST, SUBJECT);
        } catch (ConditionException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
