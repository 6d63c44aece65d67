/**
 * Permissions ({@code resource:action} with wildcards), their grammar, matching and subsumption, and boolean
 * queries over them ({@link dev.keygate.core.permission.PermissionQuery}).
 */
package dev.keygate.core.permission;
