package dev.keygate.core.permission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The grammar of {@link Permission}: what parses, and the message for what does not. */
class PermissionGrammarTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "billing:read",
            "billing.invoices:read",
            "billing.invoices.lines:read",
            "billing.*:read",
            "billing.invoices.*:write",
            "billing.invoices:*",
            "billing.*:*",
            "*:read",
            "*:*",
            "a:b",
            "a-b_c.0-9:x_y-z",
            "keygate.roles:bind",
            "0:0",
            "_:-",
    })
    void parseWhenTextFollowsGrammarThenCanonicalTextIsKept(String text) {
        Permission permission = Permission.parse(text);

        assertThat(Permission.isValid(text)).isTrue();
        assertThat(permission.toString()).isEqualTo(text);
        assertThat(permission.resource() + ":" + permission.action()).isEqualTo(text);
    }

    static Stream<Arguments> invalidPermissions() {
        return Stream.of(
                arguments(null, "must not be empty"),
                arguments("", "must not be empty"),
                arguments("billing", "must have the form resource:action"),
                arguments("billing.invoices.read", "must have the form resource:action"),
                arguments("billing::read", "must contain exactly one ':'"),
                arguments("billing:read:write", "must contain exactly one ':'"),
                arguments(":read", "resource has an empty segment at position 0"),
                arguments(".billing:read", "resource has an empty segment at position 0"),
                arguments("billing.:read", "resource has an empty segment at position 8"),
                arguments("billing..invoices:read", "resource has an empty segment at position 8"),
                arguments("billing:", "action must not be empty"),
                arguments("billing.*.lines:read", "'*' may only be the last resource segment (position 8)"),
                arguments("*.invoices:read", "'*' may only be the last resource segment (position 0)"),
                arguments("*.*:read", "'*' may only be the last resource segment (position 0)"),
                arguments("billing*:read",
                        "invalid character '*' at position 7 (segments use a-z, 0-9, '_' and '-')"),
                arguments("billing.inv*:read",
                        "invalid character '*' at position 11 (segments use a-z, 0-9, '_' and '-')"),
                arguments("**:read", "invalid character '*' at position 0 (segments use a-z, 0-9, '_' and '-')"),
                arguments("Billing:read", "invalid character 'B' at position 0 (segments use a-z, 0-9, '_' and '-')"),
                arguments("billing.Invoices:read",
                        "invalid character 'I' at position 8 (segments use a-z, 0-9, '_' and '-')"),
                arguments(" billing:read", "invalid character ' ' at position 0 (segments use a-z, 0-9, '_' and '-')"),
                arguments("bill/ing:read", "invalid character '/' at position 4 (segments use a-z, 0-9, '_' and '-')"),
                arguments("billing:Read",
                        "invalid character 'R' at position 8 (the action uses a-z, 0-9, '_' and '-', or is '*')"),
                arguments("billing:re*",
                        "invalid character '*' at position 10 (the action uses a-z, 0-9, '_' and '-', or is '*')"),
                arguments("billing:**",
                        "invalid character '*' at position 8 (the action uses a-z, 0-9, '_' and '-', or is '*')"),
                arguments("billing:read.all",
                        "invalid character '.' at position 12 (the action uses a-z, 0-9, '_' and '-', or is '*')"),
                arguments("billing:read ",
                        "invalid character ' ' at position 12 (the action uses a-z, 0-9, '_' and '-', or is '*')"),
                arguments("billing:lé",
                        "invalid character 'é' at position 9 (the action uses a-z, 0-9, '_' and '-', or is '*')"));
    }

    @ParameterizedTest
    @MethodSource("invalidPermissions")
    void parseWhenTextBreaksGrammarThenThrowsWithProblem(String text, String problem) {
        assertThat(Permission.isValid(text)).isFalse();
        assertThatThrownBy(() -> Permission.parse(text))
                .isInstanceOfSatisfying(InvalidPermissionException.class,
                        e -> assertThat(e.problem()).isEqualTo(problem))
                .hasMessage("invalid permission '" + (text == null ? "" : text) + "': " + problem);
    }

    @Test
    void parseWhenTextIsExactlyMaxLengthThenAccepted() {
        String text = "a".repeat(Permission.MAX_LENGTH - 2) + ":r";

        assertThat(text).hasSize(200);
        assertThat(Permission.parse(text).toString()).isEqualTo(text);
    }

    @Test
    void parseWhenTextIsOneOverMaxLengthThenRejectedEvenIfOtherwiseValid() {
        String text = "a".repeat(Permission.MAX_LENGTH - 1) + ":r";

        assertThat(text).hasSize(201);
        assertThat(Permission.isValid(text)).isFalse();
        assertThatThrownBy(() -> Permission.parse(text))
                .isInstanceOfSatisfying(InvalidPermissionException.class,
                        e -> assertThat(e.problem()).isEqualTo("must be at most 200 characters"));
    }

    @Test
    void parseWhenTextIsLongThenMessageTruncatesItAfterEightyCharacters() {
        String text = "b".repeat(100) + ".:read";

        assertThatThrownBy(() -> Permission.parse(text))
                .hasMessage("invalid permission '" + "b".repeat(80) + "...': "
                        + "resource has an empty segment at position 101");
    }

    @Test
    void parseWhenActionMissingThenMessageMatchesApiDocsExample() {
        // docs/api.md shows this exact detail for permissions[0].
        assertThatThrownBy(() -> Permission.parse("billing:"))
                .hasMessage("invalid permission 'billing:': action must not be empty");
    }

    @Test
    void resourceAndActionWhenWildcardsThenGivenBackVerbatim() {
        Permission permission = Permission.parse("billing.*:*");

        assertThat(permission.resource()).isEqualTo("billing.*");
        assertThat(permission.action()).isEqualTo("*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"billing.*:read", "billing:*", "*:read", "*:*", "a.b.*:*"})
    void isWildcardWhenTextHasStarThenTrue(String text) {
        assertThat(Permission.parse(text).isWildcard()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"billing:read", "billing.invoices:read", "a.b.c:d"})
    void isWildcardWhenTextHasNoStarThenFalse(String text) {
        assertThat(Permission.parse(text).isWildcard()).isFalse();
    }

    @Test
    void equalsWhenSameTextThenEqualWithSameHashCode() {
        Permission a = Permission.parse("billing.*:read");
        Permission b = Permission.parse("billing.*:read");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Permission.parse("billing.*:write"));
        assertThat(a).isNotEqualTo("billing.*:read");
    }
}
