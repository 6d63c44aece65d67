package dev.keygate.server.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifications that are the same in everything but their time and reach the {@link AuditWriter} in one batch are
 * recorded as one event that says how many times it happened and when each time was: {@code time} is the first
 * occurrence, {@link AuditEvent#repeats} the others as milliseconds after it. Nothing is lost (every occurrence keeps
 * its millisecond, and the hash covers them all), while a hot token verified thousands of times a second for the
 * same permission from the same address costs the store one row per batch instead of one per request: the row
 * insert (with its indexes) is most of what recording a verification costs.
 *
 * <p>The events' order in the batch is kept: a collapsed event stands where its first occurrence was.
 */
final class Repeats {

    private Repeats() {
    }

    /** What must be equal for two verify events to be one event happening twice: every field but the time. */
    private record Key(String action, String actorTokenId, String actorPrincipal, String target, String permission,
                       String decision, String code, String clientIp, String userAgent, String detail,
                       String requestIp) {
        static Key of(AuditEvent e) {
            return new Key(e.action(), e.actorTokenId(), e.actorPrincipal(), e.target(), e.permission(),
                    e.decision(), e.code(), e.clientIp(), e.userAgent(), e.detail(), e.requestIp());
        }
    }

    /**
     * {@code batch} with the verify events that differ only in time collapsed into one event each; every other
     * event (and every verify event that happened once) as it was.
     */
    static List<AuditEvent> collapse(List<AuditEvent> batch) {
        if (batch.size() < 2) {
            return batch;
        }
        Map<Object, List<AuditEvent>> groups = new LinkedHashMap<>();
        for (AuditEvent e : batch) {
            boolean collapsible = AuditChain.VERIFY_ACTION.equals(e.action()) && e.repeats() == null && e.id() == null;
            groups.computeIfAbsent(collapsible ? Key.of(e) : new Object(), k -> new ArrayList<>(1)).add(e);
        }
        if (groups.size() == batch.size()) {
            return batch;
        }
        List<AuditEvent> events = new ArrayList<>(groups.size());
        for (List<AuditEvent> group : groups.values()) {
            events.add(group.size() == 1 ? group.getFirst() : collapsed(group));
        }
        return events;
    }

    private static AuditEvent collapsed(List<AuditEvent> group) {
        long[] times = new long[group.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = group.get(i).time().toEpochMilli();
        }
        // Threads queue events a little out of time order: the first occurrence is the earliest.
        Arrays.sort(times);
        StringBuilder repeats = new StringBuilder(times.length * 2);
        for (int i = 1; i < times.length; i++) {
            if (i > 1) {
                repeats.append(',');
            }
            repeats.append(times[i] - times[0]);
        }
        AuditEvent e = group.getFirst();
        return new AuditEvent(null, Instant.ofEpochMilli(times[0]), e.action(), e.actorTokenId(),
                e.actorPrincipal(), e.target(), e.permission(), e.decision(), e.code(), e.clientIp(), e.userAgent(),
                e.detail(), e.requestIp(), repeats.toString(), null, null, null);
    }

    /** How many times an event with these {@code repeats} happened: 1 without, else 1 plus the offsets listed. */
    static int count(String repeats) {
        if (repeats == null) {
            return 1;
        }
        int count = 2;
        for (int i = 0; i < repeats.length(); i++) {
            if (repeats.charAt(i) == ',') {
                count++;
            }
        }
        return count;
    }

    /**
     * The offsets (milliseconds after the event's time) of the occurrences after the first, or {@code null} when the
     * event happened once or its stored {@code repeats} is not a list of numbers (a row edited in the store: the
     * chain verification reports it).
     */
    static List<Long> offsets(String repeats) {
        if (repeats == null) {
            return null;
        }
        String[] parts = repeats.split(",", -1);
        List<Long> offsets = new ArrayList<>(parts.length);
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 18 || !p.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                return null;
            }
            offsets.add(Long.parseLong(p));
        }
        return offsets;
    }
}
