package dev.keygate.core.permission;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.WithUtf8Length;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link Permission#parse} with Jazzer: whatever the text, it gives a permission whose text is the input
 * and parses back to an equal permission, or an {@link InvalidPermissionException}, and {@link Permission#isValid}
 * agrees. Any other exception is a finding. {@code ./build verify} fuzzes it for a bounded time (see
 * {@code docs/testing.md}); a plain test run replays {@link #seeds()} only.
 */
class PermissionFuzzTest {

    static Stream<String> seeds() {
        return Stream.of("billing.invoices:read", "billing.*:*", "*:*", "billing.*.lines:read", "a:b:c");
    }

    @MethodSource("seeds")
    @DictionaryEntries({":", ".", "*", ".*:", ":*", "_", "-"})
    @FuzzTest
    void parseWhenAnyTextThenCanonicalPermissionOrInvalidPermissionException(
            @WithUtf8Length(max = 300) String text) {
        Permission permission;
        try {
            permission = Permission.parse(text);
        } catch (InvalidPermissionException e) {
            assertThat(Permission.isValid(text)).as("isValid(%s)", text).isFalse();
            return;
        }
        assertThat(Permission.isValid(text)).isTrue();
        assertThat(permission.toString()).isEqualTo(text);
        assertThat(Permission.parse(permission.toString())).isEqualTo(permission);
        assertThat(permission.resource() + ":" + permission.action()).isEqualTo(text);
    }
}
