/**
 * Hygiene reports on the active tokens: unused, never used, over-scoped (with a least-privilege suggestion),
 * permanent, expiring soon, past their rotation date, and allowed to write from any address
 * ({@link dev.keygate.server.hygiene.HygieneService}). See docs/usage-and-hygiene.md.
 */
package dev.keygate.server.hygiene;
