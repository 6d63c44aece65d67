package dev.keygate.core.policy;

import dev.keygate.core.permission.Permission;
import dev.keygate.core.permission.PermissionSet;

import java.util.ArrayList;
import java.util.List;

/**
 * The grants of a token's roles, compiled for the verify path. A permission is granted when no deny that matches
 * it applies and some allow that covers it applies:
 * <ul>
 *   <li>a deny <em>matches</em> when its pattern overlaps the permission asked (a deny of
 *       {@code billing.refunds:write} refuses a request for {@code billing.*:*}); an allow matches when its
 *       pattern covers the permission asked;</li>
 *   <li>a grant <em>applies</em> when it has no condition or its condition evaluates to true. Conditions fail
 *       closed: a deny whose condition cannot be evaluated (an attribute is missing, a value has the wrong type, a
 *       limit is hit) or no longer compiles applies; such an allow does not.</li>
 * </ul>
 * A token whose roles hold only unconditional allows has a <em>simple</em> policy: deciding is one
 * {@link PermissionSet#covers} and needs no request attributes.
 *
 * <p>Immutable and thread-safe.
 */
public final class Policy {

    /**
     * One grant of one role, compiled.
     *
     * @param role         the role that holds it
     * @param index        its position among the role's grants (0-based)
     * @param grant        the grant
     * @param condition    its compiled condition, or {@code null} when it has none or it did not compile
     * @param compileError why its condition did not compile, or {@code null}
     */
    public record Rule(String role, int index, Grant grant, Condition condition, String compileError) {

        /** Whether this grant's pattern matches {@code asked} (overlap for a deny, cover for an allow). */
        public boolean matches(Permission asked) {
            return grant.effect() == Effect.DENY ? grant.permission().overlaps(asked) : grant.permission().covers(asked);
        }
    }

    /** How one matching rule came out when a decision was explained. */
    public enum Outcome {
        /** It has no condition, or its condition held. */
        APPLIES,
        /** Its condition evaluated to false. */
        CONDITION_FALSE,
        /** Its condition could not be evaluated or compiled: a deny then applies, an allow does not. */
        CONDITION_FAILED
    }

    /**
     * One matching rule in an explanation.
     *
     * @param error why the condition failed, for {@link Outcome#CONDITION_FAILED}, else {@code null}
     */
    public record Step(Rule rule, Outcome outcome, String error) {

        /** Whether the rule took part in the decision: it applied, or it is a deny that failed closed. */
        public boolean effective() {
            return outcome == Outcome.APPLIES
                    || (outcome == Outcome.CONDITION_FAILED && rule.grant().effect() == Effect.DENY);
        }
    }

    /**
     * A decision and why.
     *
     * @param allowed   whether the permission is granted
     * @param decidedBy the deny that refused it or the allow that granted it, or {@code null} when nothing
     *                  granted it
     * @param steps     every rule that matches the permission, in the order of the token's roles and their grants
     */
    public record Explanation(boolean allowed, Rule decidedBy, List<Step> steps) {
    }

    private static final Policy EMPTY = new Policy(List.of());

    private final List<Rule> rules;
    private final PermissionSet allowed;
    private final Rule[] conditionalAllows;
    private final Rule[] denies;

    private Policy(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        List<Permission> unconditional = new ArrayList<>();
        List<Rule> conditional = new ArrayList<>();
        List<Rule> deny = new ArrayList<>();
        for (Rule r : this.rules) {
            if (r.grant().effect() == Effect.DENY) {
                deny.add(r);
            } else if (r.grant().condition() == null) {
                unconditional.add(r.grant().permission());
            } else {
                conditional.add(r);
            }
        }
        this.allowed = PermissionSet.of(unconditional);
        this.conditionalAllows = conditional.toArray(new Rule[0]);
        this.denies = deny.toArray(new Rule[0]);
    }

    public static Policy empty() {
        return EMPTY;
    }

    /** A policy of unconditional allows only. */
    public static Policy allowing(List<Permission> permissions) {
        Builder b = builder();
        b.add("", permissions.stream().map(Grant::allow).toList());
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the grants of a token's roles, in order, compiling their conditions. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a role's grants. A condition that does not compile is kept as a rule that fails closed: roles are
         * checked when saved, so this only happens when the condition language changed underneath a stored role.
         */
        public Builder add(String role, List<Grant> grants) {
            for (int i = 0; i < grants.size(); i++) {
                Grant g = grants.get(i);
                Condition condition = null;
                String error = null;
                if (g.condition() != null) {
                    try {
                        condition = Conditions.compile(g.condition());
                    } catch (InvalidConditionException e) {
                        error = e.getMessage();
                    }
                }
                rules.add(new Rule(role, i, g, condition, error));
            }
            return this;
        }

        public Policy build() {
            return rules.isEmpty() ? EMPTY : new Policy(rules);
        }
    }

    /** The unconditional allows: all a simple policy grants, and the least any policy grants but for denies. */
    public PermissionSet allowed() {
        return allowed;
    }

    /** Every rule, in the order of the roles and their grants. */
    public List<Rule> rules() {
        return rules;
    }

    /** Whether the policy holds only unconditional allows, so that no request attributes are needed. */
    public boolean simple() {
        return denies.length == 0 && conditionalAllows.length == 0;
    }

    /**
     * Whether {@code asked} is granted. For a {@link #simple()} policy the attributes are not read and may be
     * {@code null}.
     */
    public boolean permits(Permission asked, RequestAttributes request, SubjectAttributes subject) {
        for (Rule d : denies) {
            if (d.grant().permission().overlaps(asked) && applies(d, request, subject, true)) {
                return false;
            }
        }
        if (allowed.covers(asked)) {
            return true;
        }
        for (Rule a : conditionalAllows) {
            if (a.grant().permission().covers(asked) && applies(a, request, subject, false)) {
                return true;
            }
        }
        return false;
    }

    private static boolean applies(Rule rule, RequestAttributes request, SubjectAttributes subject,
                                   boolean onFailure) {
        if (rule.condition() == null) {
            return rule.compileError() == null || onFailure;
        }
        try {
            return rule.condition().test(request, subject);
        } catch (ConditionException e) {
            return onFailure;
        }
    }

    /**
     * Decides like {@link #permits} and says why: every matching rule is evaluated (none is skipped because the
     * decision is already known), so that the answer shows all that bears on it.
     */
    public Explanation explain(Permission asked, RequestAttributes request, SubjectAttributes subject) {
        List<Step> steps = new ArrayList<>();
        Rule deniedBy = null;
        Rule allowedBy = null;
        for (Rule r : rules) {
            if (!r.matches(asked)) {
                continue;
            }
            Step step = evaluate(r, request, subject);
            steps.add(step);
            if (step.effective()) {
                if (r.grant().effect() == Effect.DENY) {
                    deniedBy = deniedBy == null ? r : deniedBy;
                } else {
                    allowedBy = allowedBy == null ? r : allowedBy;
                }
            }
        }
        boolean allowed = deniedBy == null && allowedBy != null;
        return new Explanation(allowed, deniedBy != null ? deniedBy : allowedBy, List.copyOf(steps));
    }

    private static Step evaluate(Rule rule, RequestAttributes request, SubjectAttributes subject) {
        if (rule.compileError() != null) {
            return new Step(rule, Outcome.CONDITION_FAILED, "the condition does not compile: " + rule.compileError());
        }
        if (rule.condition() == null) {
            return new Step(rule, Outcome.APPLIES, null);
        }
        try {
            return new Step(rule, rule.condition().test(request, subject) ? Outcome.APPLIES : Outcome.CONDITION_FALSE,
                    null);
        } catch (ConditionException e) {
            return new Step(rule, Outcome.CONDITION_FAILED, e.getMessage());
        }
    }

    /**
     * What a holder of this policy lacks to hand out {@code wanted} (all the grants of the roles a new token would
     * hold), or {@code null} when it lacks nothing. Nobody can mint a token stronger than their own, so every
     * allow wanted must be covered by an allow held here with no condition or the same one, and every deny held
     * here that overlaps an allow wanted must come along: the new token must hold a deny at least as strong.
     * Denies wanted only narrow the new token and need nothing.
     */
    public String missingFor(List<Grant> wanted) {
        return missingFor(wanted, wanted);
    }

    /**
     * Like {@link #missingFor(List)} for the allows of {@code wanted}, where the new token would hold all of
     * {@code alongside} (which includes {@code wanted}): its denies may come from any of its roles.
     */
    public String missingFor(List<Grant> wanted, List<Grant> alongside) {
        for (Grant g : wanted) {
            if (g.effect() != Effect.ALLOW) {
                continue;
            }
            boolean held = false;
            for (Rule r : rules) {
                if (r.compileError() == null && r.grant().coversAllow(g)) {
                    held = true;
                    break;
                }
            }
            if (!held) {
                return g.permission() + (g.condition() == null ? "" : " under the condition " + g.condition());
            }
            for (Rule d : denies) {
                if (d.grant().permission().overlaps(g.permission())
                        && alongside.stream().noneMatch(w -> w.coversDeny(d.grant()))) {
                    return g.permission() + " without the deny of " + d.grant().permission()
                            + (d.grant().condition() == null ? "" : " under the condition " + d.grant().condition())
                            + " (role '" + d.role() + "')";
                }
            }
        }
        return null;
    }

    /**
     * The ways {@code after} grants more than {@code before}, as text (empty when it does not): an allow that no
     * allow of {@code before} covers with no condition or the same one, or a deny of {@code before} that no deny of
     * {@code after} matches as strongly.
     */
    public static List<String> widening(List<Grant> before, List<Grant> after) {
        List<String> wider = new ArrayList<>();
        for (Grant g : after) {
            if (g.effect() == Effect.ALLOW && before.stream().noneMatch(b -> b.coversAllow(g))) {
                wider.add(g.toString());
            }
        }
        for (Grant d : before) {
            if (d.effect() == Effect.DENY && after.stream().noneMatch(a -> a.coversDeny(d))) {
                wider.add("no longer " + d);
            }
        }
        return wider;
    }

    @Override
    public String toString() {
        return rules.stream().map(r -> r.grant().toString()).toList().toString();
    }
}
