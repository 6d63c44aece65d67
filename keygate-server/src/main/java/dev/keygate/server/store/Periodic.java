package dev.keygate.server.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A maintenance task of the store (the retention of the audit log, the usage roll-ups, the alerts) run on its own
 * daemon thread: first after a delay (or after one period, if that is shorter), then again each period after the
 * previous run ended. A run that throws is
 * handed to {@code onFailure} and the schedule goes on (an exception that left the task would end it for good).
 */
public final class Periodic implements AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private final Duration closeWait;

    private Periodic(ScheduledExecutorService scheduler, Duration closeWait) {
        this.scheduler = scheduler;
        this.closeWait = closeWait;
    }

    /**
     * Schedules {@code task} on a thread named {@code threadName}; {@link #close()} lets a run under way finish for
     * at most {@code closeWait}.
     */
    public static Periodic start(String threadName, Duration first, Duration period, Duration closeWait,
                                 Runnable task, Consumer<RuntimeException> onFailure) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(threadName).daemon(true).factory());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                onFailure.accept(e);
            }
        }, Math.min(first.toMillis(), period.toMillis()), period.toMillis(), TimeUnit.MILLISECONDS);
        return new Periodic(scheduler, closeWait);
    }

    /**
     * Stops the schedule; a run under way may finish within the wait given at start, and is interrupted after it.
     *
     * @return {@code false} if a run was still going when the wait ran out
     */
    public boolean stop() {
        scheduler.shutdown();
        try {
            if (scheduler.awaitTermination(closeWait.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        return false;
    }

    @Override
    public void close() {
        stop();
    }
}
