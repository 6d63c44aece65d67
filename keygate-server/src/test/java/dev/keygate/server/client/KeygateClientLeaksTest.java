package dev.keygate.server.client;

import dev.keygate.client.AlertQuery;
import dev.keygate.client.CreatedToken;
import dev.keygate.client.FieldError;
import dev.keygate.client.KeygateApiException;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.LeakReport;
import dev.keygate.client.TokenInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java client's {@code reportLeaks} ({@code POST /v1/leaks}) against a real server: a reported token is revoked
 * as leaked and alerted, the answer is only the count received, bad reports are a 400 naming each field (and
 * revoke nothing), and the call needs {@code keygate.leaks:report}.
 */
class KeygateClientLeaksTest extends ClientEndToEndTest {

    private static final String URL = "https://github.com/octo/app/blob/4b5d1c2/config/prod.yml";

    @Test
    void reportLeaksWhenAReporterNamesALiveTokenThenItIsRevokedAsLeakedAndAlertedAndOnlyTheCountIsAnswered() {
        CreatedToken leaked = tokenWith("leak-client", "a:read");
        CreatedToken reporter = tokenWith("leak-reporter", "keygate.leaks:report");

        int received;
        try (KeygateClient scanner = client(reporter.secret())) {
            received = scanner.reportLeaks(List.of(
                    new LeakReport(leaked.secret(), "keygate_api_token", URL, "content"),
                    new LeakReport("not a token at all", "keygate_api_token")));
        }

        assertThat(received).isEqualTo(2);
        server.flushAudit();
        TokenInfo token = admin.getToken(leaked.id());
        assertThat(token.status()).isEqualTo("revoked");
        assertThat(token.revokeReason()).isEqualTo("leaked");
        assertThat(token.revokedBy()).isEqualTo(reporter.id());
        assertThat(admin.verify(leaked.secret(), "a:read", null).code()).isEqualTo("REVOKED");
        assertThat(admin.alerts(AlertQuery.builder().tokenId(leaked.id()).rule("token_leaked").build()).items())
                .singleElement().satisfies(a -> assertThat(a.principal()).isEqualTo(leaked.token().principal()));
    }

    @Test
    void reportLeaksWhenReportsAreInvalidThen400NamingEachFieldAndNothingIsRevoked() {
        CreatedToken kept = tokenWith("leak-invalid", "a:read");

        assertThatThrownBy(() -> admin.reportLeaks(List.of(new LeakReport(kept.secret(), "keygate_api_token"),
                new LeakReport("", "keygate_api_token"), new LeakReport("kg_x", ""))))
                .isInstanceOfSatisfying(KeygateApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).extracting(FieldError::field).containsExactly("[1].token", "[2].type");
                    assertThat(e.getMessage()).doesNotContain(kept.secret());
                });
        assertThatThrownBy(() -> admin.reportLeaks(List.of()))
                .isInstanceOfSatisfying(KeygateApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).extracting(FieldError::field).containsExactly("body");
                });
        assertThat(admin.getToken(kept.id()).status()).isEqualTo("active");
    }

    @Test
    void reportLeaksWhenTheCallerLacksLeaksReportThen403AndTheTokenStaysLive() {
        CreatedToken target = tokenWith("leak-forbidden", "a:read");
        CreatedToken caller = tokenWith("leak-no-permission", "a:read");

        try (KeygateClient client = client(caller.secret())) {
            assertThatThrownBy(() -> client.reportLeaks(List.of(new LeakReport(target.secret(), "keygate_api_token"))))
                    .isInstanceOfSatisfying(KeygateApiException.class, e -> assertThat(e.status()).isEqualTo(403));
        }
        assertThat(admin.getToken(target.id()).status()).isEqualTo("active");
    }

    @Test
    void leakReportWhenPrintedThenTheReportedStringIsHidden() {
        CreatedToken t = tokenWith("leak-print", "a:read");

        LeakReport report = new LeakReport(t.secret(), "keygate_api_token", URL, "content");

        assertThat(report.toString()).doesNotContain(t.secret()).contains("token=***", URL);
        assertThatThrownBy(() -> new LeakReport(null, "keygate_api_token")).isInstanceOf(NullPointerException.class);
    }
}
