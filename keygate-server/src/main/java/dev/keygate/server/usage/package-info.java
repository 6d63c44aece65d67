/**
 * Usage analytics: verifications rolled up per token by hour and by UTC day, permission and decision
 * ({@link dev.keygate.server.usage.UsageRollup}, on the audit writer's thread), the address of each token's last use,
 * the retention of the roll-ups ({@link dev.keygate.server.usage.UsageRetention}) and reading them
 * ({@link dev.keygate.server.usage.UsageService}). See docs/usage-and-hygiene.md.
 */
package dev.keygate.server.usage;
