package dev.keygate.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Predicate;

/**
 * A client of Keygate's HTTP API ({@code docs/api.md}, v1). Immutable and safe to share between threads; build one
 * with {@link #builder()} and reuse it.
 *
 * <p>Every method throws {@link KeygateApiException} when the server refuses the request (a problem document,
 * with its status and code) and {@link KeygateClientException} when no usable answer came back. Admin methods
 * need the admin token given to {@link Builder#token(String)} and throw {@link IllegalStateException} without one;
 * {@link #verify} and {@link #health()} do not send it.
 *
 * <pre>{@code
 * try (KeygateClient keygate = KeygateClient.builder()
 *         .baseUri(URI.create("http://127.0.0.1:8080"))
 *         .token(System.getenv("KEYGATE_TOKEN"))
 *         .build()) {
 *     VerifyResult r = keygate.verify(incomingToken, "billing.invoices:read", "live");
 *     if (!r.allowed()) { ... }
 * }
 * }</pre>
 */
public final class KeygateClient implements AutoCloseable {

    /** This client's version. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    private final URI baseUri;
    private final HttpTransport transport;
    private final ObjectMapper mapper;

    private KeygateClient(URI baseUri, HttpTransport transport) {
        this.baseUri = baseUri;
        this.transport = transport;
        this.mapper = transport.mapper();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server's base URI, as given to the builder. */
    public URI baseUri() {
        return baseUri;
    }

    // Roles

    /**
     * Creates a role of unconditional allows ({@code POST /v1/roles}); for denies and conditions, see
     * {@link #createRole(RoleRequest)}.
     *
     * @param description the description, or {@code null} for none
     * @throws KeygateApiException 409 {@code conflict} if it exists, 400 if a field is invalid
     */
    public Role createRole(String name, String description, List<String> permissions) {
        return createRole(name, description, permissions, null);
    }

    /**
     * Creates a role whose tokens live at most {@code maxTtl} ({@code POST /v1/roles}).
     *
     * @param maxTtl the longest lifetime of a token holding the role ({@code 30m}, {@code 24h}, {@code 7d}), or
     *               {@code null} for only the server's maximum
     * @throws KeygateApiException 400 naming each invalid field; 409 if the role exists
     */
    public Role createRole(String name, String description, List<String> permissions, String maxTtl) {
        return createRole(name, description, permissions, maxTtl, null);
    }

    /**
     * Creates a role whose tokens live at most {@code maxTtl} and may be only for {@code environments}
     * ({@code POST /v1/roles}). A token can then hold the role only in one of those environments.
     *
     * @param maxTtl       as for {@link #createRole(String, String, List, String)}
     * @param environments 1 to 20 environments ({@code staging}, {@code dev}), {@link Role#ALL_ENVIRONMENTS}, or
     *                     {@code null}, for all
     * @throws KeygateApiException 400 naming each invalid field; 409 if the role exists
     */
    public Role createRole(String name, String description, List<String> permissions, String maxTtl,
                           List<String> environments) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(permissions, "permissions");
        return createRole(RoleRequest.builder().name(name).description(description).permissions(permissions)
                .maxTtl(maxTtl).environments(environments).build());
    }

    /** All roles, sorted by name ({@code GET /v1/roles}). */
    public List<Role> listRoles() {
        return items("/v1/roles", Role.class);
    }

    /**
     * One role ({@code GET /v1/roles/{name}}).
     *
     * @throws KeygateApiException 404 {@code not_found} if there is none of that name
     */
    public Role getRole(String name) {
        return send("GET", "/v1/roles/" + segment(name, "name"), null, true, type(Role.class));
    }

    /**
     * Replaces a role's permissions and, if given, its description ({@code PUT /v1/roles/{name}}). The permissions
     * replace all of the role's grants, its denies and conditional grants included; to keep or change those, use
     * {@link #updateRole(String, RoleRequest)}. Narrowing a role takes effect on the next verification of every
     * token holding it.
     *
     * @param description the new description, or {@code null} to keep the current one
     * @throws KeygateApiException 404 if it does not exist; 409 {@code conflict} if live tokens hold it and the
     *                             change would widen it (add a permission the old ones do not cover)
     */
    public Role updateRole(String name, String description, List<String> permissions) {
        return updateRole(name, description, permissions, null);
    }

    /**
     * Replaces a role's permissions and, if given, its description and {@code max_ttl}
     * ({@code PUT /v1/roles/{name}}).
     *
     * @param maxTtl the new longest lifetime of a token holding the role ({@code 30m}, {@code 24h}, {@code 7d}),
     *               {@link Role#NO_MAX_TTL} to remove the cap, or {@code null} to keep the current one
     * @throws KeygateApiException as {@link #updateRole(String, String, List)}; 400 if {@code maxTtl} is invalid
     */
    public Role updateRole(String name, String description, List<String> permissions, String maxTtl) {
        return updateRole(name, description, permissions, maxTtl, null);
    }

    /**
     * Replaces a role's permissions and, if given, its description, {@code max_ttl} and environments
     * ({@code PUT /v1/roles/{name}}).
     *
     * @param maxTtl       as for {@link #updateRole(String, String, List, String)}
     * @param environments the environments a token holding the role may be for from now on,
     *                     {@link Role#ALL_ENVIRONMENTS} for all, or {@code null} to keep the current ones
     * @throws KeygateApiException as {@link #updateRole(String, String, List)}; 400 if a field is invalid; 409
     *                             {@code conflict} also if live tokens hold the role in an environment the new ones
     *                             exclude
     */
    public Role updateRole(String name, String description, List<String> permissions, String maxTtl,
                           List<String> environments) {
        Objects.requireNonNull(permissions, "permissions");
        return updateRole(name, RoleRequest.builder().description(description).permissions(permissions)
                .maxTtl(maxTtl).environments(environments).build());
    }

    /**
     * Deletes a role ({@code DELETE /v1/roles/{name}}).
     *
     * @throws KeygateApiException 404 if it does not exist; 409 {@code conflict} while live tokens hold it
     */
    public void deleteRole(String name) {
        send("DELETE", "/v1/roles/" + segment(name, "name"), null, true, null);
    }

    // Principals

    /**
     * Creates a principal ({@code POST /v1/principals}).
     *
     * @param kind        {@code service}, {@code integration} or {@code user}
     * @param description the description, or {@code null} for none
     * @param metadata    a JSON object as plain Java values (at most 4 KiB serialized), or {@code null} for none
     * @throws KeygateApiException 409 {@code conflict} if it exists, 400 if a field is invalid
     */
    public Principal createPrincipal(String name, String kind, String description, Map<String, Object> metadata) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        return send("POST", "/v1/principals", new PrincipalBody(name, kind, description, metadata), true,
                type(Principal.class));
    }

    /** All principals, sorted by name ({@code GET /v1/principals}). */
    public List<Principal> listPrincipals() {
        return items("/v1/principals", Principal.class);
    }

    /**
     * One principal ({@code GET /v1/principals/{name}}).
     *
     * @throws KeygateApiException 404 {@code not_found} if there is none of that name
     */
    public Principal getPrincipal(String name) {
        return send("GET", "/v1/principals/" + segment(name, "name"), null, true, type(Principal.class));
    }

    /**
     * Disables a principal ({@code POST /v1/principals/{name}/disable}): revokes its live tokens and their
     * descendants at once, and refuses it new tokens until {@link #enablePrincipal(String) enabled}. Disabling a
     * disabled principal revokes nothing more.
     *
     * @param reason why, kept as each revoked token's reason and in the audit log, or {@code null}
     * @return the principal and how many tokens this call revoked
     * @throws KeygateApiException 404 {@code not_found} if there is none of that name
     */
    public DisabledPrincipal disablePrincipal(String name, String reason) {
        Split<Principal> answer = split("/v1/principals/" + segment(name, "name") + "/disable",
                new ReasonBody(reason), "revoked_count", JsonNode::isInt, Principal.class);
        return new DisabledPrincipal(answer.rest(), answer.field().intValue());
    }

    /**
     * Enables a principal again ({@code POST /v1/principals/{name}/enable}): it may be given tokens again; the
     * tokens revoked when it was disabled stay revoked. Enabling an enabled principal changes nothing.
     *
     * @throws KeygateApiException 404 {@code not_found} if there is none of that name
     */
    public Principal enablePrincipal(String name) {
        return send("POST", "/v1/principals/" + segment(name, "name") + "/enable", null, true,
                type(Principal.class));
    }

    // Tokens

    /**
     * Creates a token ({@code POST /v1/tokens}). The returned secret is shown this once: the server keeps only
     * its hash.
     *
     * @throws KeygateApiException 400 if a field is invalid or the lifetime exceeds the server's cap; 403
     *                             {@code forbidden} if the caller may not grant one of the roles; 409
     *                             {@code conflict} if the principal is disabled
     */
    public CreatedToken createToken(CreateTokenRequest request) {
        Objects.requireNonNull(request, "request");
        return created("/v1/tokens", request);
    }

    /** The newest tokens, at most the server's default number (100) ({@code GET /v1/tokens}). */
    public List<TokenInfo> listTokens() {
        return listTokens(null, null, null);
    }

    /**
     * The newest tokens, at most the server's default number (100) ({@code GET /v1/tokens}).
     *
     * @param principal only this principal's tokens, or {@code null} for all
     * @param status    only tokens with this status ({@code active}, {@code expired}, {@code revoked},
     *                  {@code rotated}), or {@code null} for all
     */
    public List<TokenInfo> listTokens(String principal, String status) {
        return listTokens(principal, status, null);
    }

    /**
     * The newest tokens ({@code GET /v1/tokens}).
     *
     * @param principal only this principal's tokens, or {@code null} for all
     * @param status    only tokens with this status ({@code active}, {@code expired}, {@code revoked},
     *                  {@code rotated}), or {@code null} for all
     * @param limit     at most this many, 1 to 1000; {@code null} for the server's default (100)
     */
    public List<TokenInfo> listTokens(String principal, String status, Integer limit) {
        return listTokens(principal, status, limit, null);
    }

    /**
     * Tokens ({@code GET /v1/tokens}): the newest first or, with {@code expiringWithin}, the active tokens that
     * expire within that time, soonest first.
     *
     * @param principal      only this principal's tokens, or {@code null} for all
     * @param status         only tokens with this status ({@code active}, {@code expired}, {@code revoked},
     *                       {@code rotated}), or {@code null} for all
     * @param limit          at most this many, 1 to 1000; {@code null} for the server's default (100)
     * @param expiringWithin a duration such as {@code 7d}, {@code 24h} or {@code 30m}, or {@code null}
     */
    public List<TokenInfo> listTokens(String principal, String status, Integer limit, String expiringWithin) {
        return listTokens(principal, status, limit, expiringWithin, false);
    }

    /**
     * Tokens ({@code GET /v1/tokens}): the newest first; with {@code expiringWithin}, the active tokens that expire
     * within that time, soonest first; with {@code rotationDue} (and without {@code expiringWithin}), the live,
     * not yet rotated tokens whose rotation is due, most overdue first.
     *
     * @param principal      only this principal's tokens, or {@code null} for all
     * @param status         only tokens with this status ({@code active}, {@code expired}, {@code revoked},
     *                       {@code rotated}), or {@code null} for all; with {@code rotationDue}, only {@code active}
     * @param limit          at most this many, 1 to 1000; {@code null} for the server's default (100)
     * @param expiringWithin a duration such as {@code 7d}, {@code 24h} or {@code 30m}, or {@code null}
     * @param rotationDue    only tokens whose rotation is due ({@link TokenInfo#rotationDueAt()} passed)
     * @throws KeygateApiException 400 if a filter is invalid, or {@code rotationDue} is combined with another status
     */
    public List<TokenInfo> listTokens(String principal, String status, Integer limit, String expiringWithin,
                                      boolean rotationDue) {
        String qs = query("principal", principal, "status", status, "limit", limit == null ? null : limit.toString(),
                "expiring_within", expiringWithin, "rotation_due", rotationDue ? "true" : null);
        return items("/v1/tokens" + qs, TokenInfo.class);
    }

    /**
     * One token ({@code GET /v1/tokens/{id}}).
     *
     * @throws KeygateApiException 404 {@code not_found} if there is none with that id
     */
    public TokenInfo getToken(String id) {
        return send("GET", "/v1/tokens/" + segment(id, "id"), null, true, type(TokenInfo.class));
    }

    /**
     * Revokes a token and all its descendants: its child tokens, their children, ...
     * ({@code POST /v1/tokens/{id}/revoke}). Revoking a revoked token changes nothing.
     *
     * @param reason why, kept in each token revoked and the audit log, or {@code null}
     * @return the token, with status {@code revoked}, and how many tokens this call revoked
     * @throws KeygateApiException 404 {@code not_found} if there is none with that id
     */
    public RevokedToken revokeToken(String id, String reason) {
        Split<TokenInfo> answer = split("/v1/tokens/" + segment(id, "id") + "/revoke", new ReasonBody(reason),
                "revoked_count", JsonNode::isInt, TokenInfo.class);
        return new RevokedToken(answer.rest(), answer.field().intValue());
    }

    /**
     * Rotates a token ({@code POST /v1/tokens/{id}/rotate}): mints its successor, with the same principal, roles,
     * environment, name, parent and rotation schedule and a fresh lifetime of the same length. The token keeps
     * working for {@code grace}, then verification answers {@code ROTATED}. The successor's secret is returned
     * this once.
     *
     * @param grace how long the token keeps working beside its successor ({@code 1h}, {@code 0}), at most the
     *              server's {@code --max-rotation-grace}; {@code null} for none
     * @return the successor, with its secret
     * @throws KeygateApiException 404 if there is no such token; 409 {@code conflict} if it was rotated already, or
     *                             is revoked or expired; 400 if the grace is invalid or too long; 403 if the caller
     *                             lacks {@code keygate.tokens:rotate} or could not mint the token's roles
     */
    public CreatedToken rotateToken(String id, String grace) {
        return created("/v1/tokens/" + segment(id, "id") + "/rotate", new RotateBody(grace));
    }

    /**
     * Rotates a token, as {@link #rotateToken(String, String)}, with the grace sent in the largest unit that
     * divides it exactly.
     *
     * @param grace zero or more whole seconds; {@code null} for none
     * @throws IllegalArgumentException if the grace is negative or not a whole number of seconds
     */
    public CreatedToken rotateToken(String id, Duration grace) {
        return rotateToken(id, grace == null ? null : DurationText.of(grace, "grace", true));
    }

    /**
     * A token's usage of the last 24 hours by the hour ({@code GET /v1/tokens/{id}/usage}; needs
     * {@code keygate.tokens:read}); see {@link #tokenUsage(String, String, Instant, Instant)}.
     */
    public TokenUsage tokenUsage(String id) {
        return tokenUsage(id, null, null, null);
    }

    /**
     * A token's usage ({@code GET /v1/tokens/{id}/usage}; needs {@code keygate.tokens:read}): its verifications
     * counted per hour or UTC day, permission and decision, with totals and its last use.
     *
     * @param granularity {@code hour} or {@code day}; {@code null} for {@code hour}
     * @param since       the start of the range (rounded down to its bucket), or {@code null} for {@code until}
     *                    minus 24 hours (hour) or 30 days (day)
     * @param until       the end of the range, exclusive, or {@code null} for the end of the current hour or day
     * @throws KeygateApiException 400 naming the parameter if the granularity is unknown, {@code since} is not
     *                             before {@code until} or the range is wider than 31 days (hour) or 400 days (day);
     *                             404 if there is no such token
     */
    public TokenUsage tokenUsage(String id, String granularity, Instant since, Instant until) {
        String qs = query("granularity", granularity, "since", since == null ? null : since.toString(),
                "until", until == null ? null : until.toString());
        return send("GET", "/v1/tokens/" + segment(id, "id") + "/usage" + qs, null, true, type(TokenUsage.class));
    }

    /**
     * The tokens whose secrets hash to {@code hashes} ({@code POST /v1/tokens/lookup}; needs
     * {@code keygate.tokens:read}): how a scanner names the tokens it found without sending a secret anywhere.
     * Hashes that match no token are left out; each token comes once, in the order asked.
     *
     * @param hashes 1 to 500 hashes, each {@link #hashToken} of a token
     * @throws KeygateApiException 400 naming each hash that is not 64 lower-case hex digits ({@code hashes[2]}), or
     *                             {@code hashes} when there are none or more than 500; 403 without
     *                             {@code keygate.tokens:read}
     */
    public List<FoundToken> lookupTokens(Collection<String> hashes) {
        Objects.requireNonNull(hashes, "hashes");
        String path = "/v1/tokens/lookup";
        JsonNode answer = send("POST", path, new LookupBody(new ArrayList<>(hashes)), true, type(JsonNode.class));
        JsonNode items = answer == null ? null : answer.get("items");
        if (items == null || !items.isArray()) {
            throw new KeygateClientException("unexpected answer to POST " + path + ": no items in the response");
        }
        List<FoundToken> found = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            if (!(item instanceof ObjectNode node) || !node.path("hash").isTextual()) {
                throw new KeygateClientException("unexpected answer to POST " + path + ": an item without a hash");
            }
            String hash = node.remove("hash").asText();
            try {
                found.add(new FoundToken(hash, mapper.treeToValue(node, TokenInfo.class)));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
                throw new KeygateClientException("unexpected answer to POST " + path + ": "
                        + HttpTransport.scrub(why), e);
            }
        }
        return List.copyOf(found);
    }

    /**
     * Reports strings a secret scanner found in public ({@code POST /v1/leaks}; needs {@code keygate.leaks:report}).
     * Each one that is a token of this server is revoked with its descendants, with the reason {@code leaked}, and
     * gets a {@code token.leaked} audit event and a {@code token_leaked} alert. The answer is the same whatever the
     * strings were: it tells whether any was a token no more than the server's answer does.
     *
     * @param reports 1 to 100 reports
     * @return how many reports the server received ({@code reports.size()})
     * @throws KeygateApiException 400 naming each invalid field ({@code [0].token}, or {@code body} when there are
     *                             none or more than 100), nothing being revoked then; 403 without
     *                             {@code keygate.leaks:report}; a 5xx when a revocation failed (send the reports
     *                             again)
     */
    public int reportLeaks(List<LeakReport> reports) {
        Objects.requireNonNull(reports, "reports");
        String path = "/v1/leaks";
        JsonNode answer = send("POST", path, List.copyOf(reports), true, type(JsonNode.class));
        JsonNode received = answer == null ? null : answer.get("received");
        if (received == null || !received.isInt()) {
            throw new KeygateClientException("unexpected answer to POST " + path + ": no received count in the "
                    + "response");
        }
        return received.asInt();
    }

    /**
     * The SHA-256 of a token's whole text as 64 lower-case hex digits: the only form in which Keygate stores a
     * token, and what {@link #lookupTokens} takes. Computed here; nothing is sent.
     */
    public static String hashToken(String token) {
        Objects.requireNonNull(token, "token");
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    // Verify, audit, alerts, health

    /**
     * Verifies a token ({@code POST /v1/verify}), spending one use of a token with {@code max_uses}; the same as
     * {@link #verify(VerifyRequest)} with no cost or address given.
     *
     * @param token       the token to check; required
     * @param permission  the permission the caller needs, or {@code null} to check only that the token is valid
     * @param environment the environment the caller serves, or {@code null} not to check it
     * @throws KeygateApiException 400 if the token is empty, or the permission or environment is not well-formed
     */
    public VerifyResult verify(String token, String permission, String environment) {
        Objects.requireNonNull(token, "token");
        return verify(VerifyRequest.builder().token(token).permission(permission).environment(environment).build());
    }

    /**
     * Verifies a token ({@code POST /v1/verify}). A token that is unknown, expired, revoked, used up, rate limited,
     * used from outside its networks or lacks the permission is an answer ({@link VerifyResult#allowed()} false,
     * with its code), not an exception. Only an allowed verification spends uses. The admin token is not sent:
     * the token verified is the credential.
     *
     * @throws KeygateApiException 400 naming the field if the token is empty, or the permission, environment,
     *                             cost, address or resource is not well-formed
     */
    public VerifyResult verify(VerifyRequest request) {
        Objects.requireNonNull(request, "request");
        VerifyBody body = new VerifyBody(request.token(), request.permission(), request.environment(), request.cost(),
                VerifyContext.of(request.ip(), request.resource()));
        return send("POST", "/v1/verify", body, false, type(VerifyResult.class));
    }

    /**
     * One page of the audit log ({@code GET /v1/audit}), newest first unless the query asks for the oldest first.
     *
     * @throws KeygateApiException 400 naming the parameter when a filter is invalid (a decision other than
     *                             {@code allow}/{@code deny}, {@code until} not after {@code since}, a cursor of the
     *                             other order); 403 without {@code keygate.audit:read}
     */
    public AuditPage audit(AuditQuery query) {
        AuditQuery q = query == null ? AuditQuery.all() : query;
        String qs = query("token_id", q.tokenId(), "principal", q.principal(), "action", q.action(),
                "decision", q.decision(), "since", q.since() == null ? null : q.since().toString(),
                "until", q.until() == null ? null : q.until().toString(),
                "order", q.order() == null ? null : q.order().apiName(),
                "limit", q.limit() == null ? null : q.limit().toString(), "cursor", q.cursor());
        return send("GET", "/v1/audit" + qs, null, true, type(AuditPage.class));
    }

    /**
     * One page of alerts, newest first, each with its delivery to every webhook ({@code GET /v1/alerts}; needs
     * {@code keygate.alerts:read}).
     *
     * @throws KeygateApiException 400 naming the field if the rule is unknown, the limit out of range or the cursor
     *                             not one the server gave; 403 without {@code keygate.alerts:read}
     */
    public AlertPage alerts(AlertQuery query) {
        AlertQuery q = query == null ? AlertQuery.all() : query;
        String qs = query("rule", q.rule(), "token_id", q.tokenId(), "since", q.since() == null ? null
                : q.since().toString(), "limit", q.limit() == null ? null : q.limit().toString(), "cursor", q.cursor());
        return send("GET", "/v1/alerts" + qs, null, true, type(AlertPage.class));
    }

    /** The hygiene report of the active tokens over the last 30 days ({@code GET /v1/reports/hygiene}). */
    public HygieneReport hygieneReport() {
        return hygieneReport(null);
    }

    /**
     * The hygiene report of the active tokens ({@code GET /v1/reports/hygiene}; needs {@code keygate.reports:read}):
     * unused, never used, over-scoped (with a least-privilege suggestion), permanent, expiring within 7 days, past
     * their rotation date, and allowed to write without an IP binding.
     *
     * @param days the period of use to look at, 1 to 400, or {@code null} for 30
     * @throws KeygateApiException 400 on {@code days} out of range
     */
    public HygieneReport hygieneReport(Integer days) {
        return send("GET", "/v1/reports/hygiene" + query("days", days == null ? null : days.toString()), null, true,
                type(HygieneReport.class));
    }

    /**
     * Verifies the audit log's hash chains ({@code GET /v1/audit/verify}; needs {@code keygate.audit:read}). A broken
     * log is an answer ({@link AuditVerification#intact()} false, with the first broken link of each chain), not an
     * exception. Takes time in proportion to the log's size: give the client a timeout to match.
     */
    public AuditVerification verifyAudit() {
        return send("GET", "/v1/audit/verify", null, true, type(AuditVerification.class));
    }

    /** The liveness status ({@code GET /healthz}), {@code ok} when the server is up. */
    public String health() {
        JsonNode body = send("GET", "/healthz", null, false, type(JsonNode.class));
        return body == null ? null : body.path("status").asText(null);
    }

    // Roles with grants, explain

    /**
     * Creates a role ({@code POST /v1/roles}) with what {@code request} gives: its permissions (unconditional
     * allows) and its grants (allows and denies, each with an optional condition), at least one of them.
     *
     * <pre>{@code
     * keygate.createRole(RoleRequest.builder().name("billing-operator")
     *         .permission("billing.*:*")
     *         .grant(Grant.deny("billing.refunds:write"))
     *         .build());
     * }</pre>
     *
     * @throws NullPointerException if the request has no name
     * @throws KeygateApiException  400 naming each invalid field ({@code grants[1].effect},
     *                              {@code grants[0].condition}, ...), or {@code permissions} when the role would grant
     *                              nothing; 409 {@code conflict} if the role exists
     */
    public Role createRole(RoleRequest request) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(request.name(), "name");
        return send("POST", "/v1/roles", RoleBody.of(request.name(), request), true, type(Role.class));
    }

    /**
     * Changes a role ({@code PUT /v1/roles/{name}}): each field {@code request} gives replaces the role's, each it
     * leaves {@code null} is kept. Giving permissions or grants (or both) replaces all of the role's grants; giving
     * neither keeps them. Narrowing a role takes effect on the next verification of every token holding it.
     *
     * @param name    the role to change
     * @param request the changes; its name is {@code null} or {@code name} (a role cannot be renamed)
     * @throws IllegalArgumentException if the request names another role
     * @throws KeygateApiException      404 if the role does not exist; 400 naming each invalid field; 409
     *                                  {@code conflict} if live tokens hold the role and the change would widen it
     *                                  (allow more, or deny less) or exclude their environment
     */
    public Role updateRole(String name, RoleRequest request) {
        Objects.requireNonNull(request, "request");
        String path = "/v1/roles/" + segment(name, "name");
        if (request.name() != null && !request.name().equals(name)) {
            throw new IllegalArgumentException("the request names role '" + request.name() + "', not '" + name
                    + "': a role cannot be renamed");
        }
        return send("PUT", path, RoleBody.of(null, request), true, type(Role.class));
    }

    /**
     * Explains whether a token would be allowed, and why ({@code POST /v1/explain}; needs
     * {@code keygate.policy:explain}): the check that refuses it, or every grant of its roles that bears on the
     * permission and the one that decides. It decides as {@link #verify(VerifyRequest)} would, but spends nothing:
     * usage and rate limits are not checked (the answer's notes say so). A token refused is an answer
     * ({@link Explanation#allowed()} false), not an exception.
     *
     * @throws KeygateApiException 400 naming the field if the permission, environment or address is malformed;
     *                             404 if no token has the id given; 403 without {@code keygate.policy:explain}
     */
    public Explanation explain(ExplainRequest request) {
        Objects.requireNonNull(request, "request");
        ExplainBody body = new ExplainBody(request.tokenId(), request.token(), request.permission(),
                request.environment(), VerifyContext.of(request.ip(), request.resource()));
        return send("POST", "/v1/explain", body, true, type(Explanation.class));
    }

    /** Closes the {@link HttpClient} if this client created it; one given to the builder is left open. */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        String token = transport.hasToken() ? ", admin token set" : "";
        return "KeygateClient[" + HttpTransport.display(baseUri) + token + "]";
    }

    private <T> T send(String method, String path, Object body, boolean admin, JavaType type) {
        return transport.send(method, path, body, admin, type);
    }

    /** POSTs {@code body} to an endpoint answering a new token with its secret ({@code token}). */
    private CreatedToken created(String path, Object body) {
        Split<TokenInfo> answer = split(path, body, "token", JsonNode::isTextual, TokenInfo.class);
        return new CreatedToken(answer.rest(), answer.field().asText());
    }

    /**
     * POSTs {@code body} as the admin and splits the answer, an object: {@code field} (which must pass
     * {@code valid}) is taken out, and the rest is read as {@code type}.
     *
     * @throws KeygateClientException if the answer is not such an object
     */
    private <T> Split<T> split(String path, Object body, String field, Predicate<JsonNode> valid, Class<T> type) {
        String unexpected = "unexpected answer to POST " + HttpTransport.scrub(path) + ": ";
        JsonNode answer = send("POST", path, body, true, type(JsonNode.class));
        if (!(answer instanceof ObjectNode node) || !valid.test(node.path(field))) {
            throw new KeygateClientException(unexpected + "no " + field + " in the response");
        }
        JsonNode value = node.remove(field);
        try {
            return new Split<>(mapper.treeToValue(node, type), value);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new KeygateClientException(unexpected + HttpTransport.scrub(why), e);
        }
    }

    private <T> List<T> items(String path, Class<T> itemType) {
        JavaType type = mapper.getTypeFactory().constructParametricType(Items.class, itemType);
        Items<T> items = send("GET", path, null, true, type);
        return items == null || items.items() == null ? List.of() : List.copyOf(items.items());
    }

    private JavaType type(Class<?> c) {
        return mapper.getTypeFactory().constructType(c);
    }

    private static String segment(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return HttpTransport.encode(value);
    }

    /** {@code ?k=v&...} of the pairs whose value is not null, or {@code ""}. */
    private static String query(String... pairs) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                q.add(pairs[i] + "=" + HttpTransport.encode(pairs[i + 1]));
            }
        }
        return q.toString();
    }

    /** The {@code {"items": [...]}} envelope of list answers. */
    record Items<T>(List<T> items) {
    }

    record RoleBody(String name, String description, List<String> permissions, List<Grant> grants, String maxTtl,
                    List<String> environments) {
        /** The body for {@code request}, with {@code name} (null on an update: the name is in the path). */
        static RoleBody of(String name, RoleRequest request) {
            return new RoleBody(name, request.description(), request.permissions(), request.grants(),
                    request.maxTtl(), request.environments());
        }
    }

    record PrincipalBody(String name, String kind, String description, Map<String, Object> metadata) {
    }

    /** An answer split by {@link #split}: the field taken out, and the rest. */
    private record Split<T>(T rest, JsonNode field) {
    }

    record LookupBody(List<String> hashes) {
    }

    /** The body of a revocation or of disabling a principal. */
    record ReasonBody(String reason) {
    }

    record RotateBody(String grace) {
    }

    record VerifyBody(String token, String permission, String environment, Long cost, VerifyContext context) {
        @Override
        public String toString() {
            return "VerifyBody[token=***, permission=" + permission + ", environment=" + environment + ", cost="
                    + cost + ", context=" + context + "]";
        }
    }

    /** What the verifying service knows about the request it is deciding on. */
    record VerifyContext(String ip, Map<String, Object> resource) {
        /** The context of {@code ip} and {@code resource}, or {@code null} when both are. */
        static VerifyContext of(String ip, Map<String, Object> resource) {
            return ip == null && resource == null ? null : new VerifyContext(ip, resource);
        }
    }

    record ExplainBody(String tokenId, String token, String permission, String environment, VerifyContext context) {
        @Override
        public String toString() {
            return "ExplainBody[tokenId=" + tokenId + ", token=" + (token == null ? null : "***") + ", permission="
                    + permission + ", environment=" + environment + ", context=" + context + "]";
        }
    }

    /** Builds a {@link KeygateClient}; only {@link #baseUri(URI)} is required. */
    public static final class Builder {
        private URI baseUri;
        private String token;
        private Duration timeout = Duration.ofSeconds(10);
        private HttpClient httpClient;

        private Builder() {
        }

        /** The server, for example {@code http://127.0.0.1:8080}; a path prefix is kept. Required. */
        public Builder baseUri(URI value) {
            this.baseUri = value;
            return this;
        }

        /** The admin token sent as {@code Authorization: Bearer} by the admin methods; {@code null} for none. */
        public Builder token(String value) {
            this.token = value;
            return this;
        }

        /** How long one request may take, connecting included. Default 10 seconds. */
        public Builder timeout(Duration value) {
            this.timeout = Objects.requireNonNull(value, "timeout");
            return this;
        }

        /**
         * The HTTP client to use, for example one with a custom {@link javax.net.ssl.SSLContext}; by default the
         * client creates its own (HTTP/1.1 for {@code http}, HTTP/2 for {@code https}, no redirects followed).
         * A client given here is not closed by {@link KeygateClient#close()}.
         */
        public Builder httpClient(HttpClient value) {
            this.httpClient = value;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the base URI is not an absolute http(s) URI, the timeout is not
         *                                  positive, or the token is blank or holds characters an HTTP header
         *                                  cannot carry
         */
        public KeygateClient build() {
            Objects.requireNonNull(baseUri, "baseUri");
            String scheme = baseUri.getScheme();
            if (!baseUri.isAbsolute() || baseUri.getHost() == null
                    || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw new IllegalArgumentException("baseUri must be an absolute http or https URI, was '"
                        + HttpTransport.display(baseUri) + "'");
            }
            if (baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
                throw new IllegalArgumentException("baseUri must not have a query or fragment");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            if (token != null && (token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
                // The value itself is never part of the message.
                throw new IllegalArgumentException("token must be non-blank printable ASCII without spaces");
            }
            boolean owns = httpClient == null;
            HttpClient.Version version =
                    "https".equalsIgnoreCase(scheme) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
            HttpClient http = owns
                    ? HttpClient.newBuilder()
                            .connectTimeout(timeout)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .version(version)
                            .build()
                    : httpClient;
            return new KeygateClient(baseUri, new HttpTransport(baseUri, token, timeout, http, owns, Json.newMapper()));
        }
    }

    // Policy as code (docs/policy-as-code.md)

    /**
     * Every role but the built-in {@code keygate-admin}, as a policy file in its canonical form
     * ({@code GET /v1/policy}): {@code {"version": 1, "roles": [...]}}, unconditional allows as {@code permissions},
     * other grants in {@code grants}, fields at their defaults left out.
     */
    public JsonNode exportPolicy() {
        return send("GET", "/v1/policy", null, true, type(JsonNode.class));
    }

    /**
     * What applying the policy file {@code file} would change ({@code POST /v1/policy/plan}); changes nothing.
     *
     * @param file the file as JSON ({@code {"version": 1, "roles": [...]}}; a YAML file read into a tree)
     * @throws KeygateApiException 400 naming every problem of the file, each with its path
     *                             ({@code roles[3].grants[1].condition})
     */
    public PolicyPlan planPolicy(JsonNode file) {
        Objects.requireNonNull(file, "file");
        return send("POST", "/v1/policy/plan", file, true, type(PolicyPlan.class));
    }

    /**
     * Makes the server's roles what {@code file} says, all or nothing, in one transaction
     * ({@code POST /v1/policy/apply}), and returns what changed: nothing when the server matched the file already.
     *
     * @param file as for {@link #planPolicy}
     * @throws KeygateApiException 400 naming every problem of the file; 409 {@code conflict} listing every change
     *                             that live tokens block (then nothing changed)
     */
    public PolicyPlan applyPolicy(JsonNode file) {
        Objects.requireNonNull(file, "file");
        return send("POST", "/v1/policy/apply", file, true, type(PolicyPlan.class));
    }
}
