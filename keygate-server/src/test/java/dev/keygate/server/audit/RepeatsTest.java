package dev.keygate.server.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatsTest {

    private static final long T = 1_764_700_000_000L;

    @Test
    void collapseWhenVerificationsDifferOnlyInTimeThenOneEventWithEveryTimeFromTheEarliest() {
        List<AuditEvent> batch = List.of(verify(T + 5, "a:read", "10.0.0.1"), verify(T + 3, "a:read", "10.0.0.1"),
                verify(T + 3, "a:read", "10.0.0.1"), verify(T + 20, "a:read", "10.0.0.1"));

        List<AuditEvent> rows = Repeats.collapse(batch);

        assertThat(rows).hasSize(1);
        AuditEvent e = rows.getFirst();
        assertThat(e.time()).isEqualTo(Instant.ofEpochMilli(T + 3));
        assertThat(e.repeats()).isEqualTo("0,2,17");
        assertThat(e.count()).isEqualTo(4);
        assertThat(e.repeatOffsets()).containsExactly(0L, 2L, 17L);
        assertThat(e).usingRecursiveComparison().ignoringFields("time", "repeats")
                .isEqualTo(batch.getFirst());
    }

    @Test
    void collapseWhenAnyOtherFieldDiffersThenSeparateEventsInTheBatchOrder() {
        AuditEvent base = verify(T, "a:read", "10.0.0.1");
        List<AuditEvent> batch = new ArrayList<>();
        batch.add(base);
        batch.add(with(base, 3, "tok_other"));
        batch.add(with(base, 4, "other-svc"));
        batch.add(with(base, 5, "tok_target"));
        batch.add(verify(T, "a:write", "10.0.0.1"));
        batch.add(with(base, 7, "deny"));
        batch.add(with(base, 8, "FORBIDDEN"));
        batch.add(with(base, 9, "192.0.2.1"));
        batch.add(with(base, 10, "other-agent"));
        batch.add(with(base, 11, "a note"));
        batch.add(verify(T, "a:read", "10.0.0.2"));
        batch.add(verify(T + 1, "a:read", "10.0.0.1")); // same as the first: joins it

        List<AuditEvent> rows = Repeats.collapse(batch);

        assertThat(rows).hasSize(11);
        assertThat(rows.getFirst().count()).isEqualTo(2);
        assertThat(rows.subList(1, 11)).containsExactlyElementsOf(batch.subList(1, 11));
    }

    @Test
    void collapseWhenNotVerifyEventsThenEachStaysAlone() {
        AuditEvent change = AuditEvent.change(Instant.ofEpochMilli(T), "role.create",
                new AuditEvent.Actor("tok_a", "admin", "10.0.0.1", "ua"), "reader", "keygate.roles:write", null);

        assertThat(Repeats.collapse(List.of(change, change, change))).hasSize(3);
    }

    @Test
    void countAndOffsetsWhenStoredTextThenParsedOrNullWhenEdited() {
        assertThat(Repeats.count(null)).isEqualTo(1);
        assertThat(Repeats.count("0")).isEqualTo(2);
        assertThat(Repeats.count("0,0,12")).isEqualTo(4);
        assertThat(Repeats.offsets(null)).isNull();
        assertThat(Repeats.offsets("0,0,12")).containsExactly(0L, 0L, 12L);
        assertThat(Repeats.offsets("0,,1")).isNull();
        assertThat(Repeats.offsets("-1")).isNull();
        assertThat(Repeats.offsets("1e3")).isNull();
        assertThat(Repeats.offsets("9".repeat(40))).isNull();
    }

    private static AuditEvent verify(long millis, String permission, String requestIp) {
        return new AuditEvent(null, Instant.ofEpochMilli(millis), "verify", "tok_a", "svc", "tok_a", permission,
                "allow", "VALID", "127.0.0.1", "ua", null, requestIp);
    }

    /** {@code e} with field {@code index} (of the 13-argument constructor, 0-based) set to {@code value}. */
    private static AuditEvent with(AuditEvent e, int index, String value) {
        String[] f = {e.actorTokenId(), e.actorPrincipal(), e.target(), e.permission(), e.decision(), e.code(),
                e.clientIp(), e.userAgent(), e.detail(), e.requestIp()};
        f[index - 3] = value;
        return new AuditEvent(null, e.time(), e.action(), f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]);
    }
}
