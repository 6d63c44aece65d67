package dev.keygate.server.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class PeriodicTest {

    @Test
    void startWhenARunThrowsThenItIsHandedOverAndTheScheduleGoesOn() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        List<RuntimeException> failures = new CopyOnWriteArrayList<>();
        CountDownLatch thirdRun = new CountDownLatch(3);
        Periodic p = Periodic.start("periodic-test", Duration.ZERO, Duration.ofMillis(5), Duration.ofSeconds(5), () -> {
            thirdRun.countDown();
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("first run fails");
            }
        }, failures::add);

        boolean ranThrice = thirdRun.await(10, TimeUnit.SECONDS);
        boolean stopped = p.stop();

        assertThat(ranThrice).as("runs after the one that threw").isTrue();
        assertThat(failures).singleElement().extracting(Throwable::getMessage).isEqualTo("first run fails");
        assertThat(stopped).isTrue();
    }

    @Test
    void stopWhenARunOutlastsTheWaitThenFalseAndTheRunIsInterrupted() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Periodic p = Periodic.start("periodic-test", Duration.ZERO, Duration.ofHours(1), Duration.ofMillis(50), () -> {
            started.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        }, e -> { });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        boolean stopped = p.stop();

        assertThat(stopped).isFalse();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the run was interrupted").isTrue();
    }
}
