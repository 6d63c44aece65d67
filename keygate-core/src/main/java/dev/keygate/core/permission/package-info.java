/** Permissions ({@code resource:action} with wildcards), their grammar, matching and subsumption. */
package dev.keygate.core.permission;
