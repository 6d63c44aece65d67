/**
 * Conditions on role grants: small CEL expressions (<a href="https://cel.dev">cel.dev</a>) over the verify
 * request, the token and its principal, compiled once by {@link dev.keygate.core.policy.Conditions#compile}
 * and evaluated by {@link dev.keygate.core.policy.Condition#test} on every verify of a token that holds the
 * grant. Pure computation with bounded cost: no I/O, no clock, no DNS.
 */
package dev.keygate.core.policy;
