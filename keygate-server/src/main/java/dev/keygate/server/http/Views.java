package dev.keygate.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.core.permission.Permission;
import dev.keygate.core.policy.Grant;
import dev.keygate.core.policy.Policy;
import dev.keygate.core.principal.Principal;
import dev.keygate.core.role.Role;
import dev.keygate.core.token.RateLimit;
import dev.keygate.core.token.Rotation;
import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenLimits;
import dev.keygate.core.token.Ttl;
import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.audit.AuditVerification;
import dev.keygate.server.policy.ExplainService;
import dev.keygate.server.policy.PolicyService;
import dev.keygate.server.role.RoleRequest;
import dev.keygate.server.token.TokenRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON shapes of the API's requests and responses (see docs/api.md). */
final class Views {

    private Views() {
    }

    /** Free-form metadata as compact JSON text for the services, or {@code null} when none (or JSON null) was sent. */
    static String metadataText(ObjectMapper mapper, JsonNode metadata) throws IOException {
        return metadata == null || metadata.isNull() ? null : mapper.writeValueAsString(metadata);
    }

    record RoleCreate(String name, String description, List<String> permissions,
                      List<RoleRequest.GrantRequest> grants, String maxTtl, List<String> environments) {
        RoleRequest request() {
            return new RoleRequest(name, description, permissions, grants, maxTtl, environments);
        }
    }

    record RoleUpdate(String description, List<String> permissions, List<RoleRequest.GrantRequest> grants,
                      String maxTtl, List<String> environments) {
        RoleRequest request() {
            return new RoleRequest(null, description, permissions, grants, maxTtl, environments);
        }
    }

    record PrincipalCreate(String name, String kind, String description, JsonNode metadata) {
    }

    record TokenCreate(String principal, List<String> roles, String name, String environment, String ttl,
                       String expiresAt, Boolean permanent, Boolean child, String rotateEvery, Long maxUses,
                       TokenRequest.Rate rateLimit, List<String> allowedCidrs, JsonNode metadata) {
    }

    record Revoke(String reason) {
    }

    record Rotate(String grace) {
    }

    record Disable(String reason) {
    }

    /** A body that may only be {@code {}} (or absent). */
    record Empty() {
    }

    record VerifyRequest(String token, String permission, String environment, Long cost, VerifyContext context) {
    }

    /** What the verifying service knows about the request it is deciding on. */
    record VerifyContext(String ip, Map<String, Object> resource) {
    }

    /** {@code POST /v1/explain}: the token by id or by secret, and the request as verify would get it. */
    record ExplainRequest(String tokenId, String token, String permission, String environment,
                          VerifyContext context) {
        ExplainService.Request request() {
            return new ExplainService.Request(tokenId, token, permission, environment,
                    context == null ? null : context.ip(), context == null ? null : context.resource());
        }
    }

    record ExplainView(String decision, String code, String tokenId, String principal, List<String> roles,
                       String environment, String reason, List<PermissionExplanation> permissions,
                       List<String> notes) {
        static ExplainView of(ExplainService.Result r) {
            var v = r.view();
            return new ExplainView(r.code().valid() && r.code().allowed() ? "allow" : "deny", r.code().name(),
                    v == null ? null : v.id(), v == null ? null : v.principal(), v == null ? null : v.roles(),
                    v == null ? null : v.environment(), r.reason(),
                    r.permissions().stream().map(PermissionExplanation::of).toList(), r.notes());
        }
    }

    /** One permission: whether it is granted, the rule that decided, and every rule that bears on it. */
    record PermissionExplanation(String permission, boolean allowed, RuleView decidedBy, List<RuleView> rules) {
        static PermissionExplanation of(ExplainService.PermissionResult p) {
            Policy.Explanation e = p.explanation();
            return new PermissionExplanation(p.permission().toString(), e.allowed(),
                    e.decidedBy() == null ? null : RuleView.of(e.decidedBy(), null),
                    e.steps().stream().map(s -> RuleView.of(s.rule(), s)).toList());
        }
    }

    /**
     * A grant of a role, and in an explanation's list how it came out.
     *
     * @param grant   its position among the role's grants (0-based)
     * @param outcome {@code applies}, {@code condition_false} or {@code condition_failed}; absent for the decider
     */
    record RuleView(String role, int grant, String effect, String permission, String condition, String outcome,
                    String error) {
        static RuleView of(Policy.Rule r, Policy.Step step) {
            return new RuleView(r.role(), r.index(), r.grant().effect().text(), r.grant().permission().toString(),
                    r.grant().condition(), step == null ? null : step.outcome().name().toLowerCase(Locale.ROOT),
                    step == null ? null : step.error());
        }
    }

    record Items<T>(List<T> items) {
    }

    record AuditPage(List<AuditEventView> items,
                     @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    }

    /** {@code permissions}: the unconditional allows; {@code grants}: everything, in order. */
    record RoleView(String name, String description, List<String> permissions, List<GrantView> grants,
                    String maxTtl, List<String> environments, Instant createdAt, Instant updatedAt) {
        static RoleView of(Role r) {
            return new RoleView(r.name(), r.description(), r.permissions().stream().map(Permission::toString).toList(),
                    r.grants().stream().map(GrantView::of).toList(),
                    r.maxTtl() == null ? null : Ttl.format(r.maxTtl()), r.environments(), r.createdAt(),
                    r.updatedAt());
        }
    }

    record GrantView(String permission, String effect, String condition) {
        static GrantView of(Grant g) {
            return new GrantView(g.permission().toString(), g.effect().text(), g.condition());
        }
    }

    record PrincipalView(String name, String kind, String description, JsonNode metadata, Instant createdAt,
                         boolean disabled, Instant disabledAt) {
        static PrincipalView of(Principal p, ObjectMapper mapper) {
            try {
                return new PrincipalView(p.name(), p.kind().apiName(), p.description(),
                        mapper.readTree(p.metadataJson()), p.createdAt(), p.disabled(), p.disabledAt());
            } catch (IOException e) {
                throw new UncheckedIOException("stored metadata of principal " + p.name() + " is not JSON", e);
            }
        }
    }

    /** A token; {@code expires_at} is absent for a permanent token, which {@code permanent} marks. */
    record TokenView(String id, String principal, List<String> roles, String environment, String name,
                     String status, Instant createdAt, String createdBy, Instant expiresAt, boolean permanent,
                     Instant revokedAt, String revokedBy, String revokeReason, Instant lastUsedAt, String lastUsedIp,
                     String parentId, String rotatedFrom, String rotatedTo, Instant rotationEndsAt, String rotateEvery,
                     Instant rotationDueAt, Long maxUses, Long remaining, RateLimitView rateLimit,
                     List<String> allowedCidrs, @JsonRawValue String metadata) {
        static TokenView of(Token t, Instant now) {
            Rotation r = t.rotation();
            TokenLimits l = t.limits();
            return new TokenView(t.id(), t.principal(), t.roles(), t.environment(), t.name(),
                    t.statusAt(now).apiName(), t.createdAt(), t.createdBy(), t.expiresAt(), t.permanent(),
                    t.revokedAt(), t.revokedBy(), t.revokeReason(), t.lastUsedAt(), t.lastUsedIp(), t.parentId(),
                    r.from(), r.to(), r.endsAt(), r.every() == null ? null : Ttl.format(r.every()),
                    t.rotationDueAt(), l.maxUses(), l.remaining(), RateLimitView.of(l.rateLimit()),
                    l.allowedNetworks() == null ? null
                    : l.allowedNetworks().cidrs().stream().map(Object::toString).toList(), t.metadataJson());
        }
    }

    /** The answer to a revocation: the token and how many tokens it revoked (it and its descendants). */
    record RevokedTokenView(@JsonUnwrapped TokenView token, int revokedCount) {
    }

    /** The answer to disabling a principal: the principal and how many tokens that revoked. */
    record DisabledPrincipalView(@JsonUnwrapped PrincipalView principal, int revokedCount) {
    }

    /** The only shape that ever holds a token's secret: the answer to its creation. */
    record CreatedTokenView(@JsonUnwrapped TokenView info, @JsonProperty("token") String secret) {
    }

    record VerifyView(boolean valid, boolean allowed, String code, String tokenId, String principal,
                      List<String> roles, List<String> permissions, String environment, Instant expiresAt,
                      Instant rotationEndsAt, Long remaining, RateLimitState rateLimit, Long retryAfter) {
    }

    /** A token's rate limit and how many more verifications its window allows now (on this node). */
    record RateLimitState(long limit, String window, long remaining) {
    }

    record RateLimitView(long limit, String window) {
        static RateLimitView of(RateLimit r) {
            return r == null ? null : new RateLimitView(r.limit(), Ttl.format(r.window()));
        }
    }

    /** An event; {@code chain}, {@code seq} and {@code hash} place it in its hash chain (docs/audit.md). */
    record AuditEventView(long id, Instant time, String action, String actorTokenId, String actorPrincipal,
                          String target, String permission, String decision, String code, String clientIp,
                          String requestIp, String userAgent, String detail, int count, List<Long> repeatOffsetsMs,
                          String chain, Long seq, String hash) {
        static AuditEventView of(AuditEvent e) {
            return new AuditEventView(e.id(), e.time(), e.action(), e.actorTokenId(), e.actorPrincipal(), e.target(),
                    e.permission(), e.decision(), e.code(), e.clientIp(), e.requestIp(), e.userAgent(), e.detail(),
                    e.count(), e.repeatOffsets(), e.chain() == null ? null : e.chain().apiName(), e.seq(), e.hash());
        }
    }

    /** {@code GET /v1/audit/verify}: whether the log is intact, chain by chain. */
    record AuditVerificationView(boolean intact, long unchainedEvents, List<ChainReportView> chains) {
        static AuditVerificationView of(AuditVerification v) {
            return new AuditVerificationView(v.intact(), v.unchainedEvents(),
                    v.chains().stream().map(ChainReportView::of).toList());
        }
    }

    record ChainReportView(String chain, boolean intact, long eventsChecked, Long firstSeq, Long lastSeq, long headSeq,
                           CheckpointView checkpoint, BreakView broken) {
        static ChainReportView of(AuditVerification.ChainReport r) {
            return new ChainReportView(r.chain().apiName(), r.intact(), r.eventsChecked(), r.firstSeq(), r.lastSeq(),
                    r.headSeq(), r.checkpoint() == null ? null : CheckpointView.of(r.checkpoint()),
                    r.broken() == null ? null : BreakView.of(r.broken()));
        }
    }

    /** @param signature {@code valid}, {@code invalid} or {@code unknown_key} */
    record CheckpointView(long seq, String hash, Instant time, Instant prunedBefore, String keyId, String signature) {
        static CheckpointView of(AuditVerification.CheckpointReport r) {
            var c = r.checkpoint();
            return new CheckpointView(c.seq(), c.hash(), c.time(), c.prunedBefore(), c.keyId(),
                    r.signature().apiName());
        }
    }

    record BreakView(String problem, String meaning, long seq, Long id, String detail) {
        static BreakView of(AuditVerification.Break b) {
            return new BreakView(b.problem().apiName(), b.problem().meaning(), b.seq(), b.id(), b.detail());
        }
    }

    /** A policy file ({@code GET /v1/policy}): the format's version and every role a file manages. */
    record PolicyFileView(int version, List<PolicyRoleView> roles) {
        static PolicyFileView of(List<Role> roles) {
            return new PolicyFileView(PolicyService.FILE_VERSION, roles.stream().map(PolicyRoleView::of).toList());
        }
    }

    /**
     * A role as a policy file writes it, in its one canonical form: the unconditional allows as
     * {@code permissions}, every other grant in {@code grants}, and fields at their defaults left out.
     */
    record PolicyRoleView(String name, String description, List<String> permissions, List<GrantView> grants,
                          String maxTtl, List<String> environments) {
        static PolicyRoleView of(Role r) {
            List<String> permissions = r.permissions().stream().map(Permission::toString).toList();
            List<GrantView> grants = r.grants().stream().filter(g -> !g.unconditionalAllow()).map(GrantView::of)
                    .toList();
            return new PolicyRoleView(r.name(), r.description().isEmpty() ? null : r.description(),
                    permissions.isEmpty() ? null : permissions, grants.isEmpty() ? null : grants,
                    r.maxTtl() == null ? null : Ttl.format(r.maxTtl()), r.environments());
        }
    }

    /** A plan, or what an application changed ({@code POST /v1/policy/plan}, {@code POST /v1/policy/apply}). */
    record PolicyPlanView(List<PolicyChangeView> changes, int unchanged) {
        /** @param applied whether the changes were made: a plan's {@code after} has no times yet */
        static PolicyPlanView of(PolicyService.Plan plan, boolean applied) {
            return new PolicyPlanView(plan.changes().stream().map(c -> PolicyChangeView.of(c, applied)).toList(),
                    plan.unchanged());
        }
    }

    record PolicyChangeView(String role, String action, List<String> changed, RoleView before, RoleView after,
                            int liveTokens, String blocked) {
        static PolicyChangeView of(PolicyService.Change c, boolean applied) {
            RoleView after = c.after() == null ? null : RoleView.of(c.after());
            if (after != null && !applied) {
                after = new RoleView(after.name(), after.description(), after.permissions(), after.grants(),
                        after.maxTtl(), after.environments(), null, null);
            }
            return new PolicyChangeView(c.role(), c.action().apiName(), c.changed(),
                    c.before() == null ? null : RoleView.of(c.before()), after, c.liveTokens(), c.blocked());
        }
    }
}
