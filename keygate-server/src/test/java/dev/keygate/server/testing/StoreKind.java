package dev.keygate.server.testing;

/** The stores every end-to-end test runs on. */
public enum StoreKind {
    SQLITE, POSTGRESQL
}
