/**
 * The audit log: its store and hash chains (docs/audit.md), the batching writer of verify events, queries,
 * verification, retention behind signed checkpoints, and the live sink.
 */
package dev.keygate.server.audit;
