/** Roles: their store and the service that changes them. */
package dev.keygate.server.role;
