/** Roles and the naming rules for roles and principals. */
package dev.keygate.core.role;
