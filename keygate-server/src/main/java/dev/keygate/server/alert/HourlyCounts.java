package dev.keygate.server.alert;

/**
 * One token's verifications per clock hour (UTC), for the current hour and the {@value #HISTORY} before it, and the
 * hour this node first saw the token. Not thread-safe: the alert rules run on one thread.
 */
final class HourlyCounts {

    static final int HISTORY = AlertConfig.SPIKE_HISTORY_HOURS;
    private static final long HOUR_MILLIS = 3_600_000L;

    private final int[] counts;
    private final long firstHour;
    private long latestHour;

    HourlyCounts(long millis) {
        this.counts = new int[HISTORY + 1];
        this.firstHour = Math.floorDiv(millis, HOUR_MILLIS);
        this.latestHour = firstHour;
    }

    private HourlyCounts(HourlyCounts other) {
        this.counts = other.counts.clone();
        this.firstHour = other.firstHour;
        this.latestHour = other.latestHour;
    }

    HourlyCounts copy() {
        return new HourlyCounts(this);
    }

    /**
     * Counts one verification at {@code millis}; one older than the hours kept is ignored.
     *
     * @return whether it fell in the latest hour (the one {@link #current()} and {@link #isSpike} judge)
     */
    boolean add(long millis) {
        long hour = Math.floorDiv(millis, HOUR_MILLIS);
        if (hour > latestHour) {
            for (long h = Math.max(latestHour + 1, hour - HISTORY); h <= hour; h++) {
                counts[slot(h)] = 0;
            }
            latestHour = hour;
        } else if (hour <= latestHour - HISTORY - 1 || hour < firstHour) {
            return false;
        }
        int s = slot(hour);
        if (counts[s] < Integer.MAX_VALUE) {
            counts[s]++;
        }
        return hour == latestHour;
    }

    /** The count of the latest hour. */
    int current() {
        return counts[slot(latestHour)];
    }

    /** How many whole hours before the latest one this node has watched the token, at most {@value #HISTORY}. */
    int history() {
        return (int) Math.min(HISTORY, latestHour - firstHour);
    }

    /** The sum of the counts of the {@link #history()} hours before the latest one. */
    long previousSum() {
        long sum = 0;
        for (int k = 1; k <= history(); k++) {
            sum += counts[slot(latestHour - k)];
        }
        return sum;
    }

    /**
     * Whether the latest hour is a spike: at least {@code minCount}, with at least {@code minHistory} hours of
     * history, and above {@code factorThousandths / 1000} times the mean of the previous hours.
     */
    boolean isSpike(long minCount, int minHistory, long factorThousandths) {
        int history = history();
        long current = current();
        if (history < minHistory || current < minCount) {
            return false;
        }
        // current > factor × (sum / history), in whole numbers.
        return current * history * 1000 > factorThousandths * previousSum();
    }

    private static int slot(long hour) {
        return (int) Math.floorMod(hour, (long) HISTORY + 1);
    }
}
