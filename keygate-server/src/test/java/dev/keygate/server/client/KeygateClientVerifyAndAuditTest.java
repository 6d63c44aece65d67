package dev.keygate.server.client;

import dev.keygate.client.AuditEvent;
import dev.keygate.client.AuditPage;
import dev.keygate.client.AuditQuery;
import dev.keygate.client.AuditVerification;
import dev.keygate.client.CreateTokenRequest;
import dev.keygate.client.CreatedToken;
import dev.keygate.client.KeygateApiException;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.VerifyResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java client's verify, audit and health calls against a real server: every verify code the server can
 * produce, the audit log's filters and paging, and the fields of an audit event as the client reads them.
 */
class KeygateClientVerifyAndAuditTest extends ClientEndToEndTest {

    // ---- verify --------------------------------------------------------------------------------------------

    @Test
    void verifyWhenPermissionGrantedThenValidWithTheTokensDescription() {
        CreatedToken t = tokenWith("verify-valid", "billing.invoices:read", "billing.refunds:read");

        VerifyResult r = admin.verify(t.secret(), "billing.invoices:read", "live");

        assertThat(r).isEqualTo(new VerifyResult(true, true, "VALID", t.id(), t.token().principal(),
                t.token().roles(), List.of("billing.invoices:read", "billing.refunds:read"), "live",
                t.token().expiresAt(), null, null, null));
    }

    @Test
    void verifyWhenNoPermissionOrEnvironmentAskedThenValid() {
        CreatedToken t = tokenWith("verify-bare", "a:read");

        VerifyResult r = admin.verify(t.secret(), null, null);

        assertThat(r.valid()).isTrue();
        assertThat(r.allowed()).isTrue();
        assertThat(r.code()).isEqualTo("VALID");
        assertThat(r.tokenId()).isEqualTo(t.id());
    }

    @Test
    void verifyWhenPermissionNotGrantedThenForbiddenButValidWithTheTokensDescription() {
        CreatedToken t = tokenWith("verify-forbidden", "billing.invoices:read");

        VerifyResult r = admin.verify(t.secret(), "billing.invoices:write", null);

        assertThat(r).isEqualTo(new VerifyResult(true, false, "FORBIDDEN", t.id(), t.token().principal(),
                t.token().roles(), List.of("billing.invoices:read"), "live", t.token().expiresAt(), null, null,
                null));
    }

    @Test
    void verifyWhenClockPastExpiryThenExpiredWithoutDetails() {
        String name = unique("verify-expired");
        admin.createPrincipal(name, "service", null, null);
        admin.createRole(name, null, List.of("a:read"));
        CreatedToken t = admin.createToken(CreateTokenRequest.builder().principal(name).role(name).ttl("1h").build());
        assertThat(admin.verify(t.secret(), "a:read", null).code()).isEqualTo("VALID");

        server.clock().advance(Duration.ofHours(1).plusSeconds(1));

        assertNothingDisclosed(admin.verify(t.secret(), "a:read", null), "EXPIRED");
        assertThat(admin.getToken(t.id()).status()).isEqualTo("expired");
    }

    @Test
    void verifyWhenRevokedThenRevokedWithoutDetails() {
        CreatedToken t = tokenWith("verify-revoked", "a:read");
        admin.revokeToken(t.id(), null);

        assertNothingDisclosed(admin.verify(t.secret(), "a:read", "live"), "REVOKED");
    }

    @Test
    void verifyWhenEnvironmentDiffersThenEnvironmentMismatchWithoutDetails() {
        String name = unique("verify-env");
        admin.createPrincipal(name, "service", null, null);
        admin.createRole(name, null, List.of("a:read"));
        CreatedToken t = admin.createToken(
                CreateTokenRequest.builder().principal(name).role(name).environment("staging").build());

        assertNothingDisclosed(admin.verify(t.secret(), "a:read", "live"), "ENVIRONMENT_MISMATCH");
        assertThat(admin.verify(t.secret(), "a:read", "staging").code()).isEqualTo("VALID");
    }

    @Test
    void verifyWhenTokenUnknownOrMalformedThenNotFoundWithoutDetails() {
        String unknown = "kg_live_" + "A".repeat(36);

        assertNothingDisclosed(admin.verify(unknown, "a:read", null), "NOT_FOUND");
        assertNothingDisclosed(admin.verify("kg_live_nope", null, null), "NOT_FOUND");
        assertNothingDisclosed(admin.verify("hello", null, null), "NOT_FOUND");
    }

    @Test
    void verifyWhenClientHasNoAdminTokenThenStillAnswers() {
        CreatedToken t = tokenWith("verify-anonymous", "a:read");
        try (KeygateClient anonymous = client(null)) {

            assertThat(anonymous.verify(t.secret(), "a:read", "live").code()).isEqualTo("VALID");
            assertThat(anonymous.verify(t.secret(), "a:write", "live").code()).isEqualTo("FORBIDDEN");
        }
    }

    // ---- audit ---------------------------------------------------------------------------------------------

    @Test
    void auditWhenFilteredByActorTokenAndActionThenReturnsTheEventWithEveryField() {
        CreatedToken revoker = tokenWith("audit-revoker", "keygate.tokens:revoke");
        CreatedToken victim = tokenWith("audit-victim", "a:read");
        server.clock().advance(Duration.ofSeconds(1));
        Instant when = now();
        try (KeygateClient asRevoker = client(revoker.secret())) {
            asRevoker.revokeToken(victim.id(), "rotated by test");
        }

        AuditPage page = admin.audit(AuditQuery.builder().tokenId(revoker.id()).action("token.revoke").build());

        assertThat(page.hasNext()).isFalse();
        assertThat(page.items()).singleElement().satisfies(e -> {
            assertThat(e.id()).isPositive();
            assertThat(e.seq()).isPositive();
            assertThat(e.hash()).matches("[0-9a-f]{64}");
            assertThat(e).isEqualTo(new AuditEvent(e.id(), when, "token.revoke", revoker.id(),
                    revoker.token().principal(), victim.id(), "keygate.tokens:revoke", "allow", "OK", "127.0.0.1",
                    "keygate-client/" + KeygateClient.VERSION, "reason=rotated by test", null, "admin", e.seq(),
                    e.hash()));
        });
    }

    @Test
    void auditWhenVerifyDeniedThenEventCarriesThePermissionAskedAndTheCode() {
        CreatedToken t = tokenWith("audit-deny", "a:read");
        admin.verify(t.secret(), "a:write", null);
        server.flushAudit();

        AuditPage page = admin.audit(AuditQuery.builder().tokenId(t.id()).action("verify").build());

        assertThat(page.items()).singleElement().satisfies(e -> {
            assertThat(e.target()).isEqualTo(t.id());
            assertThat(e.actorPrincipal()).isEqualTo(t.token().principal());
            assertThat(e.permission()).isEqualTo("a:write");
            assertThat(e.decision()).isEqualTo("deny");
            assertThat(e.code()).isEqualTo("FORBIDDEN");
        });
    }

    @Test
    void auditWhenMoreEventsThanTheLimitThenCursorWalksEveryPageNewestFirst() {
        CreatedToken t = tokenWith("audit-paging", "a:read");
        for (int i = 0; i < 5; i++) {
            admin.verify(t.secret(), "a:read", null);
            server.clock().advance(Duration.ofMillis(10));
            server.flushAudit(); // one batch each: in one batch the five would be one event that happened 5 times
        }
        AuditQuery.Builder query = AuditQuery.builder().tokenId(t.id()).action("verify").limit(2);

        List<AuditPage> pages = new ArrayList<>();
        AuditPage page = admin.audit(query.build());
        pages.add(page);
        while (page.hasNext()) {
            page = admin.audit(query.cursor(page.nextCursor()).build());
            pages.add(page);
        }

        assertThat(pages).extracting(p -> p.items().size()).containsExactly(2, 2, 1);
        assertThat(pages).extracting(AuditPage::hasNext).containsExactly(true, true, false);
        List<AuditEvent> walked = pages.stream().flatMap(p -> p.items().stream()).toList();
        List<AuditEvent> inOnePage = admin.audit(AuditQuery.builder().tokenId(t.id()).action("verify").build()).items();
        assertThat(walked).isEqualTo(inOnePage);
        assertThat(walked).extracting(AuditEvent::id).isSortedAccordingTo((a, b) -> Long.compare(b, a))
                .doesNotHaveDuplicates();
        assertThat(walked).extracting(AuditEvent::time).isSortedAccordingTo((a, b) -> b.compareTo(a));
    }

    @Test
    void auditWhenSinceAndPrincipalGivenThenReturnsOnlyThatPrincipalsLaterEvents() {
        CreatedToken t = tokenWith("audit-since", "a:read");
        admin.verify(t.secret(), "a:read", null);
        server.clock().advance(Duration.ofMinutes(1));
        Instant since = now();
        admin.verify(t.secret(), "a:write", null);
        server.flushAudit();

        AuditPage page = admin.audit(AuditQuery.builder().principal(t.token().principal()).since(since).build());

        assertThat(page.items()).singleElement().satisfies(e -> {
            assertThat(e.time()).isEqualTo(since);
            assertThat(e.code()).isEqualTo("FORBIDDEN");
        });
    }

    @Test
    void auditWhenNoQueryThenReturnsTheNewestEventsOfEveryKind() {
        String role = unique("audit-all");
        admin.createRole(role, null, List.of("a:read"));

        AuditPage all = admin.audit(null);

        assertThat(all.items()).isNotEmpty().hasSizeLessThanOrEqualTo(100);
        assertThat(all.items().getFirst().action()).isEqualTo("role.create");
        assertThat(all.items().getFirst().target()).isEqualTo(role);
    }

    @Test
    void auditWhenDecisionUntilAndOldestOrderGivenThenTheServerAppliesEach() {
        CreatedToken t = tokenWith("audit-filters", "a:read");
        Instant since = now();
        admin.verify(t.secret(), "a:write", null);
        admin.verify(t.secret(), "a:read", null);
        admin.verify(t.secret(), "a:delete", null);
        server.flushAudit();
        server.clock().advance(Duration.ofMinutes(1));
        Instant until = now();
        admin.verify(t.secret(), "a:update", null);
        server.flushAudit();

        AuditPage page = admin.audit(AuditQuery.builder().tokenId(t.id()).decision("deny").since(since).until(until)
                .order(AuditQuery.Order.OLDEST).limit(1).build());
        AuditPage next = admin.audit(AuditQuery.builder().tokenId(t.id()).decision("deny").since(since).until(until)
                .order(AuditQuery.Order.OLDEST).limit(1).cursor(page.nextCursor()).build());

        assertThat(page.items()).extracting(AuditEvent::permission).containsExactly("a:write");
        assertThat(next.items()).extracting(AuditEvent::permission).containsExactly("a:delete");
        assertThat(next.hasNext()).isFalse();
        assertThat(next.items().getFirst().chain()).isEqualTo("verify");
        assertThat(next.items().getFirst().seq()).isGreaterThan(page.items().getFirst().seq());
    }

    @Test
    void auditWhenDecisionInvalidThenKeygateApiException400NamingIt() {
        assertThatThrownBy(() -> admin.audit(AuditQuery.builder().decision("maybe").build()))
                .isInstanceOfSatisfying(KeygateApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).extracting(f -> f.field()).containsExactly("decision");
                });
    }

    @Test
    void verifyAuditWhenLogUntouchedThenEveryChainIsIntact() {
        CreatedToken t = tokenWith("audit-verify", "a:read");
        admin.verify(t.secret(), "a:read", null);
        server.flushAudit();

        AuditVerification v = admin.verifyAudit();

        assertThat(v.intact()).isTrue();
        assertThat(v.unchainedEvents()).isZero();
        assertThat(v.chains()).extracting(AuditVerification.ChainReport::chain).containsExactly("admin", "verify");
        assertThat(v.chains()).allSatisfy(c -> {
            assertThat(c.intact()).isTrue();
            assertThat(c.broken()).isNull();
            assertThat(c.eventsChecked()).isPositive();
            assertThat(c.firstSeq()).isEqualTo(1);
            assertThat(c.lastSeq()).isEqualTo(c.eventsChecked());
        });
    }

    @Test
    void verifyAuditWhenCallerLacksAuditReadThenKeygateApiException403() {
        CreatedToken t = tokenWith("audit-verify-noperm", "a:read");
        try (KeygateClient asToken = client(t.secret())) {

            assertThatThrownBy(asToken::verifyAudit).isInstanceOfSatisfying(KeygateApiException.class,
                    e -> assertThat(e.status()).isEqualTo(403));
        }
    }

    // ---- health --------------------------------------------------------------------------------------------

    @Test
    void healthWhenServerIsUpThenOkWithoutAnAdminToken() {
        try (KeygateClient anonymous = client(null)) {

            assertThat(anonymous.health()).isEqualTo("ok");
        }
    }

    private static void assertNothingDisclosed(VerifyResult r, String code) {
        assertThat(r).isEqualTo(new VerifyResult(false, false, code, null, null, null, null, null, null, null, null,
                null));
    }
}
