/** Authentication of admin callers, the built-in {@code keygate.*} permissions, and bootstrap. */
package dev.keygate.server.auth;
