package dev.keygate.core.permission;

import dev.keygate.core.permission.PermissionArbitraries.Pair;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Permission#overlaps} checked against {@link ReferenceMatcher}: two patterns overlap exactly when some
 * concrete permission matches both, searched for by brute force over a universe that holds a common instance of
 * any two overlapping patterns.
 */
class PermissionOverlapsPropertyTest {

    /**
     * Every concrete permission over the segments of the two patterns plus a fresh one, one segment deeper than
     * the deeper pattern: if the patterns share an instance, they share one of these.
     */
    private static List<String> universe(String a, String b) {
        List<String> alphabet = new ArrayList<>(List.of(ReferenceMatcher.FRESH));
        int depth = 0;
        for (String pattern : List.of(a, b)) {
            String[] segments = pattern.substring(0, pattern.indexOf(':')).split("\\.");
            depth = Math.max(depth, segments.length + 1);
            for (String s : segments) {
                if (!s.equals("*") && !alphabet.contains(s)) {
                    alphabet.add(s);
                }
            }
        }
        List<String> resources = new ArrayList<>();
        List<String> level = List.of("");
        for (int d = 1; d <= depth; d++) {
            List<String> next = new ArrayList<>();
            for (String prefix : level) {
                for (String segment : alphabet) {
                    next.add(prefix.isEmpty() ? segment : prefix + "." + segment);
                }
            }
            resources.addAll(next);
            level = next;
        }
        List<String> all = new ArrayList<>();
        for (String r : resources) {
            for (String action : List.of("read", "write", ReferenceMatcher.FRESH)) {
                all.add(r + ":" + action);
            }
        }
        return all;
    }

    @Provide
    Arbitrary<Pair> patternPairs() {
        return PermissionArbitraries.patternPairs();
    }

    @Property(tries = 300)
    void overlapsExactlyWhenSomeConcretePermissionMatchesBoth(@ForAll("patternPairs") Pair pair) {
        Pattern a = ReferenceMatcher.toRegex(pair.first());
        Pattern b = ReferenceMatcher.toRegex(pair.second());
        boolean common = universe(pair.first(), pair.second()).stream().anyMatch(c -> a.matcher(c).matches() && b.matcher(c).matches());

        assertThat(Permission.parse(pair.first()).overlaps(Permission.parse(pair.second()))).as(pair.toString())
                .isEqualTo(common);
        assertThat(Permission.parse(pair.second()).overlaps(Permission.parse(pair.first()))).as("symmetric")
                .isEqualTo(common);
    }

    @Property(tries = 300)
    void coveringImpliesOverlapping(@ForAll("patternPairs") Pair pair) {
        Permission a = Permission.parse(pair.first());
        Permission b = Permission.parse(pair.second());

        if (a.covers(b)) {
            assertThat(a.overlaps(b)).as(pair.toString()).isTrue();
        }
    }
}
