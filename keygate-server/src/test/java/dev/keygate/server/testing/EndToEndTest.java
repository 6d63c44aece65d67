package dev.keygate.server.testing;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The base of every end-to-end test: its tests run twice, against a real server on SQLite and on PostgreSQL
 * (shown as {@code [SQLITE]} and {@code [POSTGRESQL]}); PostgreSQL outcomes are recorded by
 * {@link StoreRunRecorder} for {@code .ci/run}. One server serves all tests of a class on one store,
 * so tests use names of their own.
 */
@ParameterizedClass(name = "[{0}]")
@EnumSource(StoreKind.class)
@ExtendWith(StoreRunRecorder.class)
public abstract class EndToEndTest {

    protected static TestServer server;

    @Parameter
    protected StoreKind store;

    @BeforeParameterizedClassInvocation
    static void startServer(StoreKind store) {
        server = TestServer.start(store);
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
