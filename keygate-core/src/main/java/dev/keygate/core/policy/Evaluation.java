package dev.keygate.core.policy;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationListener;
import dev.cel.runtime.CelVariableResolver;

import java.util.Optional;

/**
 * One evaluation of one condition: it resolves the variables from the request and subject as CEL asks for
 * them (no map of variables is built), converts the resource on first use, and keeps the evaluation's budget.
 *
 * <p>The budget: CEL reports every sub-expression it evaluates to {@link #callback}, after evaluating it. Each
 * report is one step, and each value read or produced is charged its {@linkplain AttributeValues#weight
 * weight} in data units, as is each attribute when it is resolved; a call whose work is the product of its
 * operands' sizes ({@link StringCosts}) is charged that product. Since a sub-expression's work is bounded by the
 * sizes of its operands, all of which were charged before it ran, the whole evaluation stays within a constant
 * times the budget. Once a limit is passed, every further report and lookup throws, so that CEL's logical
 * operators, which absorb errors, cannot carry on. Not thread-safe: one per evaluation.
 */
final class Evaluation implements CelVariableResolver, CelEvaluationListener {

    private final RequestAttributes request;
    private final SubjectAttributes subject;
    private final StringCosts stringCosts;
    /** The length of the last string each expression evaluated to, when the condition has {@link StringCosts}. */
    private int[] lengths;
    private Object resource;
    private int steps;
    private long data;
    private EvaluationFailure exceeded;

    Evaluation(RequestAttributes request, SubjectAttributes subject, StringCosts stringCosts) {
        this.request = request;
        this.subject = subject;
        this.stringCosts = stringCosts;
    }

    @Override
    public Optional<Object> find(String name) {
        if (exceeded != null) {
            throw exceeded;
        }
        Object value = switch (name) {
            case "request.ip" -> request.ip();
            case "request.time" -> request.time();
            case "request.environment" -> request.environment();
            case "resource" -> resource();
            case "token.id" -> subject.tokenId;
            case "token.metadata" -> subject.tokenMetadata;
            case "token.environment" -> subject.tokenEnvironment;
            case "token.created_at" -> subject.tokenCreatedAt;
            case "principal.name" -> subject.principalName;
            case "principal.kind" -> subject.principalKind;
            case "principal.metadata" -> subject.principalMetadata;
            default -> null;
        };
        if (value == null) {
            return Optional.empty();
        }
        charge(AttributeValues.weight(value));
        return Optional.of(value);
    }

    private Object resource() {
        if (resource == null) {
            try {
                resource = AttributeValues.convertMap(request.resource(), "resource");
            } catch (IllegalArgumentException e) {
                throw new EvaluationFailure(e.getMessage());
            }
        }
        return resource;
    }

    @Override
    public void callback(CelExpr expr, Object value) {
        if (exceeded != null) {
            throw exceeded;
        }
        if (++steps > Conditions.MAX_STEPS) {
            throw exceed("evaluation took more than " + Conditions.MAX_STEPS + " steps");
        }
        charge(AttributeValues.weight(value, Conditions.MAX_DATA - data));
        if (stringCosts != null && value instanceof String s) {
            chargeProduct((int) expr.id(), s);
        }
    }

    private void chargeProduct(int id, String value) {
        if (lengths == null) {
            lengths = new int[stringCosts.size()];
        }
        if (id < lengths.length) {
            lengths[id] = value.length();
            int receiver = stringCosts.receiverOf(id);
            if (receiver >= 0) {
                charge(lengths[receiver] * stringCosts.factor(id, value));
            }
        }
    }

    private void charge(long units) {
        data += units;
        if (data > Conditions.MAX_DATA) {
            throw exceed("evaluation read or built more than " + Conditions.MAX_DATA + " units of data");
        }
    }

    private EvaluationFailure exceed(String message) {
        exceeded = new EvaluationFailure(message);
        return exceeded;
    }
}
