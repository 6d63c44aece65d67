package dev.keygate.core.permission;

import dev.keygate.core.permission.PermissionArbitraries.Pair;
import dev.keygate.core.permission.PermissionArbitraries.Triple;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Permission#covers} checked against {@link ReferenceMatcher}, an independent regex model: matching of
 * concrete permissions, and subsumption between patterns (sound and complete), with its order laws.
 */
class PermissionCoversPropertyTest {

    /** The grammar of the class Javadoc as one regex, written independently of {@code Permission.problemWith}. */
    private static final Pattern GRAMMAR = Pattern.compile(
            "(?:[a-z0-9_-]+(?:\\.[a-z0-9_-]+)*(?:\\.\\*)?|\\*):(?:[a-z0-9_-]+|\\*)");

    @Provide
    Arbitrary<String> patterns() {
        return PermissionArbitraries.patterns();
    }

    @Provide
    Arbitrary<String> concretes() {
        return PermissionArbitraries.concretes();
    }

    @Provide
    Arbitrary<Pair> patternsWithCandidates() {
        return PermissionArbitraries.patternsWithCandidates();
    }

    @Provide
    Arbitrary<Pair> patternsWithInstances() {
        return PermissionArbitraries.patterns()
                .flatMap(p -> PermissionArbitraries.instances(p).map(c -> new Pair(p, c)));
    }

    @Provide
    Arbitrary<Pair> patternPairs() {
        return PermissionArbitraries.patternPairs();
    }

    @Provide
    Arbitrary<Triple> patternsWithInstancesOfSecond() {
        return PermissionArbitraries.patternPairs().flatMap(ab -> PermissionArbitraries.instances(ab.second())
                .map(c -> new Triple(ab.first(), ab.second(), c)));
    }

    @Provide
    Arbitrary<Triple> patternChains() {
        return PermissionArbitraries.patternChains();
    }

    /** Short strings over the characters that matter to the grammar, and valid permissions with one slip. */
    @Provide
    Arbitrary<String> permissionLikeTexts() {
        Arbitrary<String> noise = Arbitraries.strings().withChars("ab0_-.*:A é").ofMaxLength(8);
        Arbitrary<String> slipped = PermissionArbitraries.patterns().flatMap(p -> Arbitraries.integers()
                .between(0, p.length())
                .flatMap(at -> Arbitraries.of('.', '*', ':', 'A', ' ', '-')
                        .map(c -> p.substring(0, at) + c + p.substring(at))));
        return Arbitraries.oneOf(noise, slipped, PermissionArbitraries.patterns());
    }

    @Property
    void isValidWhenAnyTextThenAgreesWithGrammarRegex(@ForAll("permissionLikeTexts") String text) {
        boolean expected = GRAMMAR.matcher(text).matches();

        Statistics.label("valid").collect(expected)
                .coverage(c -> {
                    c.check(true).percentage(p -> p > 10);
                    c.check(false).percentage(p -> p > 10);
                });
        assertThat(Permission.isValid(text)).as("isValid(%s)", text).isEqualTo(expected);
        if (expected) {
            assertThat(Permission.parse(text).toString()).isEqualTo(text);
        }
    }

    @Property
    void coversWhenConcreteRequestedThenAgreesWithReferenceRegex(@ForAll("patternsWithCandidates") Pair pair) {
        Permission pattern = Permission.parse(pair.first());
        Permission concrete = Permission.parse(pair.second());
        boolean expected = ReferenceMatcher.matches(pair.first(), pair.second());

        Statistics.label("covers").collect(expected)
                .coverage(c -> {
                    c.check(true).percentage(p -> p > 20);
                    c.check(false).percentage(p -> p > 20);
                });
        assertThat(pattern.covers(concrete)).as("%s covers %s", pattern, concrete).isEqualTo(expected);
    }

    @Property
    void coversWhenConcreteIsInstanceOfPatternThenTrue(@ForAll("patternsWithInstances") Pair pair) {
        assertThat(ReferenceMatcher.matches(pair.first(), pair.second())).as("generator sanity").isTrue();
        assertThat(Permission.parse(pair.first()).covers(Permission.parse(pair.second())))
                .as("%s covers %s", pair.first(), pair.second())
                .isTrue();
    }

    @Property
    void coversWhenPatternRequestedThenEveryInstanceOfRequestedIsGranted(
            @ForAll("patternsWithInstancesOfSecond") Triple triple) {
        Permission a = Permission.parse(triple.first());
        Permission b = Permission.parse(triple.second());
        Permission c = Permission.parse(triple.third());
        boolean subsumes = a.covers(b);

        Statistics.label("A covers B").collect(subsumes)
                .coverage(k -> k.check(true).percentage(p -> p > 20));
        assertThat(b.covers(c)).as("%s covers its instance %s", b, c).isTrue();
        if (subsumes) {
            assertThat(ReferenceMatcher.matches(triple.first(), triple.third()))
                    .as("%s covers %s, so the reference must match its instance %s", a, b, c)
                    .isTrue();
            assertThat(a.covers(c)).as("%s covers %s", a, c).isTrue();
        }
    }

    @Property
    void coversWhenPatternNotCoveredThenSomeInstanceOfRequestedIsNotGranted(@ForAll("patternPairs") Pair pair) {
        Permission a = Permission.parse(pair.first());
        Permission b = Permission.parse(pair.second());
        List<String> witnesses = ReferenceMatcher.witnesses(pair.second());
        List<String> escaping = witnesses.stream()
                .filter(w -> !ReferenceMatcher.matches(pair.first(), w))
                .toList();

        Statistics.label("A covers B").collect(a.covers(b))
                .coverage(k -> {
                    k.check(true).percentage(p -> p > 20);
                    k.check(false).percentage(p -> p > 20);
                });
        assertThat(witnesses).allSatisfy(w -> {
            assertThat(ReferenceMatcher.matches(pair.second(), w)).as("%s is an instance of %s", w, b).isTrue();
            assertThat(b.covers(Permission.parse(w))).as("%s covers %s", b, w).isTrue();
        });
        // The witnesses are enough to decide subsumption: A covers B exactly when A grants all of them.
        assertThat(a.covers(b)).as("%s covers %s; instances it does not grant: %s", a, b, escaping)
                .isEqualTo(escaping.isEmpty());
        for (String w : escaping) {
            assertThat(a.covers(Permission.parse(w))).as("%s covers witness %s", a, w).isFalse();
        }
    }

    @Property
    void coversWhenSamePermissionThenTrue(@ForAll("patterns") String text) {
        Permission p = Permission.parse(text);

        assertThat(p.covers(p)).isTrue();
        assertThat(p.covers(Permission.parse(text))).isTrue();
    }

    @Property
    void coversWhenChainedThenTransitive(@ForAll("patternChains") Triple triple) {
        Permission a = Permission.parse(triple.first());
        Permission b = Permission.parse(triple.second());
        Permission c = Permission.parse(triple.third());
        boolean chained = a.covers(b) && b.covers(c);

        Statistics.label("A covers B covers C").collect(chained)
                .coverage(k -> k.check(true).percentage(p -> p > 10));
        if (chained) {
            assertThat(a.covers(c)).as("%s covers %s covers %s", a, b, c).isTrue();
        }
    }

    @Property
    void coversWhenMutualThenSamePermission(@ForAll("patternPairs") Pair pair) {
        Permission a = Permission.parse(pair.first());
        Permission b = Permission.parse(pair.second());

        // Two different texts never grant the same set: otherwise an admin could not tell two grants apart.
        if (a.covers(b) && b.covers(a)) {
            assertThat(a).isEqualTo(b);
        }
    }

    @Property
    void coversWhenGrantIsConcreteThenOnlyItselfIsCovered(@ForAll("concretes") String granted,
                                                          @ForAll("patterns") String requested) {
        boolean covers = Permission.parse(granted).covers(Permission.parse(requested));

        assertThat(covers).as("%s covers %s", granted, requested).isEqualTo(granted.equals(requested));
    }
}
