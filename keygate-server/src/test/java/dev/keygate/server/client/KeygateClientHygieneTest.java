package dev.keygate.server.client;

import dev.keygate.client.CreateTokenRequest;
import dev.keygate.client.CreatedToken;
import dev.keygate.client.HygieneReport;
import dev.keygate.client.KeygateApiException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Java client's {@code hygieneReport} against a real server: the typed sections and suggestion, errors. */
class KeygateClientHygieneTest extends ClientEndToEndTest {

    @Test
    void hygieneReportWhenWildcardUsedNarrowlyThenOverScopedWithANewRoleSuggestion() {
        Instant t = server.clock().instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1))
                .plus(Duration.ofHours(1));
        server.clock().set(t);
        String principal = principal("client-hyg");
        String p = principal.replace('-', '_');
        String role = role("client-hyg", p + ".files:*");
        CreatedToken token = admin.createToken(CreateTokenRequest.builder().principal(principal).role(role)
                .ttl("30d").build());
        server.clock().set(t.plus(Duration.ofDays(2)));
        admin.verify(token.secret(), p + ".files:read", null);
        server.flushAudit();
        server.clock().set(t.plus(Duration.ofDays(3)).plus(Duration.ofHours(1)));

        HygieneReport report = admin.hygieneReport(3);

        assertThat(report.days()).isEqualTo(3);
        assertThat(report.usageSince()).isEqualTo(t.minus(Duration.ofHours(1)));
        HygieneReport.OverScoped o = report.overScoped().stream().filter(e -> e.id().equals(token.id())).findFirst()
                .orElseThrow();
        assertThat(o.principal()).isEqualTo(principal);
        assertThat(o.roles()).containsExactly(role);
        assertThat(o.historySince()).isEqualTo(t);
        assertThat(o.lastUsedAt()).isEqualTo(t.plus(Duration.ofDays(2)));
        assertThat(o.exercised()).containsExactly(p + ".files:read");
        assertThat(o.unexercised()).isEmpty();
        assertThat(o.broaderThanUsed()).containsExactly(new HygieneReport.Broader(p + ".files:*",
                List.of(p + ".files:read")));
        assertThat(o.suggestion()).isEqualTo(new HygieneReport.Suggestion(List.of(p + ".files:read"), null, null,
                new HygieneReport.NewRole(principal + "-least-privilege", List.of(p + ".files:read")), null));
        assertThat(report.writableWithoutIpBinding()).anySatisfy(w -> {
            assertThat(w.id()).isEqualTo(token.id());
            assertThat(w.writePermissions()).containsExactly(p + ".files:*");
        });
        assertThat(admin.hygieneReport().days()).isEqualTo(30);
    }

    @Test
    void hygieneReportWhenDaysOutOfRangeThen400() {
        assertThatThrownBy(() -> admin.hygieneReport(0))
                .isInstanceOfSatisfying(KeygateApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).anySatisfy(f -> assertThat(f.field()).isEqualTo("days"));
                });
    }
}
