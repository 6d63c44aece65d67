package dev.keygate.cli;

import dev.keygate.client.KeygateClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keygate serve} in-process: starts, announces where it listens, answers, and stops cleanly when its
 * thread is interrupted (the in-process stand-in for SIGTERM).
 */
class ServeLifecycleTest {

    private static final Pattern LISTENING = Pattern.compile("keygate listening on (http://127\\.0\\.0\\.1:\\d+) ");

    @Test
    void serveWhenStartedThenAnnouncesItsAddressAndStopsCleanlyWhenInterrupted(@TempDir Path dataDir)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineWatcher err = new LineWatcher("keygate listening on ");
        CliContext ctx = new CliContext(Map.of(), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread serve = new Thread(() -> exitCode.set(
                Main.run(ctx, "serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir.toString())), "serve-test");
        serve.start();
        try {
            assertThat(err.seen.await(30, TimeUnit.SECONDS)).as("listening line; stderr: %s", err).isTrue();
            Matcher m = LISTENING.matcher(err.toString());
            assertThat(m.find()).isTrue();
            try (KeygateClient client = KeygateClient.builder().baseUri(URI.create(m.group(1))).build()) {
                assertThat(client.health()).isEqualTo("ok");
            }
        } finally {
            serve.interrupt();
            serve.join(TimeUnit.SECONDS.toMillis(30));
        }

        assertThat(serve.isAlive()).isFalse();
        assertThat(exitCode.get()).isZero();
        assertThat(err.toString()).contains("(store: jdbc:sqlite:").doesNotContain("kg_live_");
        assertThat(out.toString(StandardCharsets.UTF_8)).as("the bootstrap token goes to stdout").contains("kg_live_");
    }

    /** Captures what is written and opens a latch once the text holds a marker. */
    private static final class LineWatcher extends ByteArrayOutputStream {
        final CountDownLatch seen = new CountDownLatch(1);
        private final String marker;

        LineWatcher(String marker) {
            this.marker = marker;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            if (toString(StandardCharsets.UTF_8).contains(marker)) {
                seen.countDown();
            }
        }

        @Override
        public synchronized String toString() {
            return toString(StandardCharsets.UTF_8);
        }
    }
}
