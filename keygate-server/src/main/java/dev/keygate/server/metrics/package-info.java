/** Prometheus metrics (Micrometer): verifications, HTTP, the audit queue, live tokens, alerts and the JVM. */
package dev.keygate.server.metrics;
