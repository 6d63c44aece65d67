package dev.keygate.server.alert;

/**
 * The times of the most recent events of one subject (an address, a token) within a span, at most {@code limit}
 * of them: enough to tell whether {@code limit} happened within the span. Memory grows with the events actually
 * held, never past {@code limit}. Not thread-safe: the alert rules run on one thread.
 */
final class SlidingWindow {

    private long[] times;
    private int head;
    private int size;

    SlidingWindow() {
        this.times = new long[4];
    }

    private SlidingWindow(SlidingWindow other) {
        this.times = other.times.clone();
        this.head = other.head;
        this.size = other.size;
    }

    SlidingWindow copy() {
        return new SlidingWindow(this);
    }

    /**
     * Adds an event at {@code millis}, forgets those at or before {@code millis - span} and all but the newest
     * {@code limit}.
     *
     * @return how many events are held now, all within the span
     */
    int add(long millis, long span, int limit) {
        while (size > 0 && times[head] <= millis - span) {
            head = (head + 1) % times.length;
            size--;
        }
        if (size == limit) {
            head = (head + 1) % times.length;
            size--;
        }
        if (size == times.length) {
            long[] grown = new long[Math.min(Math.max(times.length * 2, 4), Math.max(limit, 4))];
            for (int i = 0; i < size; i++) {
                grown[i] = times[(head + i) % times.length];
            }
            times = grown;
            head = 0;
        }
        times[(head + size) % times.length] = millis;
        size++;
        return size;
    }
}
