package dev.keygate.core.permission;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.WithUtf8Length;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link PermissionQuery#parse} with Jazzer: whatever the text, it gives a query whose canonical text parses
 * back to an equal query, or an {@link InvalidQueryException} whose position lies within the text. Any other
 * exception (a {@code NullPointerException}, a {@code StackOverflowError}, an index out of bounds) is a finding.
 * {@code ./build verify} fuzzes it for a bounded time (see the {@code fuzz} execution in {@code keygate-core/pom.xml}
 * and {@code docs/testing.md}); a plain test run replays {@link #seeds()} only.
 */
class PermissionQueryFuzzTest {

    static Stream<String> seeds() {
        return Stream.of(
                "billing.invoices:read AND (billing.refunds:write OR support.*:*)",
                "a:x or b:x And (c.*:* OR (d:x AND *:read))",
                "(a:x OR b:x)AND(c:x OR d:x)",
                "((((((((a:x))))))))",
                "a:x AND (b:x",
                "a:x b:x");
    }

    @MethodSource("seeds")
    @DictionaryEntries({"AND", "OR", "and", "or", "(", ")", " ", "\t", ":", ".", "*", ".*:", ":*"})
    @FuzzTest
    void parseWhenAnyTextThenRoundTrippingQueryOrInvalidQueryException(@WithUtf8Length(max = 1100) String text) {
        PermissionQuery query;
        try {
            query = PermissionQuery.parse(text);
        } catch (InvalidQueryException e) {
            assertThat(e.position()).as("position of %s", e).isBetween(0, text == null ? 0 : text.length());
            return;
        }
        PermissionQuery again = PermissionQuery.parse(query.toString());

        assertThat(again).isEqualTo(query).hasSameHashCodeAs(query);
        assertThat(again.toString()).isEqualTo(query.toString());
        assertThat(query.permissions()).isNotEmpty();
    }
}
