package dev.keygate.cli;

import dev.keygate.client.KeygateClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
 * {@code keygate serve}: in-process, it starts, announces where it listens, answers, and stops cleanly when its
 * thread is interrupted (the in-process stand-in for SIGTERM); as a process of its own, its stderr holds the
 * announcement once and it drains on SIGTERM.
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

    /**
     * Regression: the server logged its own "keygate listening on" line at INFO next to the CLI's, so stderr
     * said it twice. A separate JVM, because the server's log goes to the process's stderr, not the CLI's.
     */
    @Test
    void serveWhenRunAsAProcessThenAnnouncesItsAddressOnceAndDrainsOnSigterm(@TempDir Path dir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Main.class.getName(), "serve", "--listen", "127.0.0.1:0", "--data-dir", dir.resolve("data").toString(),
                "--bootstrap-token-file", dir.resolve("admin-token").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(name -> name.startsWith("KEYGATE_"));
        Process serve = builder.start();
        StringBuffer err = new StringBuffer();
        CountDownLatch listening = new CountDownLatch(1);
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = serve.errorReader(StandardCharsets.UTF_8)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    err.append(line).append('\n');
                    if (line.startsWith("keygate listening on ")) {
                        listening.countDown();
                    }
                }
            } catch (IOException e) {
                err.append(e);
            }
        });
        try {
            assertThat(listening.await(60, TimeUnit.SECONDS)).as("listening line; stderr: %s", err).isTrue();
            Matcher m = LISTENING.matcher(err);
            assertThat(m.find()).isTrue();
            try (KeygateClient client = KeygateClient.builder().baseUri(URI.create(m.group(1))).build()) {
                assertThat(client.health()).isEqualTo("ok");
            }
        } finally {
            serve.toHandle().destroy(); // SIGTERM; unlike Process.destroy(), leaves stderr open to read to the end
            if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }

        // The JVM's status after SIGTERM (128 + 15), once the shutdown hook has drained the server.
        assertThat(serve.waitFor(10, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        assertThat(serve.exitValue()).isEqualTo(143);
        assertThat(Pattern.compile("listening on").matcher(err).results().count()).as(err.toString()).isEqualTo(1);
        assertThat(err).contains("(store: jdbc:sqlite:", "keygate: stopping (draining the audit queue)")
                .doesNotContain("kg_live_");
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
