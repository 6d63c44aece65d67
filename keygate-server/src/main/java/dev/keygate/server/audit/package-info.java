/** The audit log: its store, the batching writer of verify events, and queries. */
package dev.keygate.server.audit;
