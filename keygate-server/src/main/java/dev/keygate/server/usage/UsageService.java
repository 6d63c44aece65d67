package dev.keygate.server.usage;

import dev.keygate.core.error.FieldErrors;
import dev.keygate.core.error.NotFoundException;
import dev.keygate.core.error.ValidationException;
import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.auth.Caller;
import dev.keygate.server.store.Database;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reads a token's usage from the roll-ups ({@code GET /v1/tokens/{id}/usage}). */
public final class UsageService {

    /** The most roll-up rows one request reads: beyond, the caller is asked for a shorter range. */
    static final int MAX_ROWS = 100_000;
    private static final Comparator<String> PERMISSION_ORDER = Comparator.nullsFirst(Comparator.naturalOrder());

    private final Database db;
    private final UsageStore store;
    private final Clock clock;

    public UsageService(Database db, UsageStore store, Clock clock) {
        this.db = db;
        this.store = store;
        this.clock = clock;
    }

    /**
     * A token's usage. Each parameter is as the query string gave it, or {@code null} when absent.
     *
     * @param granularity {@code hour} (the default) or {@code day}
     * @param since       an RFC 3339 instant; default {@code until} minus 24 hours (hour) or 30 days (day)
     * @param until       an RFC 3339 instant, exclusive; default the end of the current hour or day
     * @throws dev.keygate.core.error.ForbiddenException without {@code keygate.tokens:read}
     * @throws ValidationException naming each invalid parameter: an unknown granularity, a malformed time,
     *                             {@code since} not before {@code until}, a range wider than the granularity
     *                             allows (31 days by the hour, 400 by the day), or one holding more than
     *                             {@value #MAX_ROWS} rows
     * @throws NotFoundException   if there is no token with this id
     */
    public TokenUsage usage(Caller caller, String tokenId, String granularity, String since, String until) {
        caller.require(AdminPermissions.TOKENS_READ);
        FieldErrors errors = new FieldErrors();
        Granularity g = granularity == null ? Granularity.HOUR : Granularity.parse(granularity);
        if (g == null) {
            errors.add("granularity", "must be hour or day");
        }
        Instant end = errors.time("until", until);
        Instant start = errors.time("since", since);
        errors.throwIfAny();
        if (end == null) {
            // The end of the current bucket, so that the latest uses are in, whatever the time in the bucket.
            end = g.bucketStart(clock.instant()).plus(g.size());
        }
        if (start == null) {
            start = end.minus(g.defaultRange());
        }
        if (!start.isBefore(end)) {
            throw new ValidationException("since", "must be before until (" + end + ")");
        }
        if (Duration.between(start, end).compareTo(g.maxRange()) > 0) {
            throw new ValidationException("since", "must be at most " + g.maxRange().toDays() + " days before until "
                    + "with granularity=" + g.apiName());
        }
        long from = g.bucketStart(start.toEpochMilli());
        long to = end.toEpochMilli();
        Read read = db.read(c -> {
            Optional<UsageStore.LastUse> last = store.lastUse(c, tokenId);
            return last.isEmpty() ? null : new Read(last.get(), store.read(c, tokenId, g, from, to, MAX_ROWS + 1));
        });
        if (read == null) {
            throw new NotFoundException("token", tokenId);
        }
        if (read.rows().size() > MAX_ROWS) {
            throw new ValidationException("since", "the range holds more than " + MAX_ROWS + " usage rows; ask for "
                    + "a shorter range" + (g == Granularity.HOUR ? " or granularity=day" : ""));
        }
        return summarize(tokenId, read.last(), g, Instant.ofEpochMilli(from), end, read.rows());
    }

    private static TokenUsage summarize(String tokenId, UsageStore.LastUse last, Granularity g, Instant since,
                                        Instant until, List<UsageCount> rows) {
        TokenUsage.Counts totals = TokenUsage.Counts.ZERO;
        Map<String, TokenUsage.Counts> perPermission = new TreeMap<>(PERMISSION_ORDER);
        Map<Long, Map<String, TokenUsage.Counts>> perBucket = new TreeMap<>();
        for (UsageCount u : rows) {
            totals = totals.plus(u.decision(), u.count());
            perPermission.merge(u.permission(), TokenUsage.Counts.ZERO.plus(u.decision(), u.count()),
                    UsageService::sum);
            perBucket.computeIfAbsent(u.bucketStart(), k -> new TreeMap<>(PERMISSION_ORDER))
                    .merge(u.permission(), TokenUsage.Counts.ZERO.plus(u.decision(), u.count()), UsageService::sum);
        }
        List<TokenUsage.Bucket> buckets = new ArrayList<>(perBucket.size());
        for (Map.Entry<Long, Map<String, TokenUsage.Counts>> b : perBucket.entrySet()) {
            TokenUsage.Counts sum = b.getValue().values().stream().reduce(TokenUsage.Counts.ZERO, UsageService::sum);
            buckets.add(new TokenUsage.Bucket(Instant.ofEpochMilli(b.getKey()), sum, list(b.getValue())));
        }
        return new TokenUsage(tokenId, last.at(), last.ip(), g, since, until, totals, list(perPermission), buckets);
    }

    private static List<TokenUsage.PermissionCounts> list(Map<String, TokenUsage.Counts> counts) {
        List<TokenUsage.PermissionCounts> list = new ArrayList<>(counts.size());
        counts.forEach((permission, n) -> list.add(new TokenUsage.PermissionCounts(permission, n)));
        return list;
    }

    private static TokenUsage.Counts sum(TokenUsage.Counts a, TokenUsage.Counts b) {
        return new TokenUsage.Counts(a.allow() + b.allow(), a.deny() + b.deny());
    }

    private record Read(UsageStore.LastUse last, List<UsageCount> rows) {
    }
}
