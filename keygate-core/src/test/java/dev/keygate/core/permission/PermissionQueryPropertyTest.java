package dev.keygate.core.permission;

import dev.keygate.core.permission.ReferenceQuery.Junction;
import dev.keygate.core.permission.ReferenceQuery.Leaf;
import dev.keygate.core.permission.ReferenceQuery.Style;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link PermissionQuery} checked against {@link ReferenceQuery}: random trees, written fully parenthesised in
 * random styles, parse to the canonical text the model predicts, round-trip through {@code toString}, and
 * evaluate like the model, asking the same permissions in the same order.
 */
class PermissionQueryPropertyTest {

    /** Trees up to three junctions deep with two or three operands each: at most 27 permissions. */
    @Provide
    Arbitrary<ReferenceQuery> trees() {
        Arbitrary<ReferenceQuery> leaves = PermissionArbitraries.patterns().map(Leaf::new);
        return Arbitraries.recursive(() -> leaves,
                operand -> Combinators.combine(Arbitraries.of(true, false), operand.list().ofMinSize(2).ofMaxSize(3))
                        .as(Junction::new),
                0, 3);
    }

    @Provide
    Arbitrary<Style> styles() {
        return Combinators.combine(
                Arbitraries.of("AND", "and", "And", "aNd"),
                Arbitraries.of("OR", "or", "Or", "oR"),
                Arbitraries.of(" ", "  ", "\t", " \t "),
                Arbitraries.of(true, false),
                Arbitraries.of(true, false)).as(Style::new);
    }

    @Provide
    Arbitrary<List<Permission>> grants() {
        return PermissionArbitraries.patterns().map(Permission::parse).list().ofMaxSize(6);
    }

    @Property
    void parseWhenRenderedTreeThenCanonicalTextIsTheModels(@ForAll("trees") ReferenceQuery tree,
                                                            @ForAll("styles") Style style) {
        String text = tree.render(style);

        assertThat(PermissionQuery.parse(text).toString()).as(text).isEqualTo(tree.canonical());
    }

    @Property
    void parseWhenCanonicalTextThenEqualQuery(@ForAll("trees") ReferenceQuery tree, @ForAll("styles") Style style) {
        PermissionQuery query = PermissionQuery.parse(tree.render(style));

        PermissionQuery again = PermissionQuery.parse(query.toString());

        assertThat(again).isEqualTo(query).hasSameHashCodeAs(query);
        assertThat(again.toString()).isEqualTo(query.toString());
    }

    @Property
    void evaluateWhenAnyGrantsThenSameAnswerAndSameQuestionsAsModel(@ForAll("trees") ReferenceQuery tree,
                                                                    @ForAll("grants") List<Permission> grants) {
        PermissionSet granted = PermissionSet.of(grants);
        List<Permission> askedByQuery = new ArrayList<>();
        List<Permission> askedByModel = new ArrayList<>();

        boolean actual = PermissionQuery.parse(tree.canonical()).evaluate(recording(granted, askedByQuery));
        boolean expected = tree.evaluate(recording(granted, askedByModel));

        Statistics.label("allowed").collect(expected)
                .coverage(c -> {
                    c.check(true).percentage(p -> p > 5);
                    c.check(false).percentage(p -> p > 5);
                });
        assertThat(actual).as("%s with %s", tree.canonical(), grants).isEqualTo(expected);
        assertThat(askedByQuery).isEqualTo(askedByModel);
    }

    @Property
    void permissionsWhenAnyTreeThenDistinctInOrderOfAppearance(@ForAll("trees") ReferenceQuery tree) {
        assertThat(PermissionQuery.parse(tree.canonical()).permissions()).map(Permission::toString)
                .containsExactlyElementsOf(tree.distinctPermissions());
    }

    @Provide
    Arbitrary<String> queryLikeTexts() {
        return Arbitraries.of("a:read", "b.*:*", "*:write", "AND", "or", "(", ")", " ", "\t", "x", ":", "*", ".",
                        "\n", "é", "\uD83D", "\uDE00")
                .list().ofMaxSize(40)
                .map(tokens -> String.join("", tokens));
    }

    @Property
    void parseWhenAnyTextThenQueryOrInvalidQueryExceptionWithinTheText(@ForAll("queryLikeTexts") String text) {
        Throwable thrown = catchThrowable(() -> PermissionQuery.parse(text));

        if (thrown == null) {
            assertThat(PermissionQuery.parse(PermissionQuery.parse(text).toString()))
                    .isEqualTo(PermissionQuery.parse(text));
        } else {
            assertThat(thrown).isInstanceOfSatisfying(InvalidQueryException.class,
                    e -> assertThat(e.position()).isBetween(0, text.length()));
        }
    }

    @Property
    void isQueryWhenAnyTextThenWhetherItHasWhitespaceOrParenthesis(@ForAll("queryLikeTexts") String text) {
        boolean expected = text.contains(" ") || text.contains("\t") || text.contains("(") || text.contains(")");

        assertThat(PermissionQuery.isQuery(text)).isEqualTo(expected);
    }

    @Property
    void parseWhenSinglePermissionThenNotAQueryButParsesToIt(@ForAll("patterns") String permission) {
        assertThat(PermissionQuery.isQuery(permission)).isFalse();
        assertThat(PermissionQuery.parse(permission).permissions()).containsExactly(Permission.parse(permission));
        assertThat(PermissionQuery.parse(permission).toString()).isEqualTo(permission);
    }

    @Provide
    Arbitrary<String> patterns() {
        return PermissionArbitraries.patterns();
    }

    private static Predicate<Permission> recording(PermissionSet granted, List<Permission> asked) {
        return p -> {
            asked.add(p);
            return granted.covers(p);
        };
    }
}
