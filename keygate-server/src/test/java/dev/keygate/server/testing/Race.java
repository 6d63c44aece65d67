package dev.keygate.server.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs tasks at the same moment, each on its own thread, for tests of concurrent behaviour. */
public final class Race {

    private Race() {
    }

    /**
     * Starts every task on its own thread, releases them together, and returns their results in the order
     * given; a task's exception is rethrown (wrapped in an {@code ExecutionException}).
     */
    public static <T> List<T> all(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code copies} copies of {@code task}, run as {@link #all} runs them. */
    public static <T> List<T> times(int copies, Callable<T> task) throws Exception {
        return all(Collections.nCopies(copies, task));
    }
}
