package dev.keygate.core.policy;

import dev.keygate.core.permission.Permission;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Policy} without conditions that evaluate: deny precedence, fail-closed rules, coverage and widening. */
class PolicyTest {

    /** Not an expression at all: a rule holding it can never be evaluated. */
    private static final String BROKEN = "this is not ( an expression";

    private static Grant allow(String permission) {
        return Grant.allow(Permission.parse(permission));
    }

    private static Grant deny(String permission) {
        return new Grant(Permission.parse(permission), Effect.DENY, null);
    }

    private static Grant allowIf(String permission, String condition) {
        return new Grant(Permission.parse(permission), Effect.ALLOW, condition);
    }

    private static Grant denyIf(String permission, String condition) {
        return new Grant(Permission.parse(permission), Effect.DENY, condition);
    }

    /** Two conditions that compile. */
    private static final String LIVE = "request.environment == 'live'";
    private static final String STAGING = "request.environment == 'staging'";

    private static Policy policy(Grant... grants) {
        return Policy.builder().add("r", List.of(grants)).build();
    }

    private static boolean permits(Policy policy, String permission) {
        return policy.permits(Permission.parse(permission), null, null);
    }

    @Test
    void denyWinsOverEveryAllowThatItOverlaps() {
        Policy p = Policy.builder().add("wide", List.of(allow("billing.*:*")))
                .add("guard", List.of(deny("billing.refunds:write"))).build();

        assertThat(p.simple()).isFalse();
        assertThat(permits(p, "billing.refunds:write")).isFalse();
        assertThat(permits(p, "billing.refunds:read")).isTrue();
        assertThat(permits(p, "billing.*:*")).as("overlaps the deny").isFalse();
        assertThat(permits(p, "billing.*:read")).isTrue();
        assertThat(permits(p, "orders.items:read")).isFalse();
    }

    @Test
    void simpleWhenOnlyUnconditionalAllows() {
        assertThat(policy(allow("a.b:c"), allow("a.*:d")).simple()).isTrue();
        assertThat(policy(allow("a.b:c"), allow("a.*:d")).allowed().covers(Permission.parse("a.x:d"))).isTrue();
        assertThat(Policy.empty().simple()).isTrue();
        assertThat(permits(Policy.empty(), "a.b:c")).isFalse();
    }

    @Test
    void conditionThatDoesNotCompileFailsClosed() {
        Policy guarded = policy(allow("a.*:*"), denyIf("a.secret:read", BROKEN));
        Policy gated = policy(allowIf("a.b:read", BROKEN));

        assertThat(permits(guarded, "a.secret:read")).as("a broken deny applies").isFalse();
        assertThat(permits(guarded, "a.open:read")).isTrue();
        assertThat(permits(gated, "a.b:read")).as("a broken allow does not").isFalse();
        assertThat(guarded.rules().get(1).compileError()).isNotBlank();
    }

    @Test
    void explainListsEveryMatchingRuleAndWhatDecided() {
        Policy p = Policy.builder().add("wide", List.of(allow("billing.*:*"), allow("orders.items:read")))
                .add("guard", List.of(deny("billing.refunds:*"), denyIf("billing.refunds:write", BROKEN))).build();

        Policy.Explanation refused = p.explain(Permission.parse("billing.refunds:write"), null, null);
        Policy.Explanation granted = p.explain(Permission.parse("billing.invoices:read"), null, null);
        Policy.Explanation nothing = p.explain(Permission.parse("crm.leads:read"), null, null);

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.decidedBy().role()).isEqualTo("guard");
        assertThat(refused.decidedBy().index()).isEqualTo(0);
        assertThat(refused.steps()).extracting(s -> s.rule().role() + "#" + s.rule().index() + " " + s.outcome())
                .containsExactly("wide#0 APPLIES", "guard#0 APPLIES", "guard#1 CONDITION_FAILED");
        assertThat(granted.allowed()).isTrue();
        assertThat(granted.decidedBy().grant()).isEqualTo(allow("billing.*:*"));
        assertThat(nothing.allowed()).isFalse();
        assertThat(nothing.decidedBy()).isNull();
        assertThat(nothing.steps()).isEmpty();
    }

    @Test
    void missingForRequiresEachAllowHeldAndTheCallersOverlappingDeniesCarried() {
        Policy caller = policy(allow("billing.*:*"), allowIf("crm.*:read", LIVE), deny("billing.refunds:write"));

        assertThat(caller.missingFor(List.of(allow("billing.invoices:read")))).isNull();
        assertThat(caller.missingFor(List.of(allow("orders.items:read")))).contains("orders.items:read");
        assertThat(caller.missingFor(List.of(allow("billing.refunds:*"))))
                .contains("without the deny of billing.refunds:write");
        assertThat(caller.missingFor(List.of(allow("billing.refunds:*"), deny("billing.refunds:*")))).isNull();
        assertThat(caller.missingFor(List.of(allow("billing.refunds:*"), denyIf("billing.refunds:*", STAGING))))
                .as("a conditional deny is weaker than the caller's unconditional one").isNotNull();
        assertThat(caller.missingFor(List.of(allowIf("crm.leads:read", LIVE)))).as("same condition").isNull();
        assertThat(caller.missingFor(List.of(allowIf("crm.leads:read", STAGING)))).contains("under the condition " + STAGING);
        assertThat(caller.missingFor(List.of(allow("crm.leads:read")))).as("unconditional needs unconditional")
                .isNotNull();
        assertThat(caller.missingFor(List.of(deny("anything.at:all")))).as("denies only narrow").isNull();
    }

    @Test
    void wideningNamesNewAllowsAndDroppedOrWeakenedDenies() {
        List<Grant> before = List.of(allow("a.*:read"), deny("a.secret:read"), allowIf("b.x:write", "c1"));

        assertThat(Policy.widening(before, before)).isEmpty();
        assertThat(Policy.widening(before, List.of(allow("a.x:read"), deny("a.*:read")))).isEmpty();
        assertThat(Policy.widening(before, List.of(allow("a.*:read")))).containsExactly("no longer deny a.secret:read");
        assertThat(Policy.widening(before, List.of(allow("a.*:*"), deny("a.secret:read"))))
                .containsExactly("allow a.*:*");
        assertThat(Policy.widening(before, List.of(allow("a.*:read"), deny("a.secret:read"), allow("b.x:write"))))
                .as("dropping a condition widens").containsExactly("allow b.x:write");
        assertThat(Policy.widening(before, List.of(allow("a.*:read"), denyIf("a.secret:read", "c2"))))
                .as("conditioning a deny widens").containsExactly("no longer deny a.secret:read");
    }
}
