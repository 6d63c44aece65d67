/**
 * Token hygiene: least-privilege analysis of what a token is granted against what it used
 * ({@link dev.keygate.core.hygiene.LeastPrivilege}). See docs/usage-and-hygiene.md.
 */
package dev.keygate.core.hygiene;
