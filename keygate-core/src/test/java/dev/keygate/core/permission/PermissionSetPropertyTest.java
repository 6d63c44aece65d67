package dev.keygate.core.permission;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.LinkedHashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PermissionSet} is the union of its grants: its fast path for concrete grants changes nothing. */
class PermissionSetPropertyTest {

    @Provide
    Arbitrary<List<Permission>> grants() {
        return Arbitraries.oneOf(PermissionArbitraries.patterns(), PermissionArbitraries.concretes())
                .map(Permission::parse)
                .list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<Permission> requests() {
        return Arbitraries.oneOf(PermissionArbitraries.patterns(), PermissionArbitraries.concretes())
                .map(Permission::parse);
    }

    @Property
    void coversWhenAnyRequestThenSameAsSomeGrantCoveringIt(@ForAll("grants") List<Permission> grants,
                                                           @ForAll("requests") Permission requested) {
        boolean expected = grants.stream().anyMatch(g -> g.covers(requested));

        Statistics.label("covered").collect(expected)
                .coverage(c -> {
                    c.check(true).percentage(p -> p > 10);
                    c.check(false).percentage(p -> p > 10);
                });
        assertThat(PermissionSet.of(grants).covers(requested)).as("%s covers %s", grants, requested)
                .isEqualTo(expected);
    }

    @Property
    void coversAllWhenAnyRequestsThenSameAsEachCovered(@ForAll("grants") List<Permission> grants,
                                                       @ForAll("grants") List<Permission> requested) {
        PermissionSet set = PermissionSet.of(grants);

        assertThat(set.coversAll(requested)).isEqualTo(requested.stream().allMatch(set::covers));
    }

    @Property
    void ofWhenAnyGrantsThenDistinctInFirstOrder(@ForAll("grants") List<Permission> grants) {
        assertThat(PermissionSet.of(grants).permissions()).containsExactlyElementsOf(new LinkedHashSet<>(grants));
    }
}
