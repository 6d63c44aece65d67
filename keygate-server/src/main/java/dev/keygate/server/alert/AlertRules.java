package dev.keygate.server.alert;

import dev.keygate.core.token.Ttl;
import dev.keygate.core.verify.VerifyCode;
import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.audit.VerifyEventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The rules that watch verify events, run by the audit writer with each batch (never on the verify path):
 * <ul>
 *   <li>{@code failed_verifications_ip} / {@code _token}: {@link AlertConfig#failedThreshold()} failed
 *       verifications ({@link #FAILURES}) from one address or of one token within
 *       {@link AlertConfig#failedWindow()};</li>
 *   <li>{@code new_network}: a token used ({@link #USES}) from a /24 or /48 it was never seen from, except on its
 *       first use; the networks are kept in the store;</li>
 *   <li>{@code dead_token_use}: a revoked, expired or rotated-out token presented ({@link #DEAD});</li>
 *   <li>{@code usage_spike}: a token verified more this hour than {@link AlertConfig#spikeFactor()} times its
 *       hourly mean over the previous hours this node saw.</li>
 * </ul>
 * Only the rules {@link AlertConfig#rules()} holds run: one that is off neither raises alerts nor keeps its counts
 * (nor, for {@code new_network}, records networks). The address of an event is the one the caller stated
 * ({@code context.ip}), else the verifying client's. After a rule raises an alert about a subject it raises none
 * about the same one for {@link AlertConfig#cooldown()}, on any node (the suppression is kept in the store; ended
 * ones are deleted by {@link AlertRetention}).
 *
 * <p>Counting windows and hourly counts are this node's, in memory, bounded to {@value #MAX_SUBJECTS} subjects of
 * each kind (the least recently seen are forgotten). {@link #inTransaction} may run more than once for a batch,
 * so it works on copies of the windows it touches; {@link #committed} keeps them.
 */
final class AlertRules implements VerifyEventHandler {

    private static final Logger log = LoggerFactory.getLogger(AlertRules.class);

    /** How many addresses, tokens, token networks and suppressions each in-memory map holds at most. */
    static final int MAX_SUBJECTS = 100_000;
    /**
     * Codes that count as failed verifications: the token is unknown or dead, or presented where it may not be.
     * Not {@code FORBIDDEN} (a live token asking for a permission it lacks is a deployment mistake far more often
     * than an attack), nor {@code USAGE_EXCEEDED} and {@code RATE_LIMITED} (the token's own limits at work).
     */
    static final Set<VerifyCode> FAILURES = EnumSet.of(VerifyCode.NOT_FOUND, VerifyCode.EXPIRED, VerifyCode.REVOKED,
            VerifyCode.ROTATED, VerifyCode.ENVIRONMENT_MISMATCH, VerifyCode.IP_NOT_ALLOWED);
    /** Codes of a token that should not be in use any more: whoever presents it may have found it. */
    static final Set<VerifyCode> DEAD = EnumSet.of(VerifyCode.EXPIRED, VerifyCode.REVOKED, VerifyCode.ROTATED);
    /** Codes of a live token accepted from where it was presented: uses, for the network rule. */
    static final Set<VerifyCode> USES = EnumSet.of(VerifyCode.VALID, VerifyCode.FORBIDDEN, VerifyCode.USAGE_EXCEEDED,
            VerifyCode.RATE_LIMITED);

    private final AlertConfig config;
    private final AlertStore store;
    private final AlertSink sink;
    private final Runnable afterCommit;
    private final long windowMillis;
    private final long factorThousandths;
    // Which rules are on (--alert-rules): a rule that is off does none of its work, not only raises nothing.
    private final boolean failedIpOn;
    private final boolean failedTokenOn;
    private final boolean newNetworkOn;
    private final boolean deadTokenOn;
    private final boolean spikeOn;

    private final Lru<SlidingWindow> failuresByIp = new Lru<>();
    private final Lru<SlidingWindow> failuresByToken = new Lru<>();
    private final Lru<HourlyCounts> usage = new Lru<>();
    /** {@code tokenId + " " + network} pairs known to be in the store. */
    private final Lru<Boolean> knownNetworks = new Lru<>();
    /** {@code rule + " " + subject}: until when (epoch ms) the rule raises nothing about the subject. */
    private final Lru<Long> suppressedUntil = new Lru<>();
    private Pending pending;

    AlertRules(AlertConfig config, AlertStore store, AlertSink sink, Runnable afterCommit) {
        this.config = config;
        this.store = store;
        this.sink = sink;
        this.afterCommit = afterCommit;
        this.windowMillis = config.failedWindow().toMillis();
        this.factorThousandths = config.spikeFactor().multiply(BigDecimal.valueOf(1000)).longValueExact();
        this.failedIpOn = config.ruleOn(Alert.FAILED_VERIFICATIONS_IP);
        this.failedTokenOn = config.ruleOn(Alert.FAILED_VERIFICATIONS_TOKEN);
        this.newNetworkOn = config.ruleOn(Alert.NEW_NETWORK);
        this.deadTokenOn = config.ruleOn(Alert.DEAD_TOKEN_USE);
        this.spikeOn = config.ruleOn(Alert.USAGE_SPIKE);
    }

    @Override
    public void inTransaction(Connection c, List<AuditEvent> batch) throws SQLException {
        pending = null;
        if (config.rules().isEmpty()) {
            return;
        }
        Pending p = new Pending(batch);
        List<Candidate> candidates = new ArrayList<>();
        Map<String, NetworkUse> networkUses = new LinkedHashMap<>();
        for (AuditEvent e : batch) {
            VerifyCode code = "verify".equals(e.action()) ? code(e.code()) : null;
            if (code == null || e.time() == null) {
                continue;
            }
            long t = e.time().toEpochMilli();
            Networks.Address address = Networks.of(e.requestIp() != null ? e.requestIp() : e.clientIp());
            String ip = address == null ? null : address.text();
            String token = e.actorTokenId();
            if (FAILURES.contains(code)) {
                int n = config.failedThreshold();
                String window = Ttl.format(config.failedWindow());
                if (failedIpOn && ip != null
                        && p.window(failuresByIp, p.ipWindows, ip).add(t, windowMillis, n) >= n) {
                    candidate(p, candidates, Alert.FAILED_VERIFICATIONS_IP, ip, t, () -> new Alert(null, e.time(),
                            Alert.FAILED_VERIFICATIONS_IP, null, null, ip, n + " failed verifications from " + ip
                            + " within " + window + " (the last: " + code + ")"));
                }
                if (failedTokenOn && token != null
                        && p.window(failuresByToken, p.tokenWindows, token).add(t, windowMillis, n) >= n) {
                    candidate(p, candidates, Alert.FAILED_VERIFICATIONS_TOKEN, token, t, () -> new Alert(null,
                            e.time(), Alert.FAILED_VERIFICATIONS_TOKEN, token, e.actorPrincipal(), ip, n
                            + " failed verifications of " + token + " within " + window + " (the last: " + code
                            + (ip == null ? "" : ", from " + ip) + ")"));
                }
            }
            if (token == null) {
                continue;
            }
            if (deadTokenOn && DEAD.contains(code)) {
                String what = switch (code) {
                    case REVOKED -> "was revoked";
                    case EXPIRED -> "expired";
                    default -> "was rotated out";
                };
                candidate(p, candidates, Alert.DEAD_TOKEN_USE, token, t, () -> new Alert(null, e.time(),
                        Alert.DEAD_TOKEN_USE, token, e.actorPrincipal(), ip, token + " was presented after it " + what
                        + " (" + code + (ip == null ? "" : ", from " + ip) + "): whoever holds it may have found it"));
            }
            String network = newNetworkOn && USES.contains(code) && address != null ? address.network() : null;
            if (network != null) {
                String key = token + " " + network;
                if (!knownNetworks.contains(key)) {
                    networkUses.putIfAbsent(key, new NetworkUse(key, token, network, e, ip));
                }
            }
            if (spikeOn) {
                HourlyCounts hours = p.hours(usage, token, t);
                if (hours.add(t) && hours.isSpike(config.spikeMinCount(), config.spikeMinHistoryHours(),
                        factorThousandths)) {
                    candidate(p, candidates, Alert.USAGE_SPIKE, token, t, () -> new Alert(null, e.time(),
                            Alert.USAGE_SPIKE, token, e.actorPrincipal(), ip, token + " was verified "
                            + hours.current() + " times this hour, over " + config.spikeFactor().toPlainString()
                            + " times its mean of " + mean(hours) + " an hour over the previous " + hours.history()
                            + " hours"));
                }
            }
        }
        if (!candidates.isEmpty() || !networkUses.isEmpty()) {
            Savepoint savepoint = c.setSavepoint();
            try {
                p.raised = raise(c, p, candidates, networkUses);
                c.releaseSavepoint(savepoint);
            } catch (SQLException | RuntimeException ex) {
                // The batch's audit events must not be lost to a failure here: undo only the rules' writes.
                c.rollback(savepoint);
                p.networks.clear();
                p.suppressed.clear();
                p.raised = 0;
                log.error("alert rules failed on a batch of {} verify events; its alerts are lost", batch.size(), ex);
            }
        }
        pending = p;
    }

    /** Records new networks, applies suppressions and raises what is left; returns how many alerts were raised. */
    private int raise(Connection c, Pending p, List<Candidate> candidates, Map<String, NetworkUse> networkUses)
            throws SQLException {
        // Rows are written in key order, so that nodes writing the same rows lock them in the same order.
        List<NetworkUse> uses = new ArrayList<>(networkUses.values());
        uses.sort(Comparator.comparing(NetworkUse::key));
        List<NetworkUse> added = new ArrayList<>();
        for (NetworkUse u : uses) {
            if (store.rememberNetwork(c, u.token(), u.network(), u.event().time())) {
                added.add(u);
            }
            p.networks.add(u.key());
        }
        for (NetworkUse u : added) {
            if (store.seenElsewhereBefore(c, u.token(), u.network(), u.event().time())) {
                candidate(p, candidates, Alert.NEW_NETWORK, u.token(), u.event().time().toEpochMilli(),
                        () -> new Alert(null, u.event().time(), Alert.NEW_NETWORK, u.token(),
                                u.event().actorPrincipal(), u.ip(), u.token() + " was used from " + u.network() + " ("
                                + u.ip() + "), a network it was not seen from before"));
            }
        }
        Map<String, Candidate> first = new LinkedHashMap<>();
        for (Candidate candidate : candidates) {
            first.putIfAbsent(candidate.key(), candidate);
        }
        List<Candidate> ordered = new ArrayList<>(first.values());
        ordered.sort(Comparator.comparing(Candidate::key));
        List<Candidate> raised = new ArrayList<>();
        for (Candidate candidate : ordered) {
            Instant now = candidate.alert().time();
            Instant until = now.plus(config.cooldown());
            Instant inForce = store.suppress(c, candidate.rule(), candidate.subject(), now, until);
            p.suppressed.put(candidate.key(), (inForce == null ? until : inForce).toEpochMilli());
            if (inForce == null) {
                raised.add(candidate);
            }
        }
        raised.sort(Comparator.comparing(Candidate::millis));
        for (Candidate candidate : raised) {
            sink.raise(c, candidate.alert());
        }
        return raised.size();
    }

    @Override
    public void committed(List<AuditEvent> batch) {
        Pending p = pending;
        pending = null;
        if (p == null || p.batch != batch) {
            return;
        }
        p.ipWindows.forEach(failuresByIp::put);
        p.tokenWindows.forEach(failuresByToken::put);
        p.hours.forEach(usage::put);
        p.networks.forEach(k -> knownNetworks.put(k, Boolean.TRUE));
        p.suppressed.forEach(suppressedUntil::put);
        if (p.raised > 0) {
            afterCommit.run();
        }
    }

    /**
     * Adds the alert {@code alert} would be, unless this node knows {@code rule} to be suppressed for
     * {@code subject} at {@code millis} (the store has the last word, in {@link #raise}).
     */
    private void candidate(Pending p, List<Candidate> out, String rule, String subject, long millis,
                           Supplier<Alert> alert) {
        String key = rule + " " + subject;
        Long until = p.suppressed.containsKey(key) ? p.suppressed.get(key) : suppressedUntil.get(key);
        if (until == null || until <= millis) {
            out.add(new Candidate(rule, subject, alert.get()));
        }
    }

    private static VerifyCode code(String text) {
        try {
            return text == null ? null : VerifyCode.valueOf(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String mean(HourlyCounts hours) {
        BigDecimal mean = BigDecimal.valueOf(hours.previousSum())
                .divide(BigDecimal.valueOf(hours.history()), 1, java.math.RoundingMode.HALF_UP);
        return mean.stripTrailingZeros().toPlainString();
    }

    /** An alert a rule would raise, unless suppressed. */
    private record Candidate(String rule, String subject, Alert alert) {
        String key() {
            return rule + " " + subject;
        }

        long millis() {
            return alert.time().toEpochMilli();
        }
    }

    /** The first use in a batch of a token from a network not known to be in the store. */
    private record NetworkUse(String key, String token, String network, AuditEvent event, String ip) {
    }

    /** What a batch would change in memory, kept once it commits. */
    private static final class Pending {
        final List<AuditEvent> batch;
        final Map<String, SlidingWindow> ipWindows = new HashMap<>();
        final Map<String, SlidingWindow> tokenWindows = new HashMap<>();
        final Map<String, HourlyCounts> hours = new HashMap<>();
        final Set<String> networks = new HashSet<>();
        final Map<String, Long> suppressed = new HashMap<>();
        int raised;

        Pending(List<AuditEvent> batch) {
            this.batch = batch;
        }

        SlidingWindow window(Lru<SlidingWindow> committed, Map<String, SlidingWindow> copies, String key) {
            return copies.computeIfAbsent(key, k -> {
                SlidingWindow w = committed.get(k);
                return w == null ? new SlidingWindow() : w.copy();
            });
        }

        HourlyCounts hours(Lru<HourlyCounts> committed, String token, long millis) {
            return hours.computeIfAbsent(token, k -> {
                HourlyCounts h = committed.get(k);
                return h == null ? new HourlyCounts(millis) : h.copy();
            });
        }
    }

    /** A map that forgets its least recently used entries beyond {@value #MAX_SUBJECTS}. */
    private static final class Lru<V> {
        private final LinkedHashMap<String, V> map = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_SUBJECTS;
            }
        };

        V get(String key) {
            return map.get(key);
        }

        boolean contains(String key) {
            return map.containsKey(key);
        }

        void put(String key, V value) {
            map.put(key, value);
        }
    }
}
