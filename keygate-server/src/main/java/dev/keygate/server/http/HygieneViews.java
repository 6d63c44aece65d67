package dev.keygate.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.keygate.server.hygiene.HygieneReport;

import java.time.Instant;
import java.util.List;

/** The JSON shape of the hygiene report (see docs/usage-and-hygiene.md). */
final class HygieneViews {

    private HygieneViews() {
    }

    record ReportView(Instant generatedAt, int days, Instant usageSince, int activeTokens, List<TokenView> unused,
                      List<TokenView> neverUsed, List<OverScopedView> overScoped,
                      List<NotEnoughHistoryView> notEnoughHistory, List<TokenView> permanent,
                      List<TokenView> expiringSoon, List<TokenView> rotationOverdue,
                      List<WritableView> writableWithoutIpBinding) {
        static ReportView of(HygieneReport r) {
            return new ReportView(r.generatedAt(), r.days(), r.usageSince(), r.activeTokens(), tokens(r.unused()),
                    tokens(r.neverUsed()), r.overScoped().stream().map(OverScopedView::of).toList(),
                    r.notEnoughHistory().stream().map(n -> new NotEnoughHistoryView(TokenView.of(n.token()),
                            n.historySince())).toList(),
                    tokens(r.permanent()), tokens(r.expiringSoon()), tokens(r.rotationOverdue()),
                    r.writableWithoutIpBinding().stream().map(w -> new WritableView(TokenView.of(w.token()),
                            w.writePermissions())).toList());
        }

        private static List<TokenView> tokens(List<HygieneReport.TokenSummary> tokens) {
            return tokens.stream().map(TokenView::of).toList();
        }
    }

    /** A token in the report: {@code expires_at} is absent for a permanent one, which {@code permanent} marks. */
    record TokenView(String id, String principal, String name, List<String> roles, String environment,
                     Instant createdAt, Instant expiresAt, boolean permanent, Instant lastUsedAt,
                     Instant rotationDueAt) {
        static TokenView of(HygieneReport.TokenSummary t) {
            return new TokenView(t.id(), t.principal(), t.name(), t.roles(), t.environment(), t.createdAt(),
                    t.expiresAt(), t.expiresAt() == null, t.lastUsedAt(), t.rotationDueAt());
        }
    }

    record OverScopedView(@JsonUnwrapped TokenView token, Instant historySince, List<String> exercised,
                          List<String> unexercised, List<BroaderView> broaderThanUsed, SuggestionView suggestion) {
        static OverScopedView of(HygieneReport.OverScoped o) {
            HygieneReport.Suggestion s = o.suggestion();
            return new OverScopedView(TokenView.of(o.token()), o.historySince(), o.exercised(), o.unexercised(),
                    o.broader().stream().map(b -> new BroaderView(b.grant(), b.used())).toList(),
                    new SuggestionView(s.permissions(), s.role(), s.roleExact(), s.newRole() == null ? null
                            : new NewRoleView(s.newRole().name(), s.newRole().permissions()),
                            s.revoke() ? Boolean.TRUE : null));
        }
    }

    record BroaderView(String grant, List<String> used) {
    }

    /** {@code revoke} is present (and {@code true}) only when the token used none of its permissions. */
    record SuggestionView(@JsonInclude(JsonInclude.Include.ALWAYS) List<String> permissions, String role,
                          Boolean roleExact, NewRoleView newRole, Boolean revoke) {
    }

    record NewRoleView(String name, List<String> permissions) {
    }

    record NotEnoughHistoryView(@JsonUnwrapped TokenView token, Instant historySince) {
    }

    record WritableView(@JsonUnwrapped TokenView token, List<String> writePermissions) {
    }
}
