package dev.keygate.server.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The size of a usage bucket: an hour or a UTC day. Each verification is counted in both, so that recent usage can
 * be read by the hour while a year's can be read by the day; each has its own retention and its own widest range
 * per request.
 */
public enum Granularity {
    HOUR(Duration.ofHours(1), Duration.ofDays(14), Duration.ofDays(31), Duration.ofHours(24)),
    DAY(Duration.ofDays(1), Duration.ofDays(400), Duration.ofDays(400), Duration.ofDays(30));

    private final Duration size;
    private final long millis;
    private final Duration retention;
    private final Duration maxRange;
    private final Duration defaultRange;

    Granularity(Duration size, Duration retention, Duration maxRange, Duration defaultRange) {
        this.size = size;
        this.millis = size.toMillis();
        this.retention = retention;
        this.maxRange = maxRange;
        this.defaultRange = defaultRange;
    }

    /** {@code hour} or {@code day}, as the API and the store write it. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The granularity named {@code text} ({@code hour}, {@code day}), or {@code null} for any other text. */
    public static Granularity parse(String text) {
        for (Granularity g : values()) {
            if (g.apiName().equals(text)) {
                return g;
            }
        }
        return null;
    }

    /** An hour or a day. */
    public Duration size() {
        return size;
    }

    /** The start of the bucket holding {@code epochMillis}: epoch-aligned, so days are UTC days. */
    public long bucketStart(long epochMillis) {
        return Math.floorDiv(epochMillis, millis) * millis;
    }

    public Instant bucketStart(Instant instant) {
        return Instant.ofEpochMilli(bucketStart(instant.toEpochMilli()));
    }

    /** How long buckets of this size are kept: older ones are pruned by {@link UsageRetention}. */
    public Duration retention() {
        return retention;
    }

    /** The widest {@code since}..{@code until} one usage request may ask for. */
    public Duration maxRange() {
        return maxRange;
    }

    /** The range read when a request gives no {@code since}: this long before {@code until}. */
    public Duration defaultRange() {
        return defaultRange;
    }
}
