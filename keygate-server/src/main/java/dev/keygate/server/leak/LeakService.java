package dev.keygate.server.leak;

import dev.keygate.core.error.FieldErrors;
import dev.keygate.core.error.UnauthenticatedException;
import dev.keygate.core.error.ValidationException;
import dev.keygate.core.token.Token;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.server.alert.Alert;
import dev.keygate.server.alert.AlertSink;
import dev.keygate.server.audit.AuditEvent;
import dev.keygate.server.audit.AuditStore;
import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.auth.Caller;
import dev.keygate.server.store.Database;
import dev.keygate.server.token.Revocations;
import dev.keygate.server.token.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Answers for leaked tokens. {@link #report} takes strings a secret scanner found in public (GitHub's
 * secret-scanning partner format) and revokes those that are tokens of this server, each with its descendants, a
 * {@code token.leaked} audit event and a {@link Alert#TOKEN_LEAKED} alert, in one transaction per token. Its answer
 * is the same whatever the strings were, so that it tells the reporter nothing. A report comes from a caller whose
 * bearer token holds {@code keygate.leaks:report}, or straight from GitHub's secret-scanning partner program, whose
 * signature {@link #authenticate} checks with the {@link LeakReportKeys}. {@link #lookup} finds tokens by the
 * SHA-256 of their secret, so that a scanner can name what it found without sending the secret anywhere.
 *
 * <p>Reported strings are hashed and dropped: they are never logged, stored or put in a message.
 */
public final class LeakService {

    /** The reason recorded on every token revoked as leaked. */
    public static final String REASON = "leaked";
    /** The audit action of a leak report that matched a token. */
    public static final String ACTION = "token.leaked";
    public static final int MAX_REPORTS = 100;
    public static final int MAX_TOKEN_LENGTH = 512;
    public static final int MAX_TYPE = 100;
    public static final int MAX_URL = 2048;
    public static final int MAX_SOURCE = 100;
    public static final int MAX_HASHES = 500;
    /**
     * The principal audit events name as the actor of a report GitHub signed. It holds no token: its events have no
     * actor token, the tokens it revokes no {@code revoked_by}, and their {@value #ACTION} event names the key.
     */
    public static final String GITHUB_PRINCIPAL = "github-secret-scanning";

    private static final Logger log = LoggerFactory.getLogger(LeakService.class);
    /** How often, at most, a report signed with a key the server does not know is logged (anyone can send one). */
    private static final long UNKNOWN_KEY_LOG_INTERVAL_MILLIS = 60_000;
    private static final Pattern KEY_ID = Pattern.compile("[0-9A-Za-z_-]{1,128}");

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    /** Anything shaped like a token, even cut short: a reporter's URL or type must not bring a secret into the log. */
    private static final Pattern SECRET = Pattern.compile("kg_[a-z0-9]{1,16}_[0-9A-Za-z]{16,}");

    private final Database db;
    private final TokenStore tokens;
    private final AuditStore audit;
    private final Revocations revocations;
    private final AlertSink alerts;
    private final LeakReportKeys keys;
    private final Clock clock;
    private final AtomicLong unknownKeyLogged = new AtomicLong(-UNKNOWN_KEY_LOG_INTERVAL_MILLIS);

    /**
     * @param keys the keys GitHub's signed reports are checked with; {@link LeakReportKeys#none()} refuses them all
     */
    public LeakService(Database db, TokenStore tokens, AuditStore audit, Revocations revocations, AlertSink alerts,
                       LeakReportKeys keys, Clock clock) {
        this.db = db;
        this.tokens = tokens;
        this.audit = audit;
        this.revocations = revocations;
        this.alerts = alerts;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * One reported string, as a secret-scanning partner sends it.
     *
     * @param token  the string found; maybe a token, maybe not
     * @param type   the reporter's name for the pattern that matched (e.g. {@code keygate_api_token})
     * @param url    where it was found, or {@code null}
     * @param source what kind of place that is ({@code content}, {@code commit}, {@code issue_comment}, ...), or
     *               {@code null}
     */
    public record Report(String token, String type, String url, String source) {
        /** Never shows the reported string. */
        @Override
        public String toString() {
            return "Report[token=***, type=" + type + ", url=" + url + ", source=" + source + "]";
        }
    }

    /** A token found by {@link #lookup}, with the hash it was asked for by. */
    public record Found(String hash, Token token) {
    }

    /**
     * GitHub's secret-scanning partner program, as the sender of one report whose signature {@link #authenticate}
     * checked; only this package makes one, so holding one proves the check was made.
     */
    public static final class SignedReporter {
        private final String keyId;
        private final String clientIp;
        private final String userAgent;

        private SignedReporter(String keyId, String clientIp, String userAgent) {
            this.keyId = keyId;
            this.clientIp = clientIp;
            this.userAgent = userAgent;
        }

        /** The identifier of the key that signed the report. */
        public String keyId() {
            return keyId;
        }

        AuditEvent.Actor actor() {
            return new AuditEvent.Actor(null, GITHUB_PRINCIPAL, clientIp, userAgent);
        }

        @Override
        public String toString() {
            return "SignedReporter[" + GITHUB_PRINCIPAL + ", key_identifier=" + keyId + "]";
        }
    }

    /**
     * Checks GitHub's signature of a report sent without a bearer token: {@code signature} (the
     * {@value LeakReportKeys#SIGNATURE_HEADER} header) over exactly {@code body}, the raw request body, with the key
     * {@code keyId} names (the {@value LeakReportKeys#KEY_ID_HEADER} header). A {@code null} header was not sent.
     *
     * @return the reporter to pass to {@link #report(SignedReporter, List)} with the reports read from {@code body}
     * @throws UnauthenticatedException naming what is wrong ({@link SignatureCheck#problem()}): a header missing, no
     *                                  keys configured, a key not known, a signature not base64 or not matching
     */
    public SignedReporter authenticate(String keyId, String signature, byte[] body, String clientIp,
                                       String userAgent) {
        SignatureCheck check = keys.check(keyId, signature, body);
        if (check == SignatureCheck.UNKNOWN_KEY) {
            warnOfUnknownKey(keyId);
        }
        if (check != SignatureCheck.VALID) {
            throw new UnauthenticatedException(check.problem());
        }
        return new SignedReporter(keyId, clientIp, userAgent);
    }

    /**
     * Handles reported strings: each one that is a well-formed token of this server is revoked (if it is not yet)
     * with its descendants and the tokens it replaced that are still in their grace period, as a revocation by id
     * would be, with reason {@value #REASON}, gets a {@value #ACTION} audit event and raises a
     * {@link Alert#TOKEN_LEAKED} alert, in one transaction per token (a token reported several times in one call
     * is handled once). Every string is hashed and looked up alike, whatever it is.
     *
     * @return how many reports were received: the whole answer, the same whether or not any was a token
     * @throws ValidationException naming each invalid field ({@code [2].token}); nothing was done then
     * @throws dev.keygate.core.error.ForbiddenException without {@code keygate.leaks:report}
     */
    public int report(Caller caller, List<Report> reports) {
        caller.require(AdminPermissions.LEAKS_REPORT);
        return report(caller.actor(), caller.token().id(), "", reports);
    }

    /**
     * As {@link #report(Caller, List)}, for reports GitHub signed: the actor of every event is
     * {@value #GITHUB_PRINCIPAL} (with no token), the tokens revoked have no {@code revoked_by}, and each
     * {@value #ACTION} event names the key that signed ({@code signature_key_id=...}).
     *
     * @param reporter what {@link #authenticate} returned for the body {@code reports} were read from
     * @throws ValidationException naming each invalid field ({@code [2].token}); nothing was done then
     */
    public int report(SignedReporter reporter, List<Report> reports) {
        return report(reporter.actor(), null, " signature_key_id=" + clean(reporter.keyId()), reports);
    }

    /** The reports of {@code actor}; {@code signed} ends each {@value #ACTION} event's detail (empty if unsigned). */
    private int report(AuditEvent.Actor actor, String revokedBy, String signed, List<Report> reports) {
        validate(reports);
        // Every string is hashed and looked up, so that what is a token takes no different path until it is found.
        List<String> hashes = new ArrayList<>(reports.size());
        Map<String, List<Report>> wellFormed = new LinkedHashMap<>();
        for (Report report : reports) {
            String hash = TokenFormat.hash(report.token());
            hashes.add(hash);
            if (TokenFormat.isWellFormed(report.token())) {
                wellFormed.computeIfAbsent(hash, h -> new ArrayList<>()).add(report);
            }
        }
        Map<String, Token> known = db.read(c -> tokens.findByHashes(c, hashes));
        Instant now = clock.instant();
        for (Map.Entry<String, List<Report>> e : wellFormed.entrySet()) {
            if (known.containsKey(e.getKey())) {
                revokeLeaked(actor, revokedBy, signed, e.getKey(), e.getValue(), now);
            }
        }
        return reports.size();
    }

    private void revokeLeaked(AuditEvent.Actor actor, String revokedBy, String signed, String hash,
                              List<Report> reports, Instant now) {
        List<String> revoked = db.inTransaction(c -> {
            Optional<Token> found = tokens.findByHash(c, hash);
            if (found.isEmpty()) {
                return List.<String>of();
            }
            Token token = found.get();
            // As POST /v1/tokens/{id}/revoke does: the tokens it replaced that still work in their grace go too.
            List<String> ids = revocations.revokeTrees(c, revocations.withPredecessorsInGrace(c, token, now), actor,
                    revokedBy, now, REASON, "ancestor=" + token.id(), AdminPermissions.LEAKS_REPORT, List.of());
            String where = describe(reports);
            String outcome = ids.contains(token.id())
                    ? "revoked it" + (ids.size() > 1 ? " and " + (ids.size() - 1) + " more (descendants, predecessors "
                    + "in their grace period)" : "")
                    : "it was revoked already" + (ids.isEmpty() ? "" : "; revoked " + ids.size() + " more");
            audit.append(c, List.of(AuditEvent.change(now, ACTION, actor, token.id(),
                    AdminPermissions.LEAKS_REPORT.toString(), where + " revoked=" + ids.size() + signed)));
            alerts.raise(c, new Alert(null, now, Alert.TOKEN_LEAKED, token.id(), token.principal(), null,
                    "token " + token.id() + " of " + token.principal() + " was reported leaked (" + where + "); "
                            + outcome));
            return ids;
        });
        revocations.invalidate(revoked);
    }

    /**
     * Tokens by the SHA-256 of their secret (64 lower-case hex digits, as {@link TokenFormat#hash} gives): the
     * hashes that match a token, in the order asked, each once. Hashes that match nothing are left out.
     *
     * @throws ValidationException naming each invalid hash ({@code hashes[3]}), or {@code hashes} when there are
     *                             none or more than {@value #MAX_HASHES}
     * @throws dev.keygate.core.error.ForbiddenException without {@code keygate.tokens:read}
     */
    public List<Found> lookup(Caller caller, List<String> hashes) {
        caller.require(AdminPermissions.TOKENS_READ);
        FieldErrors errors = new FieldErrors();
        if (hashes == null || hashes.isEmpty()) {
            errors.add("hashes", "must hold at least one SHA-256 hash");
        } else if (hashes.size() > MAX_HASHES) {
            errors.add("hashes", "must hold at most " + MAX_HASHES + " hashes; send more in several requests");
        } else {
            for (int i = 0; i < hashes.size(); i++) {
                String hash = hashes.get(i);
                if (hash == null || !SHA256_HEX.matcher(hash).matches()) {
                    errors.add("hashes[" + i + "]", "must be the SHA-256 of a token as 64 lower-case hex digits");
                }
            }
        }
        errors.throwIfAny();
        LinkedHashSet<String> distinct = new LinkedHashSet<>(hashes);
        Map<String, Token> found = db.read(c -> tokens.findByHashes(c, distinct));
        return distinct.stream().filter(found::containsKey).map(h -> new Found(h, found.get(h))).toList();
    }

    /**
     * Logs a report signed with a key the server does not know, at most once a minute: after GitHub rotates its
     * keys, every report it sends is refused until the operator gives the server the new file. Anyone can send such
     * a report, hence the bound; the identifier is shown only if it is shaped like one.
     */
    private void warnOfUnknownKey(String keyId) {
        long now = clock.millis();
        long last = unknownKeyLogged.get();
        if (now - last < UNKNOWN_KEY_LOG_INTERVAL_MILLIS || !unknownKeyLogged.compareAndSet(last, now)) {
            return;
        }
        log.warn("a leak report signed with key {} was refused: that key is not in --leak-report-keys ({} keys); if "
                + "GitHub published a new key, download {} again and restart", KEY_ID.matcher(keyId).matches()
                ? "'" + keyId + "'" : "(not a key identifier)", keys.size(), LeakReportKeys.GITHUB_KEYS_URL);
    }

    /** Now, by this service's clock. */
    public Instant now() {
        return clock.instant();
    }

    private static void validate(List<Report> reports) {
        FieldErrors errors = new FieldErrors();
        if (reports.isEmpty()) {
            errors.add("body", "must hold at least one report");
        } else if (reports.size() > MAX_REPORTS) {
            errors.add("body", "must hold at most " + MAX_REPORTS + " reports; send more in several requests");
        } else {
            for (int i = 0; i < reports.size(); i++) {
                Report r = reports.get(i);
                String at = "[" + i + "]";
                if (r == null) {
                    errors.add(at, "must be an object {token, type, url?, source?}");
                    continue;
                }
                if (r.token() == null || r.token().isEmpty()) {
                    errors.add(at + ".token", "is required");
                }
                errors.maxLength(at + ".token", r.token(), MAX_TOKEN_LENGTH);
                errors.required(at + ".type", r.type());
                errors.maxLength(at + ".type", r.type(), MAX_TYPE);
                errors.maxLength(at + ".url", r.url(), MAX_URL);
                errors.maxLength(at + ".source", r.source(), MAX_SOURCE);
            }
        }
        errors.throwIfAny();
    }

    /** Where and how a token was reported, for the audit log and the alert: never the reported string. */
    private static String describe(List<Report> reports) {
        Report first = reports.getFirst();
        StringBuilder sb = new StringBuilder("type=").append(clean(first.type()));
        if (first.source() != null) {
            sb.append(" source=").append(clean(first.source()));
        }
        if (first.url() != null) {
            sb.append(" url=").append(clean(first.url()));
        }
        if (reports.size() > 1) {
            sb.append(" reports=").append(reports.size());
        }
        return sb.toString();
    }

    /** Reporter-chosen text made safe to keep: anything token-shaped blanked, control characters and spaces as ?. */
    private static String clean(String text) {
        String redacted = SECRET.matcher(text).replaceAll("kg_***");
        StringBuilder sb = new StringBuilder(redacted.length());
        for (int i = 0; i < redacted.length(); i++) {
            char ch = redacted.charAt(i);
            sb.append(ch <= 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0) ? '?' : ch);
        }
        return sb.toString();
    }
}
