package dev.keygate.core.permission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The grammar of {@link PermissionQuery}, its canonical text, its evaluation, and every error with its position. */
class PermissionQueryTest {

    private static Predicate<Permission> granting(String... permissions) {
        Set<String> set = Set.of(permissions);
        return p -> set.contains(p.toString());
    }

    @Test
    void parseWhenIssueExampleThenEvaluatesWithWildcardGrants() {
        PermissionQuery query =
                PermissionQuery.parse("billing.invoices:read AND (billing.refunds:write OR support.*:*)");
        PermissionSet reader = PermissionSet.of(List.of(Permission.parse("billing.*:read")));
        PermissionSet support = PermissionSet.of(List.of(
                Permission.parse("billing.*:read"), Permission.parse("support.*:*")));

        assertThat(query.evaluate(reader::covers)).isFalse();
        assertThat(query.evaluate(support::covers)).isTrue();
        assertThat(query).hasToString("billing.invoices:read AND (billing.refunds:write OR support.*:*)");
    }

    @Test
    void parseWhenNoParenthesesThenAndBindsTighterThanOr() {
        PermissionQuery query = PermissionQuery.parse("a:x OR b:x AND c:x");

        // As (a OR b) AND c, granting only a:x would be refused.
        assertThat(query.evaluate(granting("a:x"))).isTrue();
        assertThat(query.evaluate(granting("b:x"))).isFalse();
        assertThat(query.evaluate(granting("b:x", "c:x"))).isTrue();
        assertThat(query).hasToString("a:x OR b:x AND c:x");
    }

    @Test
    void parseWhenParenthesesOverridePrecedenceThenKeptInCanonicalText() {
        PermissionQuery query = PermissionQuery.parse("(a:x OR b:x) AND c:x");

        assertThat(query.evaluate(granting("a:x"))).isFalse();
        assertThat(query.evaluate(granting("a:x", "c:x"))).isTrue();
        assertThat(query).hasToString("(a:x OR b:x) AND c:x");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a:x                             | a:x",
            "(a:x)                           | a:x",
            "((((a:x))))                     | a:x",
            "a:x and b:x Or c:x aNd d:x      | a:x AND b:x OR c:x AND d:x",
            "'  a:x \t AND\t\tb:x  '         | a:x AND b:x",
            "(a:x OR b:x)AND(c:x OR d:x)     | (a:x OR b:x) AND (c:x OR d:x)",
            "( a:x OR b:x ) AND ( c:x )      | (a:x OR b:x) AND c:x",
            "a:x AND (b:x AND c:x)           | a:x AND b:x AND c:x",
            "(a:x OR b:x) OR (c:x OR d:x)    | a:x OR b:x OR c:x OR d:x",
            "a:x OR (b:x AND c:x)            | a:x OR b:x AND c:x",
            "((a:x OR b:x) AND c:x) OR d:x   | (a:x OR b:x) AND c:x OR d:x",
            "a:x AND (b:x OR (c:x AND d:x))  | a:x AND (b:x OR c:x AND d:x)",
            "and:or AND or:and               | and:or AND or:and",
            "*:* OR billing.*:read           | *:* OR billing.*:read",
    })
    void toStringWhenParsedThenCanonicalText(String text, String canonical) {
        PermissionQuery query = PermissionQuery.parse(text);

        assertThat(query).hasToString(canonical);
        assertThat(PermissionQuery.parse(canonical)).isEqualTo(query).hasSameHashCodeAs(query);
    }

    @Test
    void equalsWhenOperandOrderDiffersThenNotEqual() {
        assertThat(PermissionQuery.parse("a:x OR b:x")).isNotEqualTo(PermissionQuery.parse("b:x OR a:x"));
        assertThat(PermissionQuery.parse("a:x AND b:x")).isNotEqualTo(PermissionQuery.parse("a:x OR b:x"));
        assertThat(PermissionQuery.parse("a:x")).isNotEqualTo("a:x").isNotEqualTo(Permission.parse("a:x"));
    }

    @Test
    void evaluateWhenAndMeetsFalseThenStopsAsking() {
        List<String> asked = new ArrayList<>();

        boolean allowed = PermissionQuery.parse("a:x AND b:x AND c:x").evaluate(p -> {
            asked.add(p.toString());
            return !p.toString().equals("b:x");
        });

        assertThat(allowed).isFalse();
        assertThat(asked).containsExactly("a:x", "b:x");
    }

    @Test
    void evaluateWhenOrMeetsTrueThenStopsAsking() {
        List<String> asked = new ArrayList<>();

        boolean allowed = PermissionQuery.parse("a:x AND b:x OR c:x OR d:x").evaluate(p -> {
            asked.add(p.toString());
            return !p.toString().equals("b:x");
        });

        assertThat(allowed).isTrue();
        assertThat(asked).containsExactly("a:x", "b:x", "c:x");
    }

    @Test
    void evaluateWhenPredicateNullThenThrowsNullPointerException() {
        assertThatThrownBy(() -> PermissionQuery.parse("a:x").evaluate(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void permissionsWhenRepeatedThenDistinctInOrderOfAppearance() {
        List<Permission> permissions = PermissionQuery.parse("b:x OR a:x AND b:x OR (c:x AND a:x)").permissions();

        assertThat(permissions).map(Permission::toString).containsExactly("b:x", "a:x", "c:x");
        assertThatThrownBy(() -> permissions.add(Permission.parse("d:x")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:x AND b:x", "(a:x)", "a:x\tOR b:x", "a:x ", "a:x)", "(", "  "})
    void isQueryWhenWhitespaceOrParenthesisThenTrue(String text) {
        assertThat(PermissionQuery.isQuery(text)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"a:x", "billing.*:read", "a:x\nAND", "not_a_permission"})
    void isQueryWhenNoWhitespaceNorParenthesisThenFalse(String text) {
        assertThat(PermissionQuery.isQuery(text)).isFalse();
    }

    static Stream<Arguments> invalidQueries() {
        String actionRule = " (the action uses a-z, 0-9, '_' and '-', or is '*')";
        return Stream.of(
                arguments(null, 0, "must not be empty"),
                arguments("", 0, "must not be empty"),
                arguments("   ", 3, "expected a permission or '(' but the query ends"),
                arguments("a:x AND", 7, "expected a permission or '(' but the query ends"),
                arguments("a:x AND AND b:x", 8, "expected a permission or '(' but found 'AND'"),
                arguments("or a:x", 0, "expected a permission or '(' but found 'or'"),
                arguments("a:x OR ) ", 7, "expected a permission or '(' but found ')'"),
                arguments("()", 1, "expected a permission or '(' but found ')'"),
                arguments("a:x b:x", 4, "expected AND, OR or the end of the query but found 'b:x'"),
                arguments("a:x ANDb:x", 4, "expected AND, OR or the end of the query but found 'ANDb:x'"),
                arguments("a:x && b:x", 4, "expected AND, OR or the end of the query but found '&&'"),
                arguments("a:x (b:x)", 4, "expected AND, OR or the end of the query but found '('"),
                arguments("a:x)", 3, "')' without a matching '('"),
                arguments("(a:x OR b:x))", 12, "')' without a matching '('"),
                arguments("(a:x", 4, "missing ')' for the '(' at position 0"),
                arguments("a:x AND (b:x OR (c:x)", 21, "missing ')' for the '(' at position 8"),
                arguments("(a:x b:x)", 5, "expected AND, OR or ')' but found 'b:x'"),
                arguments("(a:x (b:x))", 5, "expected AND, OR or ')' but found '('"),
                arguments("a:x AND " + "z".repeat(50), 8,
                        "invalid permission '" + "z".repeat(50) + "': must have the form resource:action"),
                arguments("a:x " + "z".repeat(50), 4,
                        "expected AND, OR or the end of the query but found '" + "z".repeat(40) + "...'"),
                arguments("a:x AND b:Read", 8,
                        "invalid permission 'b:Read': invalid character 'R' at position 2" + actionRule),
                arguments("a:x OR billing", 7, "invalid permission 'billing': must have the form resource:action"),
                arguments("a:x\nAND b:x", 0,
                        "invalid permission 'a:x\nAND': invalid character '\n' at position 3" + actionRule),
                arguments("(a:x OR b.*.c:x)", 8,
                        "invalid permission 'b.*.c:x': '*' may only be the last resource segment (position 2)"));
    }

    @ParameterizedTest
    @MethodSource("invalidQueries")
    void parseWhenTextBreaksGrammarThenThrowsWithPositionAndProblem(String text, int position, String problem) {
        assertThatThrownBy(() -> PermissionQuery.parse(text))
                .isInstanceOfSatisfying(InvalidQueryException.class, e -> {
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.problem()).isEqualTo(problem);
                })
                .hasMessage("at position " + position + ": " + problem);
    }

    @Test
    void parseWhenPermissionInvalidThenCauseIsPermissionsOwnException() {
        assertThatThrownBy(() -> PermissionQuery.parse("a:x AND b:"))
                .cause().isInstanceOf(InvalidPermissionException.class)
                .hasMessage("invalid permission 'b:': action must not be empty");
    }

    @Test
    void parseWhenExactlyMaxLengthThenAccepted() {
        String text = fivePermissionsOfLength(196) + "    ";

        assertThat(text).hasSize(PermissionQuery.MAX_LENGTH);
        assertThat(PermissionQuery.parse(text).permissions()).hasSize(5);
    }

    @Test
    void parseWhenOneOverMaxLengthThenRejectedAtTheLimit() {
        String text = fivePermissionsOfLength(196) + "     ";

        assertThat(text).hasSize(PermissionQuery.MAX_LENGTH + 1);
        assertThatThrownBy(() -> PermissionQuery.parse(text))
                .isInstanceOfSatisfying(InvalidQueryException.class,
                        e -> assertThat(e.position()).isEqualTo(1000))
                .hasMessage("at position 1000: must be at most 1000 characters");
    }

    private static String fivePermissionsOfLength(int length) {
        return IntStream.range(0, 5)
                .mapToObj(i -> "p" + i + "a".repeat(length - 4) + ":r")
                .collect(Collectors.joining(" OR "));
    }

    @Test
    void parseWhenCanonicalFormWouldExceedMaxLengthThenRejected() {
        // Eight "(x OR y)" joined by a bare AND: 997 characters, but 1011 with the spaces toString() adds.
        String text = IntStream.range(0, 8)
                .mapToObj(i -> "(" + atom('a', i, 58) + " OR " + atom('b', i, 58) + ")")
                .collect(Collectors.joining("AND"));

        assertThat(text).hasSize(997);
        assertThatThrownBy(() -> PermissionQuery.parse(text))
                .isInstanceOfSatisfying(InvalidQueryException.class, e -> assertThat(e.position()).isZero())
                .hasMessage("at position 0: must be at most 1000 characters once written with one space around"
                        + " each AND, OR and parenthesis (would be 1011)");
        assertThat(PermissionQuery.parse(text.substring(0, text.lastIndexOf("AND"))).toString()).hasSize(884);
    }

    private static String atom(char c, int i, int length) {
        String head = String.valueOf(c) + i;
        return head + String.valueOf(c).repeat(length - head.length() - 2) + ":r";
    }

    @Test
    void parseWhenMaxPermissionsThenAccepted() {
        assertThat(PermissionQuery.parse(permissions(PermissionQuery.MAX_PERMISSIONS)).permissions()).hasSize(32);
    }

    @Test
    void parseWhenOneOverMaxPermissionsThenRejectedAtTheExtraOne() {
        String text = permissions(PermissionQuery.MAX_PERMISSIONS + 1);

        assertThatThrownBy(() -> PermissionQuery.parse(text))
                .isInstanceOfSatisfying(InvalidQueryException.class,
                        e -> assertThat(e.position()).isEqualTo(text.indexOf("p32:r")))
                .hasMessageEndingWith(": must contain at most 32 permissions");
    }

    @Test
    void parseWhenRepeatedPermissionsThenEachOccurrenceCounts() {
        String text = String.join(" OR ", Collections.nCopies(33, "a:x"));

        assertThatThrownBy(() -> PermissionQuery.parse(text))
                .hasMessageEndingWith(": must contain at most 32 permissions");
    }

    private static String permissions(int count) {
        return IntStream.range(0, count).mapToObj(i -> "p" + i + ":r").collect(Collectors.joining(" AND "));
    }

    @Test
    void parseWhenMaxDepthThenAccepted() {
        String text = "(".repeat(PermissionQuery.MAX_DEPTH) + "a:x" + ")".repeat(PermissionQuery.MAX_DEPTH);

        assertThat(PermissionQuery.parse(text)).hasToString("a:x");
    }

    @Test
    void parseWhenOneOverMaxDepthThenRejectedAtTheDeepestParenthesis() {
        String text = "a:x AND " + "(b:x OR ".repeat(9) + "c:x" + ")".repeat(9);

        assertThatThrownBy(() -> PermissionQuery.parse(text))
                .isInstanceOfSatisfying(InvalidQueryException.class,
                        e -> assertThat(e.position()).isEqualTo(8 + 8 * "(b:x OR ".length()))
                .hasMessageEndingWith(": must nest parentheses at most 8 deep");
    }

    @Test
    void parseWhenHugeInputThenRejectedByLengthBeforeAnyWork() {
        String text = "(".repeat(1_000_000);

        assertThatThrownBy(() -> PermissionQuery.parse(text))
                .isInstanceOfSatisfying(InvalidQueryException.class,
                        e -> assertThat(e.position()).isEqualTo(1000));
    }

    @Test
    void parseWhenDeepParenthesesWithinLengthThenDepthErrorNotStackOverflow() {
        String text = "(".repeat(500) + "a:x" + ")".repeat(497);

        assertThatThrownBy(() -> PermissionQuery.parse(text))
                .isInstanceOfSatisfying(InvalidQueryException.class, e -> assertThat(e.position()).isEqualTo(8));
    }
}
